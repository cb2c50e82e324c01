import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ControlRecordTypes, controlRecordVersionedV1, holdRecordSchema } from '@traceport/contracts';
import { IdempotentConsumer, KAFKA, KAFKA_PRODUCER } from '@traceport/messaging';
import { Metrics } from '@traceport/observability';
import type { Kafka, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { DECISION_ENGINE_SCHEMA } from '../config.js';
import { ENGINE_LOGGER } from '../engine.tokens.js';
import { settleLotOutcome } from './lot-outcome.js';

const S = `"${DECISION_ENGINE_SCHEMA}"`;

/**
 * Keeps the engine's copy of product control's holds (control.record.versioned.v1) and settles the
 * held lot's outcome in the same transaction: a hold placed on a released lot holds it, a lifted
 * hold gives the lot back the outcome its inspection decided. Versions only move forward, so a
 * late redelivery of an older version changes nothing.
 */
@Injectable()
export class ControlHoldConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly consumer: IdempotentConsumer;

  constructor(
    @Inject(KAFKA) kafka: Kafka,
    @Inject(KAFKA_PRODUCER) producer: Producer,
    @InjectDataSource() dataSource: DataSource,
    @Inject(ENGINE_LOGGER) logger: Logger,
    metrics: Metrics,
  ) {
    const holdLogger = logger.child({ component: 'control-holds' });
    this.consumer = new IdempotentConsumer({
      kafka,
      dataSource,
      producer,
      metrics,
      schema: DECISION_ENGINE_SCHEMA,
      groupId: 'decision-engine.control-holds',
      topics: [controlRecordVersionedV1.topic],
      logger: holdLogger,
      handler: async (event, _context, manager) => {
        const data = controlRecordVersionedV1.schema.parse(event.data);
        if (data.recordType !== ControlRecordTypes.hold) return;
        const hold = holdRecordSchema.parse(data.record);
        // A lot only the trail knows has no decision here.
        if (hold.lotId === '') return;
        await manager.query(
          `INSERT INTO ${S}."control_holds" ("id", "version", "lot_id", "status", "record") VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT ("id") DO UPDATE SET "version" = excluded."version", "status" = excluded."status", "record" = excluded."record"
           WHERE "control_holds"."version" < excluded."version"`,
          [hold.id, hold.version, hold.lotId, hold.status, JSON.stringify(hold)],
        );
        await settleLotOutcome(manager, hold.lotId);
        holdLogger.info({ holdId: hold.id, lotId: hold.lotId, status: hold.status, cause: hold.cause.kind }, 'product control hold applied');
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
