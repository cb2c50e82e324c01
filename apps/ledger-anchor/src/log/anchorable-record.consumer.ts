import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { anchorableRecordsOf, anchorableTopics, type CloudEvent } from '@traceport/contracts';
import { IdempotentConsumer, KAFKA, KAFKA_PRODUCER, type AfterCommit } from '@traceport/messaging';
import { Metrics } from '@traceport/observability';
import type { Kafka, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { Counter } from 'prom-client';
import { DataSource, type EntityManager } from 'typeorm';
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
    // A message carries one record, or a batch of them (a capture's events): each becomes a leaf.
    const append = async (events: readonly CloudEvent[], manager: EntityManager, afterCommit: AfterCommit) => {
      const items = events.flatMap((event) => anchorableRecordsOf(event.data).map((entry) => ({ entry, eventId: event.id })));
      const { leafIndices, appendedTypes } = await log.appendMany(manager, items);
      countAppended(appendedTypes, afterCommit);
      // One line per message, not per record: a capture's hundred leaves are one line.
      const leavesOf = new Map<string, { recordKeys: string[]; leaves: number[] }>();
      items.forEach((item, position) => {
        const entry = leavesOf.get(item.eventId) ?? { recordKeys: [], leaves: [] };
        entry.recordKeys.push(item.entry.recordKey);
        entry.leaves.push(leafIndices[position]!);
        leavesOf.set(item.eventId, entry);
      });
      for (const event of events) {
        const { recordKeys, leaves } = leavesOf.get(event.id) ?? { recordKeys: [], leaves: [] };
        appenderLogger.info(
          {
            eventId: event.id,
            correlationId: event.correlationid,
            records: recordKeys.length,
            ...(recordKeys.length === 1 ? { recordKey: recordKeys[0], leafIndex: leaves[0] } : { firstLeafIndex: Math.min(...leaves), lastLeafIndex: Math.max(...leaves) }),
          },
          'records appended to the log',
        );
      }
    };
    this.consumer = new IdempotentConsumer({
      kafka,
      dataSource,
      producer,
      metrics,
      schema: LEDGER_SCHEMA,
      groupId: 'ledger-anchor.log-appender',
      topics: anchorableTopics(),
      logger: appenderLogger,
      handler: (event, _context, manager, afterCommit) => append([event], manager, afterCommit),
      // Appends are far cheaper in bulk: one lock, one frontier read, two inserts per chunk.
      batchHandler: (events, manager, afterCommit) => append(events.map(({ event }) => event), manager, afterCommit),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.consumer.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }
}
