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

/** Queues many events in one statement (bulk writes such as an archive import), in order. */
export async function enqueueEvents(manager: EntityManager, topic: string, events: readonly { key: string; event: CloudEvent }[]): Promise<void> {
  if (events.length === 0) return;
  const records = events.map(({ key, event }) => ({ id: event.id, record: toKafkaRecord(event, key) }));
  const traceHeaders = outboxTraceHeaders({ topic, messageCount: events.length });
  // The outbox lives in the service's schema, which raw SQL must name.
  const schema = manager.getRepository(OutboxMessage).metadata.schema ?? 'public';
  // The rows travel as one JSON text, in order (each row takes the next sequence): JSON.stringify
  // escapes the values natively, where text[] parameters are escaped element by element in
  // JavaScript, which was most of this function's cost.
  const rows = records.map((item) => ({
    event_id: item.id,
    message_key: item.record.key,
    value: item.record.value,
    headers: { ...item.record.headers, ...traceHeaders },
  }));
  await manager.query(
    `INSERT INTO "${schema}"."outbox" ("event_id", "topic", "message_key", "value", "headers")
     SELECT r."event_id", $1, r."message_key", r."value", r."headers"
     FROM json_to_recordset($2::json) AS r ("event_id" uuid, "message_key" text, "value" text, "headers" jsonb)`,
    [topic, JSON.stringify(rows)],
  );
}
