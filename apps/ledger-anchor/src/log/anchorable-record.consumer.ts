import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { anchorableRecordSchema, anchorableTopics } from '@traceport/contracts';
import { IdempotentConsumer, KAFKA, KAFKA_PRODUCER } from '@traceport/messaging';
import { Metrics } from '@traceport/observability';
import type { Kafka, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { LEDGER_SCHEMA } from '../config.js';
import { LEDGER_LOGGER } from '../ledger.tokens.js';
import { MerkleLogService } from './merkle-log.service.js';

/** Appends every anchorable record published by any service to the log, exactly once. */
@Injectable()
export class AnchorableRecordConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly consumer: IdempotentConsumer;

  constructor(
    @Inject(KAFKA) kafka: Kafka,
    @Inject(KAFKA_PRODUCER) producer: Producer,
    @InjectDataSource() dataSource: DataSource,
    @Inject(LEDGER_LOGGER) logger: Logger,
    metrics: Metrics,
    log: MerkleLogService,
  ) {
    this.consumer = new IdempotentConsumer({
      kafka,
      dataSource,
      producer,
      metrics,
      schema: LEDGER_SCHEMA,
      groupId: 'ledger-anchor.log-appender',
      topics: anchorableTopics(),
      logger: logger.child({ component: 'log-appender' }),
      handler: async (event, _context, manager) => {
        const entry = anchorableRecordSchema.parse(event.data);
        await log.append(manager, entry, event.id);
      },
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.consumer.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }
}
