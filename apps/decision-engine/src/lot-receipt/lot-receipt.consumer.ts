import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { epcisCaptureStoredV1, type CloudEvent } from '@traceport/contracts';
import { IdempotentConsumer, KAFKA, KAFKA_PRODUCER, type AfterCommit } from '@traceport/messaging';
import { Metrics } from '@traceport/observability';
import type { Kafka, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { DataSource, type EntityManager } from 'typeorm';
import { DECISION_ENGINE_SCHEMA } from '../config.js';
import { DecisionMetrics } from '../decision/decision.metrics.js';
import { LotDecisionService } from '../decision/lot-decision.service.js';
import { ENGINE_LOGGER } from '../engine.tokens.js';

export const RECEIVING = 'https://ref.gs1.org/cbv/BizStep-receiving';

/**
 * Decides a lot when the bonded warehouse reports receiving it: an EPCIS receiving event that
 * concerns the lot (by its LGTIN, or items or containers of it — the data layer resolves which lots
 * an event concerns and says so in the event's facts). The decision is made in the transaction that
 * marks the event processed, so a redelivered event never decides twice.
 */
@Injectable()
export class LotReceiptConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly consumer: IdempotentConsumer;

  constructor(
    @Inject(KAFKA) kafka: Kafka,
    @Inject(KAFKA_PRODUCER) producer: Producer,
    @InjectDataSource() dataSource: DataSource,
    @Inject(ENGINE_LOGGER) logger: Logger,
    metrics: Metrics,
    private readonly decisionMetrics: DecisionMetrics,
    private readonly decisions: LotDecisionService,
  ) {
    this.consumer = new IdempotentConsumer({
      kafka,
      dataSource,
      producer,
      metrics,
      schema: DECISION_ENGINE_SCHEMA,
      groupId: 'decision-engine.lot-receipts',
      topics: [epcisCaptureStoredV1.topic],
      logger: logger.child({ component: 'lot-receipts' }),
      // Receipts arrive in bursts (a warehouse reports a whole shipment): a Kafka batch is decided in one transaction.
      handler: (event, _context, manager, afterCommit) => this.apply(event, manager, afterCommit),
      batchHandler: async (events, manager, afterCommit) => {
        for (const { event } of events) await this.apply(event, manager, afterCommit);
      },
    });
  }

  private async apply(event: CloudEvent, manager: EntityManager, afterCommit: AfterCommit): Promise<void> {
    for (const { record, facts } of epcisCaptureStoredV1.schema.parse(event.data).records) {
      if (facts.bizStep !== RECEIVING || record['action'] === 'DELETE') continue;
      const receivedAt = new Date(record.eventTime);
      for (const lot of facts.lots) {
        const started = performance.now();
        const decision = await this.decisions.onReceipt(manager, { gtin: lot.gtin, lotNumber: lot.lot, eventId: record.eventID, receivedAt });
        const seconds = (performance.now() - started) / 1000;
        if (decision !== null) afterCommit(() => this.decisionMetrics.decided(decision.outcome, seconds));
      }
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.consumer.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }
}
