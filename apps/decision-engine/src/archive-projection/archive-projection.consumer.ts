import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { archiveRecordVersionedV1, RecordTypes } from '@traceport/contracts';
import { IdempotentConsumer, KAFKA, KAFKA_PRODUCER } from '@traceport/messaging';
import { Metrics } from '@traceport/observability';
import type { Kafka, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { DECISION_ENGINE_SCHEMA } from '../config.js';
import { LotDecisionService } from '../decision/lot-decision.service.js';
import { ENGINE_LOGGER } from '../engine.tokens.js';

/**
 * Keeps the engine's copy of the archive (merchants, brands, factories, products, lots, customs
 * declarations) current from the archive's events, so a decision reads everything its rules see
 * from its own database and never waits on a call to the data-service. A lot received before the
 * archive's events about it arrived (topics and partitions are not ordered with each other) is
 * decided as soon as its lot and product are both known.
 */
@Injectable()
export class ArchiveProjectionConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly consumer: IdempotentConsumer;

  constructor(
    @Inject(KAFKA) kafka: Kafka,
    @Inject(KAFKA_PRODUCER) producer: Producer,
    @InjectDataSource() dataSource: DataSource,
    @Inject(ENGINE_LOGGER) logger: Logger,
    metrics: Metrics,
    decisions: LotDecisionService,
  ) {
    this.consumer = new IdempotentConsumer({
      kafka,
      dataSource,
      producer,
      metrics,
      schema: DECISION_ENGINE_SCHEMA,
      groupId: 'decision-engine.archive-projection',
      topics: [archiveRecordVersionedV1.topic],
      logger: logger.child({ component: 'archive-projection' }),
      handler: async (event, _context, manager) => {
        const { recordType, record } = archiveRecordVersionedV1.schema.parse(event.data);
        // A lot or product may resolve a parked receipt: look for it only once no receipt is being parked.
        if (recordType === RecordTypes.lot || recordType === RecordTypes.product) await decisions.lockReceiptResolution(manager);
        // Newer versions win; an older one arriving late changes nothing.
        await manager.query(
          `INSERT INTO "${DECISION_ENGINE_SCHEMA}"."archive_projection" ("id", "record_type", "version", "record")
           VALUES ($1, $2, $3, $4)
           ON CONFLICT ("id") DO UPDATE SET "version" = EXCLUDED."version", "record" = EXCLUDED."record", "updated_at" = now()
           WHERE "archive_projection"."version" < EXCLUDED."version"`,
          [record.id, recordType, record.version, JSON.stringify(record)],
        );
        if (recordType === RecordTypes.lot) await decisions.onLotKnown(manager, record.id);
        if (recordType === RecordTypes.product) {
          // Only lots with a parked receipt: a product may have thousands of lots.
          const lots: { id: string }[] = await manager.query(
            `SELECT l."id" FROM "${DECISION_ENGINE_SCHEMA}"."pending_receipts" r
             JOIN "${DECISION_ENGINE_SCHEMA}"."archive_projection" l ON l."record_type" = $1 AND l."record"->>'productId' = $2 AND l."record"->>'lotNumber' = r."lot_number"
             WHERE r."gtin" = $3`,
            [RecordTypes.lot, record.id, String(record['gtin'])],
          );
          for (const lot of lots) await decisions.onLotKnown(manager, lot.id);
        }
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
