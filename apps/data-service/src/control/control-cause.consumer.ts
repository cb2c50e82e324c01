import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { archiveRecordVersionedV1, DecisionRecordTypes, decisionRecordVersionedV1, RecordTypes } from '@traceport/contracts';
import { IdempotentConsumer, KAFKA, KAFKA_PRODUCER, OutboxRelay } from '@traceport/messaging';
import { Metrics } from '@traceport/observability';
import type { Kafka, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { DATA_SERVICE_SCHEMA } from '../config.js';
import { CONTROL_LOGGER, ControlCauseService } from './control-cause.service.js';

const inspectionResultSchema = z.object({ id: z.string(), lotId: z.string(), agency: z.string(), verdict: z.string(), reason: z.string(), notes: z.string().optional() });

/**
 * Reads the causes of holds off Kafka: the decision engine's inspection results
 * (decision.record.versioned.v1) and the archive's factory versions (archive.record.versioned.v1).
 * Holds are placed in the transaction that records the event as processed: a redelivery holds nothing twice.
 */
@Injectable()
export class ControlCauseConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly consumer: IdempotentConsumer;

  constructor(
    @Inject(KAFKA) kafka: Kafka,
    @Inject(KAFKA_PRODUCER) producer: Producer,
    @InjectDataSource() dataSource: DataSource,
    @Inject(CONTROL_LOGGER) logger: Logger,
    metrics: Metrics,
    causes: ControlCauseService,
    relay: OutboxRelay,
  ) {
    this.consumer = new IdempotentConsumer({
      kafka,
      dataSource,
      producer,
      metrics,
      schema: DATA_SERVICE_SCHEMA,
      groupId: 'data-service.product-control',
      topics: [decisionRecordVersionedV1.topic, archiveRecordVersionedV1.topic],
      logger: logger.child({ component: 'product-control' }),
      handler: async (event, _context, manager, afterCommit) => {
        if (event.type === decisionRecordVersionedV1.type) {
          const data = decisionRecordVersionedV1.schema.parse(event.data);
          if (data.recordType !== DecisionRecordTypes.inspectionResult) return;
          await causes.onInspectionResult(manager, inspectionResultSchema.parse(data.record));
        } else if (event.type === archiveRecordVersionedV1.type) {
          const data = archiveRecordVersionedV1.schema.parse(event.data);
          if (data.recordType !== RecordTypes.factory) return;
          await causes.onFactory(manager, data.record.id, data.record);
        } else {
          return;
        }
        afterCommit(() => relay.nudge());
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
