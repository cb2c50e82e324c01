import { toKafkaRecord, type CloudEvent } from '@traceport/contracts';
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
    headers: record.headers,
  });
}
