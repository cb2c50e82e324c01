import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { anchorableRecordSchema, anchorableTopics } from '@traceport/contracts';
import { IdempotentConsumer, KAFKA, KAFKA_PRODUCER, type AfterCommit } from '@traceport/messaging';
import { Metrics } from '@traceport/observability';
import type { Kafka, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { Counter } from 'prom-client';
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
    const appended = new Counter({
      name: 'traceport_ledger_records_appended_total',
      help: 'Records this replica appended to the log, by record type (a record already in the log is not counted again)',
      labelNames: ['record_type'],
      registers: [metrics.registry],
    });
    // Counted once the append has committed: a rolled-back append is retried and would count twice.
    const countAppended = (appendedTypes: readonly string[], afterCommit: AfterCommit) =>
      afterCommit(() => {
        for (const recordType of appendedTypes) appended.inc({ record_type: recordType });
      });
    this.consumer = new IdempotentConsumer({
      kafka,
      dataSource,
      producer,
      metrics,
      schema: LEDGER_SCHEMA,
      groupId: 'ledger-anchor.log-appender',
      topics: anchorableTopics(),
      logger: appenderLogger,
      handler: async (event, _context, manager, afterCommit) => {
        const entry = anchorableRecordSchema.parse(event.data);
        const { leafIndices, appendedTypes } = await log.appendMany(manager, [{ entry, eventId: event.id }]);
        countAppended(appendedTypes, afterCommit);
        appenderLogger.info({ recordKey: entry.recordKey, leafIndex: leafIndices[0], eventId: event.id }, 'record appended to the log');
      },
      // Appends are far cheaper in bulk: one lock, one frontier read, two inserts per chunk.
      batchHandler: async (events, manager, afterCommit) => {
        const items = events.map(({ event }) => ({ entry: anchorableRecordSchema.parse(event.data), eventId: event.id }));
        const { leafIndices, appendedTypes } = await log.appendMany(manager, items);
        countAppended(appendedTypes, afterCommit);
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
