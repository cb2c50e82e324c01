import { fromKafkaRecord, deadLetterTopicOf, MalformedCloudEventError, type CloudEvent } from '@traceport/contracts';
import { DomainException } from '@traceport/errors';
import { runWithCorrelation, traceBatchProcessing, traceMessageProcessing, type Metrics } from '@traceport/observability';
import type { Batch, Consumer, Kafka, KafkaMessage, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import type { DataSource, EntityManager } from 'typeorm';
import { ZodError } from 'zod';

export interface MessageContext {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string | undefined;
}

export interface ReceivedEvent {
  readonly event: CloudEvent;
  readonly context: MessageContext;
}

/**
 * Registers work to run once the handler's transaction has committed, and never when it rolls back
 * (to be retried): effects outside the database, such as counting what was written, then count
 * each change once.
 */
export type AfterCommit = (effect: () => void) => void;

/** Applies one event inside the transaction that also records it as processed. */
export type EventHandler = (event: CloudEvent, context: MessageContext, manager: EntityManager, afterCommit: AfterCommit) => Promise<void>;

/**
 * Applies several events (new ones only, in partition order) in one transaction; for consumers
 * whose work is cheaper per event in bulk, like appending to the log.
 */
export type BatchEventHandler = (events: readonly ReceivedEvent[], manager: EntityManager, afterCommit: AfterCommit) => Promise<void>;

function runEffects(effects: readonly (() => void)[]): void {
  for (const effect of effects) effect();
}

export interface IdempotentConsumerOptions {
  readonly kafka: Kafka;
  readonly dataSource: DataSource;
  /** Schema holding this service's processed_events table. */
  readonly schema: string;
  readonly groupId: string;
  readonly topics: readonly string[];
  /** Per event; or give batchHandler. A batch handler is used first, this one isolates a poison event. */
  readonly handler: EventHandler;
  readonly batchHandler?: BatchEventHandler;
  /** Publishes dead letters. */
  readonly producer: Producer;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Attempts for an event the handler rejects as invalid before it is dead-lettered. */
  readonly maxPermanentAttempts?: number;
  /** Most events applied in one transaction. */
  readonly maxBatchSize?: number;
  /**
   * How often applied offsets are committed to Kafka, at most (ms; default 1000). Offsets only say
   * where a new owner of the partition starts reading: what was applied is known from
   * processed_events, so a redelivery skips it whenever the commit came. Committing after every
   * chunk had the broker's group coordinator doing a quarter of its work on offset commits.
   */
  readonly commitIntervalMs?: number;
}

/** Errors that retrying cannot fix: the event itself is wrong. */
export function isPermanentFailure(error: unknown): boolean {
  return (
    error instanceof MalformedCloudEventError ||
    error instanceof ZodError ||
    (error instanceof DomainException && (error.kind === 'invalid' || error.kind === 'conflict'))
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const backoffMs = (attempt: number) => Math.min(30_000, 200 * 2 ** Math.min(attempt - 1, 8));

/**
 * A Kafka consumer that never loses or double-applies an event:
 * - offsets are committed only after the handler's transaction commits;
 * - event ids are recorded in that same transaction, so a redelivery is skipped;
 * - transient failures (database or broker down) are retried with backoff for as long as it takes,
 *   holding the partition rather than skipping ahead;
 * - an event that can never be applied goes to `<topic>.dlt` with its error, and the partition moves on.
 * Kafka's batches are applied a chunk per transaction; when a chunk fails for a reason retrying
 * cannot fix, its events are applied one by one, so only the bad one is dead-lettered.
 */
export class IdempotentConsumer {
  private consumer: Consumer | undefined;
  private stopping = false;
  /** The next offset to read, per partition, of what has been applied and not yet committed. */
  private readonly uncommitted = new Map<string, { topic: string; partition: number; offset: string }>();
  private lastCommitAt = 0;
  private commitTimer: NodeJS.Timeout | undefined;
  private committing: Promise<void> = Promise.resolve();

  constructor(private readonly options: IdempotentConsumerOptions) {}

  /**
   * Connects and subscribes, then joins the group in the background. The join waits until the group
   * rebalances, which after a crash means until the dead member's session expires (sessionTimeout,
   * 30 s): awaiting it here held the service's start — and its readiness, hence all its traffic —
   * for that long after every kill -9. Events published meanwhile wait in Kafka and are consumed
   * once the group has formed. A join that fails for good stops the process, so it is restarted,
   * as a failed start would have.
   */
  async start(): Promise<void> {
    const { kafka, groupId, topics } = this.options;
    this.consumer = kafka.consumer({ groupId, sessionTimeout: 30_000, heartbeatInterval: 3_000, maxBytesPerPartition: 4 * 2 ** 20 });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [...topics], fromBeginning: true });
    void this.run(this.consumer).catch((error: unknown) => {
      if (this.stopping) return;
      this.options.logger.fatal({ err: error, groupId }, 'the consumer could not join its group; stopping the service so it is restarted');
      process.exitCode = 1;
      process.kill(process.pid, 'SIGTERM');
    });
  }

  private async run(consumer: Consumer): Promise<void> {
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        const chunkSize = this.options.maxBatchSize ?? 500;
        for (let start = 0; start < batch.messages.length; start += chunkSize) {
          if (!isRunning() || isStale() || this.stopping) return;
          const chunk = batch.messages.slice(start, start + chunkSize);
          const applied = await this.consumeChunk(batch, chunk, heartbeat);
          if (!applied) return; // stopping mid-retry: leave the offsets for the next owner
          const last = chunk[chunk.length - 1]!;
          resolveOffset(last.offset);
          this.uncommitted.set(`${batch.topic}/${batch.partition}`, { topic: batch.topic, partition: batch.partition, offset: (BigInt(last.offset) + 1n).toString() });
          await this.commitSoon(consumer);
          await heartbeat();
        }
      },
    });
  }

  /**
   * Commits now if the interval has passed since the last commit (or the consumer is stopping, when
   * no timer should outlive it), else once it has.
   */
  private async commitSoon(consumer: Consumer): Promise<void> {
    const interval = this.options.commitIntervalMs ?? 1_000;
    const due = this.lastCommitAt + interval - Date.now();
    if (due <= 0 || this.stopping) return this.commitApplied(consumer);
    this.commitTimer ??= setTimeout(() => {
      this.commitTimer = undefined;
      void this.commitApplied(consumer);
    }, due);
  }

  /**
   * A commit that fails (the group is rebalancing, the broker is away) is not retried: the next
   * owner of the partition reads from the last committed offset, and skips what was applied.
   */
  private commitApplied(consumer: Consumer): Promise<void> {
    if (this.uncommitted.size === 0) return this.committing;
    const offsets = [...this.uncommitted.values()];
    this.uncommitted.clear();
    this.lastCommitAt = Date.now();
    // One commit at a time, so that a partition's committed offset never moves back.
    this.committing = this.committing.then(() =>
      consumer.commitOffsets(offsets).catch((error: unknown) => {
        this.options.logger.debug({ err: error, groupId: this.options.groupId }, 'offsets not committed; a redelivery will be skipped');
      }),
    );
    return this.committing;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.commitTimer);
    if (this.consumer !== undefined) await this.commitApplied(this.consumer);
    // A join still waiting on the broker ends with the disconnect.
    await this.consumer?.disconnect();
  }

  /** Applies a chunk; false only when stopping interrupted it (nothing is committed then). */
  private async consumeChunk(batch: Batch, messages: KafkaMessage[], heartbeat: () => Promise<void>): Promise<boolean> {
    const received: ReceivedEvent[] = [];
    for (const message of messages) {
      const context: MessageContext = { topic: batch.topic, partition: batch.partition, offset: message.offset, key: message.key?.toString() };
      try {
        received.push({ event: fromKafkaRecord(message.headers ?? {}, message.value), context });
      } catch (error) {
        await this.deadLetter(context, message, error, 1);
      }
    }
    if (received.length === 0) return true;
    const messageAt = new Map(messages.map((message) => [message.offset, message]));
    const { batchHandler } = this.options;
    if (batchHandler !== undefined && received.length > 1) {
      for (let attempt = 1; !this.stopping; attempt += 1) {
        try {
          // Each message's trace (from its producer, in the W3C headers) shows where it was applied.
          const traced = received.map((item) => ({
            headers: messageAt.get(item.context.offset)?.headers ?? {},
            attributes: { ...item.context, eventId: item.event.id, consumerGroup: this.options.groupId },
          }));
          await traceBatchProcessing(traced, () => this.applyChunk(received, batchHandler));
          return true;
        } catch (error) {
          if (isPermanentFailure(error)) break; // find the bad event one by one
          this.options.logger.warn({ err: error, topic: batch.topic, partition: batch.partition, attempt }, 'batch not applied yet; retrying');
          await sleep(backoffMs(attempt));
          await heartbeat().catch(() => undefined);
        }
      }
      if (this.stopping) return false;
    }
    for (const item of received) {
      const message = messageAt.get(item.context.offset)!;
      if (!(await this.consumeOne(item, message, heartbeat))) return false;
    }
    return true;
  }

  private async applyChunk(received: readonly ReceivedEvent[], batchHandler: BatchEventHandler): Promise<void> {
    const { dataSource, schema, groupId, metrics } = this.options;
    const effects: (() => void)[] = [];
    const fresh = await dataSource.transaction(async (manager) => {
      const inserted: { event_id: string }[] = await manager.query(
        `INSERT INTO "${schema}"."processed_events" ("consumer", "event_id")
         SELECT $1, id FROM unnest($2::text[]) AS id ON CONFLICT DO NOTHING RETURNING "event_id"`,
        [groupId, received.map((item) => item.event.id)],
      );
      const newIds = new Set(inserted.map((row) => row.event_id));
      // The same event twice in one chunk: keep its first occurrence.
      const seen = new Set<string>();
      const toApply = received.filter((item) => newIds.has(item.event.id) && !seen.has(item.event.id) && seen.add(item.event.id));
      if (toApply.length > 0) await batchHandler(toApply, manager, (effect) => effects.push(effect));
      return toApply.length;
    });
    runEffects(effects);
    const topic = received[0]!.context.topic;
    metrics.messagesConsumed.inc({ topic, outcome: 'processed' }, fresh);
    if (received.length > fresh) metrics.messagesConsumed.inc({ topic, outcome: 'duplicate' }, received.length - fresh);
  }

  /** One event with its own retries; false only when stopping interrupted it. */
  private async consumeOne(item: ReceivedEvent, message: KafkaMessage, heartbeat: () => Promise<void>): Promise<boolean> {
    const { event, context } = item;
    return runWithCorrelation(event.correlationid, async () => {
      const maxPermanent = this.options.maxPermanentAttempts ?? 3;
      for (let attempt = 1; !this.stopping; attempt += 1) {
        try {
          const outcome = await traceMessageProcessing(
            message.headers ?? {},
            { ...context, eventId: event.id, consumerGroup: this.options.groupId },
            () => this.applyOnce(event, context),
          );
          this.options.metrics.messagesConsumed.inc({ topic: context.topic, outcome });
          return true;
        } catch (error) {
          if (isPermanentFailure(error) && attempt >= maxPermanent) {
            await this.deadLetter(context, message, error, attempt);
            return true;
          }
          const delayMs = backoffMs(attempt);
          this.options.logger.warn(
            { err: error, topic: context.topic, partition: context.partition, offset: context.offset, eventId: event.id, attempt, delayMs },
            'event not applied yet; retrying',
          );
          await sleep(delayMs);
          await heartbeat().catch(() => undefined);
        }
      }
      return false;
    });
  }

  private async applyOnce(event: CloudEvent, context: MessageContext): Promise<'processed' | 'duplicate'> {
    const { dataSource, schema, groupId, handler } = this.options;
    const effects: (() => void)[] = [];
    const outcome = await dataSource.transaction(async (manager) => {
      const inserted: unknown[] = await manager.query(
        `INSERT INTO "${schema}"."processed_events" ("consumer", "event_id") VALUES ($1, $2)
         ON CONFLICT DO NOTHING RETURNING "event_id"`,
        [groupId, event.id],
      );
      if (inserted.length === 0) return 'duplicate' as const;
      await handler(event, context, manager, (effect) => effects.push(effect));
      return 'processed' as const;
    });
    runEffects(effects);
    return outcome;
  }

  private async deadLetter(context: MessageContext, message: KafkaMessage, error: unknown, attempts: number): Promise<void> {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    this.options.logger.error({ topic: context.topic, offset: context.offset, attempts, reason }, 'event dead-lettered');
    await this.options.producer.send({
      topic: deadLetterTopicOf(context.topic),
      acks: -1,
      messages: [
        {
          key: message.key,
          value: message.value,
          headers: {
            ...message.headers,
            dlt_error: reason.slice(0, 4_000),
            dlt_consumer: this.options.groupId,
            dlt_attempts: String(attempts),
            dlt_source: `${context.topic}/${context.partition}@${context.offset}`,
          },
        },
      ],
    });
    this.options.metrics.messagesConsumed.inc({ topic: context.topic, outcome: 'dead_lettered' });
  }
}
