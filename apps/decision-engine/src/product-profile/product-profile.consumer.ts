import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { archiveRecordVersionedV1, productFields, RecordTypes } from '@traceport/contracts';
import { IdempotentConsumer, KAFKA, KAFKA_PRODUCER } from '@traceport/messaging';
import { Metrics } from '@traceport/observability';
import type { Kafka, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { DECISION_ENGINE_SCHEMA } from '../config.js';
import { ENGINE_LOGGER } from '../engine.tokens.js';

/**
 * Keeps the product facts sampling rules need (category, origin, HS code) current from the
 * archive's events, so a decision never waits on a call to the data-service.
 */
@Injectable()
export class ProductProfileConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly consumer: IdempotentConsumer;

  constructor(
    @Inject(KAFKA) kafka: Kafka,
    @Inject(KAFKA_PRODUCER) producer: Producer,
    @InjectDataSource() dataSource: DataSource,
    @Inject(ENGINE_LOGGER) logger: Logger,
    metrics: Metrics,
  ) {
    this.consumer = new IdempotentConsumer({
      kafka,
      dataSource,
      producer,
      metrics,
      schema: DECISION_ENGINE_SCHEMA,
      groupId: 'decision-engine.product-profiles',
      topics: [archiveRecordVersionedV1.topic],
      logger: logger.child({ component: 'product-profiles' }),
      handler: async (event, _context, manager) => {
        const { recordType, record: anyRecord } = archiveRecordVersionedV1.schema.parse(event.data);
        if (recordType !== RecordTypes.product) return; // other archive records are not profiled yet
        const record = { ...productFields.parse(anyRecord), id: anyRecord.id, version: anyRecord.version };
        // Newer versions win; an older one arriving late changes nothing.
        await manager.query(
          `INSERT INTO "decision_engine"."product_profiles" ("product_id", "version", "gtin", "category", "origin_country", "hs_code")
           VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT ("product_id") DO UPDATE SET "version" = EXCLUDED."version", "gtin" = EXCLUDED."gtin",
             "category" = EXCLUDED."category", "origin_country" = EXCLUDED."origin_country", "hs_code" = EXCLUDED."hs_code",
             "updated_at" = now()
           WHERE "product_profiles"."version" < EXCLUDED."version"`,
          [record.id, record.version, record.gtin, record.category, record.originCountry, record.hsCode],
        );
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
