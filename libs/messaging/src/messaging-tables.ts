import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A CloudEvent waiting to be published. Written in the same transaction as the state change it
 * announces, so nothing is published that was not committed, and nothing committed is lost.
 */
@Entity({ name: 'outbox' })
export class OutboxMessage {
  /** Insertion order; the relay publishes in this order so a key's events stay ordered. */
  @PrimaryGeneratedColumn({ type: 'bigint' })
  sequence!: string;

  @Column({ type: 'uuid', unique: true })
  eventId!: string;

  @Column({ type: 'text' })
  topic!: string;

  @Column({ type: 'text', name: 'message_key' })
  key!: string;

  @Column({ type: 'text' })
  value!: string;

  @Column({ type: 'jsonb' })
  headers!: Record<string, string>;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  publishedAt!: Date | null;
}

/** Event ids a consumer has already applied: a redelivered event is recognised and skipped. */
@Entity({ name: 'processed_events' })
export class ProcessedEvent {
  @PrimaryColumn({ type: 'text' })
  consumer!: string;

  @PrimaryColumn({ type: 'text' })
  eventId!: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  processedAt!: Date;
}

export const MESSAGING_ENTITIES = [OutboxMessage, ProcessedEvent];

/** DDL for the two tables, for each service's first migration (schema-qualified). */
export function messagingTablesDdl(schema: string): string[] {
  return [
    `CREATE TABLE "${schema}"."outbox" (
      "sequence" bigserial PRIMARY KEY,
      "event_id" uuid NOT NULL UNIQUE,
      "topic" text NOT NULL,
      "message_key" text NOT NULL,
      "value" text NOT NULL,
      "headers" jsonb NOT NULL,
      "created_at" timestamptz NOT NULL DEFAULT now(),
      "published_at" timestamptz
    )`,
    `CREATE INDEX "outbox_unpublished_idx" ON "${schema}"."outbox" ("sequence") WHERE "published_at" IS NULL`,
    `CREATE TABLE "${schema}"."processed_events" (
      "consumer" text NOT NULL,
      "event_id" text NOT NULL,
      "processed_at" timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY ("consumer", "event_id")
    )`,
  ];
}
