import { createCloudEvent, decisionRecordVersionedV1, recordKeyOf, type DecisionRecordType, type DecisionRecordVersionedV1 } from '@traceport/contracts';
import { enqueueEvent } from '@traceport/messaging';
import { currentCorrelationId } from '@traceport/observability';
import type { EntityManager } from 'typeorm';

/**
 * Publishes one of the engine's anchorable records through the outbox, in the caller's
 * transaction: nothing is announced that was not committed, nothing committed goes unannounced.
 * The record is anchored exactly as the API shows it.
 */
export async function publishDecisionRecord(
  manager: EntityManager,
  recordType: DecisionRecordType,
  record: { readonly id: string; readonly version?: number } & Record<string, unknown>,
  partitionKey: string,
): Promise<void> {
  const recordKey = recordKeyOf(recordType, record.id, record.version ?? 1);
  const data: DecisionRecordVersionedV1 = { recordType, recordKey, record };
  const correlationId = currentCorrelationId();
  await enqueueEvent(
    manager,
    decisionRecordVersionedV1.topic,
    partitionKey,
    createCloudEvent({ type: decisionRecordVersionedV1.type, source: '/traceport/decision-engine', subject: recordKey, data, ...(correlationId === undefined ? {} : { correlationId }) }),
  );
}
