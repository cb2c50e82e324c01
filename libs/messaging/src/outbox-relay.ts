import type { Producer } from 'kafkajs';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';

interface OutboxRow {
  sequence: string;
  topic: string;
  message_key: string;
  value: string;
  headers: Record<string, string>;
}

export interface OutboxRelayOptions {
  readonly schema: string;
  readonly logger: Logger;
  readonly onPublished?: (topic: string, count: number) => void;
  /** Fallback poll; commits from this process nudge the relay at once. */
  readonly pollIntervalMs?: number;
  readonly batchSize?: number;
  /** Most bytes of message values one send carries (the first row is always sent, whatever its size). */
  readonly batchBytes?: number;
  /** How long published rows are kept (to inspect what went out) before they are deleted. */
  readonly retainPublishedMs?: number;
}

/** How often the relay deletes published rows older than their retention, and at most how many at once. */
const PRUNE_INTERVAL_MS = 60_000;
const PRUNE_BATCH = 10_000;

/**
 * Publishes committed outbox rows to Kafka in insertion order, then marks them published.
 * One relay at a time per schema holds an advisory lock, so per-key order survives scale-out.
 * A crash between publish and mark re-publishes: delivery is at-least-once and consumers
 * deduplicate by event id.
 */
export class OutboxRelay {
  private running = false;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private readonly pollIntervalMs: number;
  private readonly batchSize: number;
  private readonly batchBytes: number;
  private readonly retainPublishedMs: number;
  private lastPruned = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly producer: Producer,
    private readonly options: OutboxRelayOptions,
  ) {
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
    this.batchSize = options.batchSize ?? 500;
    this.batchBytes = options.batchBytes ?? 4 * 2 ** 20;
    this.retainPublishedMs = options.retainPublishedMs ?? 60 * 60 * 1000;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Call after a transaction that enqueued events commits. */
  nudge(): void {
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.nudge();
    await this.loop;
  }

  /** The number of events committed but not yet published. */
  async backlog(): Promise<number> {
    const rows: { count: string }[] = await this.dataSource.query(
      `SELECT count(*)::text AS count FROM "${this.options.schema}"."outbox" WHERE "published_at" IS NULL`,
    );
    return Number(rows[0]?.count ?? 0);
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        const published = await this.drainOnce();
        failures = 0;
        if (published > 0) continue;
        await this.pruneIfDue();
      } catch (error) {
        failures += 1;
        this.options.logger.warn({ err: error, failures }, 'outbox relay could not publish; will retry');
      }
      const delay = failures === 0 ? this.pollIntervalMs : Math.min(30_000, 250 * 2 ** Math.min(failures, 7));
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  async drainOnce(): Promise<number> {
    const schema = this.options.schema;
    return this.dataSource.transaction(async (manager) => {
      const lock: { locked: boolean }[] = await manager.query('SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked', [
        `outbox:${schema}`,
      ]);
      if (lock[0]?.locked !== true) return 0;
      // In order, up to batchSize rows and batchBytes of values (a capture's message is ~100 events).
      const rows: OutboxRow[] = await manager.query(
        `SELECT "sequence", "topic", "message_key", "value", "headers" FROM (
           SELECT "sequence", "topic", "message_key", "value", "headers", sum(octet_length("value")) OVER (ORDER BY "sequence") - octet_length("value") AS "before"
           FROM "${schema}"."outbox" WHERE "published_at" IS NULL ORDER BY "sequence" LIMIT $1
         ) o WHERE "before" < $2 ORDER BY "sequence"`,
        [this.batchSize, this.batchBytes],
      );
      if (rows.length === 0) return 0;
      const byTopic = new Map<string, OutboxRow[]>();
      for (const row of rows) byTopic.set(row.topic, [...(byTopic.get(row.topic) ?? []), row]);
      await this.producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, topicRows]) => ({
          topic,
          messages: topicRows.map((row) => ({ key: row.message_key, value: row.value, headers: row.headers })),
        })),
      });
      await manager.query(`UPDATE "${schema}"."outbox" SET "published_at" = now() WHERE "sequence" = ANY($1::bigint[])`, [
        rows.map((row) => row.sequence),
      ]);
      for (const [topic, topicRows] of byTopic) this.options.onPublished?.(topic, topicRows.length);
      return rows.length;
    });
  }

  /**
   * Deletes published rows past their retention, a bounded batch at a time, once a minute while the
   * relay is idle: the outbox holds what is waiting and the last hour's history, not everything ever sent.
   */
  async pruneIfDue(now = Date.now()): Promise<number> {
    if (now - this.lastPruned < PRUNE_INTERVAL_MS) return 0;
    this.lastPruned = now;
    const schema = this.options.schema;
    const [{ deleted }]: [{ deleted: number }] = await this.dataSource.query(
      `WITH "gone" AS (
         DELETE FROM "${schema}"."outbox" WHERE "sequence" IN (
           SELECT "sequence" FROM "${schema}"."outbox" WHERE "published_at" < $1 ORDER BY "sequence" LIMIT $2
         ) RETURNING 1
       ) SELECT count(*)::int AS "deleted" FROM "gone"`,
      [new Date(now - this.retainPublishedMs), PRUNE_BATCH],
    );
    if (deleted === PRUNE_BATCH) this.lastPruned = 0; // more to go: again at the next idle moment
    return deleted;
  }
}
