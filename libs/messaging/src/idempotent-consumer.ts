import { fromKafkaRecord, deadLetterTopicOf, MalformedCloudEventError, type CloudEvent } from '@traceport/contracts';
import { DomainException } from '@traceport/errors';
import { runWithCorrelation, type Metrics } from '@traceport/observability';
import type { Consumer, Kafka, KafkaMessage, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import type { DataSource, EntityManager } from 'typeorm';
import { ZodError } from 'zod';

export interface MessageContext {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string | undefined;
}

/** Applies one event inside the transaction that also records it as processed. */
export type EventHandler = (event: CloudEvent, context: MessageContext, manager: EntityManager) => Promise<void>;

export interface IdempotentConsumerOptions {
  readonly kafka: Kafka;
  readonly dataSource: DataSource;
  /** Schema holding this service's processed_events table. */
  readonly schema: string;
  readonly groupId: string;
  readonly topics: readonly string[];
  readonly handler: EventHandler;
  /** Publishes dead letters. */
  readonly producer: Producer;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Attempts for an event the handler rejects as invalid before it is dead-lettered. */
  readonly maxPermanentAttempts?: number;
}

/** Errors that retrying cannot fix: the event itself is wrong. */
export function isPermanentFailure(error: unknown): boolean {
  return (
    error instanceof MalformedCloudEventError ||
    error instanceof ZodError ||
    (error instanceof DomainException && (error.kind === 'invalid' || error.kind === 'conflict'))
  );
}

/**
 * A Kafka consumer that never loses or double-applies an event:
 * - offsets are committed only after the handler's transaction commits;
 * - the event id is recorded in that same transaction, so a redelivery is skipped;
 * - transient failures (database or broker down) are retried with backoff for as long as it takes,
 *   holding the partition rather than skipping ahead;
 * - an event that can never be applied goes to `<topic>.dlt` with its error, and the partition moves on.
 */
export class IdempotentConsumer {
  private consumer: Consumer | undefined;
  private stopping = false;

  constructor(private readonly options: IdempotentConsumerOptions) {}

  async start(): Promise<void> {
    const { kafka, groupId, topics } = this.options;
    this.consumer = kafka.consumer({ groupId, sessionTimeout: 30_000, heartbeatInterval: 3_000 });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [...topics], fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      eachMessage: async ({ topic, partition, message, heartbeat }) => {
        await this.consume(topic, partition, message, heartbeat);
        if (this.stopping) return;
        await this.consumer?.commitOffsets([{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
      },
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.consumer?.disconnect();
  }

  private async consume(topic: string, partition: number, message: KafkaMessage, heartbeat: () => Promise<void>): Promise<void> {
    const context: MessageContext = { topic, partition, offset: message.offset, key: message.key?.toString() };
    let event: CloudEvent;
    try {
      event = fromKafkaRecord(message.headers ?? {}, message.value);
    } catch (error) {
      await this.deadLetter(context, message, error, 1);
      return;
    }
    await runWithCorrelation(event.correlationid, async () => {
      const maxPermanent = this.options.maxPermanentAttempts ?? 3;
      for (let attempt = 1; !this.stopping; attempt += 1) {
        try {
          const outcome = await this.applyOnce(event, context);
          this.options.metrics.messagesConsumed.inc({ topic, outcome });
          return;
        } catch (error) {
          if (isPermanentFailure(error) && attempt >= maxPermanent) {
            await this.deadLetter(context, message, error, attempt);
            return;
          }
          const delayMs = Math.min(30_000, 200 * 2 ** Math.min(attempt - 1, 8));
          this.options.logger.warn(
            { err: error, topic, partition, offset: message.offset, eventId: event.id, attempt, delayMs },
            'event not applied yet; retrying',
          );
          await new Promise((resolve) => setTimeout(resolve, delayMs));
          await heartbeat().catch(() => undefined);
        }
      }
    });
  }

  private async applyOnce(event: CloudEvent, context: MessageContext): Promise<'processed' | 'duplicate'> {
    const { dataSource, schema, groupId, handler } = this.options;
    return dataSource.transaction(async (manager) => {
      const inserted: unknown[] = await manager.query(
        `INSERT INTO "${schema}"."processed_events" ("consumer", "event_id") VALUES ($1, $2)
         ON CONFLICT DO NOTHING RETURNING "event_id"`,
        [groupId, event.id],
      );
      if (inserted.length === 0) return 'duplicate';
      await handler(event, context, manager);
      return 'processed';
    });
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
