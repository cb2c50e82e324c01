import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { epcisCaptureStoredV1, type CloudEvent } from '@traceport/contracts';
import { IdempotentConsumer, KAFKA, KAFKA_PRODUCER, type AfterCommit } from '@traceport/messaging';
import { Metrics } from '@traceport/observability';
import type { Kafka, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { DataSource, type EntityManager } from 'typeorm';
import { DATA_SERVICE_SCHEMA } from '../config.js';
import { parseEventQuery, type QueryParameter } from '../epcis/epcis-event-query.js';
import { notificationDocumentJson } from './notification-document.js';
import { WebhookDeliveryWorker } from './webhook-delivery.worker.js';

export const SUBSCRIPTION_LOGGER = Symbol('SUBSCRIPTION_LOGGER');

const S = '"data_service"';

interface StreamSubscription {
  id: string;
  query_name: string;
  parameters: QueryParameter[];
}

/**
 * Evaluates every stream subscription's query against newly captured events (epcis.capture.stored.v1):
 * the query's own SQL, restricted to the batch's event versions (by seq, the rows' primary key), so
 * a subscription matches exactly what GET /epcis/events would answer. Each subscription that matches gets one notification (its
 * matching events, in eventTime order) queued in PostgreSQL in the transaction that marks the batch
 * processed: a redelivered batch queues nothing twice, and a queued notification survives restarts.
 */
@Injectable()
export class SubscriptionMatcherConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly consumer: IdempotentConsumer;

  constructor(
    @Inject(KAFKA) kafka: Kafka,
    @Inject(KAFKA_PRODUCER) producer: Producer,
    @InjectDataSource() dataSource: DataSource,
    @Inject(SUBSCRIPTION_LOGGER) private readonly logger: Logger,
    metrics: Metrics,
    private readonly worker: WebhookDeliveryWorker,
  ) {
    this.consumer = new IdempotentConsumer({
      kafka,
      dataSource,
      producer,
      metrics,
      schema: DATA_SERVICE_SCHEMA,
      groupId: 'data-service.subscriptions',
      topics: [epcisCaptureStoredV1.topic],
      logger: logger.child({ component: 'subscriptions' }),
      handler: (event, _context, manager, afterCommit) => this.match(manager, [event], afterCommit),
      batchHandler: (events, manager, afterCommit) => this.match(manager, events.map(({ event }) => event), afterCommit),
    });
  }

  private async match(manager: EntityManager, events: readonly CloudEvent[], afterCommit: AfterCommit): Promise<void> {
    const subscriptions: StreamSubscription[] = await manager.query(
      `SELECT s."id", s."query_name", q."parameters" FROM ${S}."epcis_subscriptions" s JOIN ${S}."epcis_named_queries" q ON q."name" = s."query_name" WHERE s."stream"`,
    );
    if (subscriptions.length === 0) return;
    const seqs = events.flatMap((event) => epcisCaptureStoredV1.schema.parse(event.data).records.map((stored) => stored.facts.seq));
    let queued = 0;
    for (const subscription of subscriptions) {
      let where: string[];
      let values: unknown[];
      try {
        ({ where, values } = parseEventQuery(subscription.parameters));
      } catch (error) {
        // Checked when the query was saved; a query a later version no longer reads notifies nothing.
        this.logger.warn({ err: error, query: subscription.query_name }, 'a named query no longer parses; its subscriptions are skipped');
        continue;
      }
      const rows: { event_id: string; body_json: string }[] = await manager.query(
        `SELECT e."event_id", e."body"::text AS "body_json" FROM ${S}."epcis_events" e
         WHERE ${where.join(' AND ')} AND e."seq" = ANY($${values.length + 1}::bigint[])
         ORDER BY e."event_time", e."seq"`,
        [...values, seqs],
      );
      if (rows.length === 0) continue;
      await manager.query(`INSERT INTO ${S}."epcis_deliveries" ("id", "subscription_id", "event_ids", "body", "status") VALUES ($1, $2, $3, $4, 'pending')`, [
        crypto.randomUUID(),
        subscription.id,
        rows.map((row) => row.event_id),
        notificationDocumentJson(subscription.query_name, subscription.id, rows.map((row) => row.body_json)),
      ]);
      queued += 1;
    }
    if (queued > 0) afterCommit(() => this.worker.nudge());
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.consumer.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }
}
