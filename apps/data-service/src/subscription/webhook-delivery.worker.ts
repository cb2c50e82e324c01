import { EPCIS_VERSION } from '@traceport/contracts';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Metrics } from '@traceport/observability';
import type { Logger } from 'pino';
import { Counter } from 'prom-client';
import { DataSource } from 'typeorm';
import { nextDelayMs, type RetrySchedule } from './retry-schedule.js';
import { SIGNATURE_HEADER, signatureOf } from './webhook-signature.js';

export const WEBHOOK_SETTINGS = Symbol('WEBHOOK_SETTINGS');
export const WEBHOOK_LOGGER = Symbol('WEBHOOK_LOGGER');

export interface WebhookSettings extends RetrySchedule {
  readonly timeoutMs: number;
  readonly pollIntervalMs: number;
  /** Notifications sent at once by one replica. */
  readonly concurrency: number;
}

const S = '"data_service"';

interface DueDelivery {
  id: string;
  subscription_id: string;
  body: string;
  attempts: number;
  dest: string;
  signature_token: string;
}

/**
 * Sends queued notifications to their subscriptions' webhooks. A delivery is claimed by pushing
 * its next attempt past the request timeout (FOR UPDATE SKIP LOCKED, so replicas share the queue and
 * a replica that dies mid-request leaves it to be claimed again), POSTed with its GS1-Signature, and
 * then marked delivered (any 2xx), rescheduled with exponential backoff, or — once every attempt
 * failed — made a dead letter, listed and re-drivable over REST.
 */
@Injectable()
export class WebhookDeliveryWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private readonly outcomes: Counter<'outcome'>;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(WEBHOOK_SETTINGS) private readonly settings: WebhookSettings,
    @Inject(WEBHOOK_LOGGER) private readonly logger: Logger,
    metrics: Metrics,
  ) {
    this.outcomes = new Counter({
      name: 'traceport_webhook_attempts_total',
      help: 'Webhook notification attempts, by outcome (delivered, retry, dead)',
      labelNames: ['outcome'],
      registers: [metrics.registry],
    });
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.nudge(), this.settings.pollIntervalMs);
    this.timer.unref();
    this.nudge();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  /** Looks for due notifications now (after a commit that queued one), without waiting for the poll. */
  nudge(): void {
    if (this.stopped) return;
    if (this.running !== undefined) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((error: unknown) => this.logger.warn({ err: error }, 'webhook delivery round failed; tried again at the next poll'))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.nudge();
        }
      });
  }

  private async drain(): Promise<void> {
    for (;;) {
      const due = await this.claim();
      if (due.length === 0) return;
      await Promise.all(due.map((delivery) => this.attempt(delivery)));
      if (this.stopped) return;
    }
  }

  private claim(): Promise<DueDelivery[]> {
    const leaseMs = this.settings.timeoutMs + 5_000;
    return this.db.query(
      `WITH due AS (
         SELECT "id" FROM ${S}."epcis_deliveries" WHERE "status" = 'pending' AND "next_attempt_at" <= now()
         ORDER BY "next_attempt_at" LIMIT $1 FOR UPDATE SKIP LOCKED),
       claimed AS (
         UPDATE ${S}."epcis_deliveries" d SET "next_attempt_at" = now() + make_interval(secs => $2::double precision / 1000)
         FROM due, ${S}."epcis_subscriptions" s
         WHERE d."id" = due."id" AND s."id" = d."subscription_id"
         RETURNING d."id", d."subscription_id", d."body", d."attempts", s."dest", s."signature_token")
       SELECT * FROM claimed`,
      [this.settings.concurrency, leaseMs],
    );
  }

  private async attempt(delivery: DueDelivery): Promise<void> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'gs1-epcis-version': EPCIS_VERSION,
      'traceport-notification-id': delivery.id,
      'traceport-subscription-id': delivery.subscription_id,
    };
    if (delivery.signature_token !== '') headers[SIGNATURE_HEADER.toLowerCase()] = signatureOf(delivery.signature_token, delivery.body);
    let failure: string | null = null;
    try {
      const response = await fetch(delivery.dest, { method: 'POST', headers, body: delivery.body, signal: AbortSignal.timeout(this.settings.timeoutMs), redirect: 'manual' });
      await response.body?.cancel().catch(() => undefined);
      if (response.status < 200 || response.status > 299) failure = `HTTP ${response.status}`;
    } catch (error) {
      failure = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
    const attempts = delivery.attempts + 1;
    if (failure === null) {
      await this.db.query(`UPDATE ${S}."epcis_deliveries" SET "status" = 'delivered', "attempts" = $2, "delivered_at" = now(), "last_error" = '' WHERE "id" = $1`, [delivery.id, attempts]);
      await this.db.query(`UPDATE ${S}."epcis_subscriptions" SET "last_notified_at" = now() WHERE "id" = $1`, [delivery.subscription_id]);
      this.outcomes.inc({ outcome: 'delivered' });
      return;
    }
    const delay = nextDelayMs(this.settings, attempts);
    if (delay === null) {
      await this.db.query(`UPDATE ${S}."epcis_deliveries" SET "status" = 'dead', "attempts" = $2, "last_error" = $3 WHERE "id" = $1`, [delivery.id, attempts, failure.slice(0, 1000)]);
      this.outcomes.inc({ outcome: 'dead' });
      this.logger.warn({ deliveryId: delivery.id, subscriptionId: delivery.subscription_id, attempts, error: failure }, 'webhook notification is a dead letter');
      return;
    }
    await this.db.query(
      `UPDATE ${S}."epcis_deliveries" SET "attempts" = $2, "last_error" = $3, "next_attempt_at" = now() + make_interval(secs => $4::double precision / 1000) WHERE "id" = $1`,
      [delivery.id, attempts, failure.slice(0, 1000), delay],
    );
    this.outcomes.inc({ outcome: 'retry' });
  }
}
