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
    const appenderLogger = logger.child({ component: 'log-appender' });
    this.consumer = new IdempotentConsumer({
      kafka,
      dataSource,
      producer,
      metrics,
      schema: LEDGER_SCHEMA,
      groupId: 'ledger-anchor.log-appender',
      topics: anchorableTopics(),
      logger: appenderLogger,
      handler: async (event, _context, manager) => {
        const entry = anchorableRecordSchema.parse(event.data);
        const leafIndex = await log.append(manager, entry, event.id);
        appenderLogger.info({ recordKey: entry.recordKey, leafIndex, eventId: event.id }, 'record appended to the log');
      },
      // Appends are far cheaper in bulk: one lock, one frontier read, two inserts per chunk.
      batchHandler: async (events, manager) => {
        const items = events.map(({ event }) => ({ entry: anchorableRecordSchema.parse(event.data), eventId: event.id }));
        const leafIndices = await log.appendMany(manager, items);
        events.forEach(({ event }, position) => {
          appenderLogger.info(
            { recordKey: items[position]!.entry.recordKey, leafIndex: leafIndices[position], eventId: event.id, correlationId: event.correlationid },
            'record appended to the log',
          );
        });
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
