import { toKafkaRecord, type CloudEvent } from '@traceport/contracts';
import { outboxTraceHeaders } from '@traceport/observability';
import type { EntityManager } from 'typeorm';
import { OutboxMessage } from './messaging-tables.js';

/**
 * Queues an event for publication inside the caller's transaction. The relay publishes it once the
 * transaction commits; a rollback discards it with the change it described.
 */
export async function enqueueEvent(manager: EntityManager, topic: string, key: string, event: CloudEvent): Promise<void> {
  const record = toKafkaRecord(event, key);
  await manager.insert(OutboxMessage, {
    eventId: event.id,
    topic,
    key: record.key,
    value: record.value,
    headers: { ...record.headers, ...outboxTraceHeaders({ topic, eventId: event.id }) },
  });
}

/** An event to queue; `dataJson` is its data already encoded as JSON, sent as is (see toKafkaRecord). */
export interface QueuedEvent {
  readonly key: string;
  readonly event: CloudEvent;
  readonly dataJson?: string;
}

/** Up to this many rows go as plain parameters; more travel as one JSON text. */
const PARAMETER_ROWS = 16;

/** Queues many events in one statement (bulk writes such as an archive import), in order. */
export async function enqueueEvents(manager: EntityManager, topic: string, events: readonly QueuedEvent[]): Promise<void> {
  if (events.length === 0) return;
  const traceHeaders = outboxTraceHeaders({ topic, messageCount: events.length });
  const rows = events.map(({ key, event, dataJson }) => {
    const record = toKafkaRecord(event, key, dataJson);
    return { event_id: event.id, message_key: record.key, value: record.value, headers: { ...record.headers, ...traceHeaders } };
  });
  // The outbox lives in the service's schema, which raw SQL must name.
  const schema = manager.getRepository(OutboxMessage).metadata.schema ?? 'public';
  if (rows.length <= PARAMETER_ROWS) {
    // A few rows (a capture's one or two messages, each a large value): plain parameters, which the
    // driver sends as they are, where JSON would escape every quote of the value and PostgreSQL parse it back.
    const values = rows.map((_, index) => `($${index * 4 + 2}::uuid, $1, $${index * 4 + 3}, $${index * 4 + 4}, $${index * 4 + 5}::jsonb)`);
    await manager.query(
      `INSERT INTO "${schema}"."outbox" ("event_id", "topic", "message_key", "value", "headers") VALUES ${values.join(', ')}`,
      [topic, ...rows.flatMap((row) => [row.event_id, row.message_key, row.value, JSON.stringify(row.headers)])],
    );
    return;
  }
  // Many rows travel as one JSON text, in order (each row takes the next sequence): JSON.stringify
  // escapes the values natively, where text[] parameters are escaped element by element in
  // JavaScript, which was most of this function's cost.
  await manager.query(
    `INSERT INTO "${schema}"."outbox" ("event_id", "topic", "message_key", "value", "headers")
     SELECT r."event_id", $1, r."message_key", r."value", r."headers"
     FROM json_to_recordset($2::json) AS r ("event_id" uuid, "message_key" text, "value" text, "headers" jsonb)`,
    [topic, JSON.stringify(rows)],
  );
}
