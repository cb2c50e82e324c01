import { controlRecordVersionedV1, createCloudEvent, recordKeyOf, type ControlRecordType, type ControlRecordVersionedV1 } from '@traceport/contracts';
import { enqueueEvent } from '@traceport/messaging';
import { currentCorrelationId } from '@traceport/observability';
import type { EntityManager } from 'typeorm';
import { capturedEventOf } from '../epcis/captured-event.js';
import type { EpcisDocumentValidator } from '../epcis/epcis-document.validator.js';
import { storeCapture } from '../epcis/epcis-event.store.js';
import { IdentifierCanon } from '../epcis/gs1-identifier.js';

/**
 * Publishes a version of a hold or a recall through the outbox, in the caller's transaction: the
 * ledger anchors it as the API shows it, and internal consumers (the decision engine) read it.
 */
export async function publishControlRecord(
  manager: EntityManager,
  recordType: ControlRecordType,
  record: { readonly id: string; readonly version: number } & Record<string, unknown>,
  partitionKey: string,
): Promise<string> {
  const recordKey = recordKeyOf(recordType, record.id, record.version);
  const data: ControlRecordVersionedV1 = { recordType, recordKey, record };
  const correlationId = currentCorrelationId();
  await enqueueEvent(
    manager,
    controlRecordVersionedV1.topic,
    partitionKey,
    createCloudEvent({ type: controlRecordVersionedV1.type, source: '/traceport/data-service/control', subject: recordKey, data, ...(correlationId === undefined ? {} : { correlationId }) }),
  );
  return recordKey;
}

/** CBV dispositions of product control's events. */
export const ControlDisposition = {
  /** A lot held for an inspection failure or a certification: not to be sold. */
  held: 'non_sellable_other',
  recalled: 'recalled',
  /** A hold lifted: the lot is back in the warehouse's normal flow. */
  lifted: 'in_progress',
} as const;

export interface ControlEvent {
  readonly eventId: string;
  readonly time: Date;
  readonly disposition: (typeof ControlDisposition)[keyof typeof ControlDisposition];
  /** Lots (GTIN + lot number), named as LGTIN Digital Links in quantityList. */
  readonly lots: readonly { gtin: string; lot: string }[];
  /** Items of no known lot, named in epcList. */
  readonly items?: readonly { gtin: string; serial: string }[];
  /** Why, kept with the event: the hold or recall record it belongs to. */
  readonly recordKey: string;
  readonly reason: string;
}

const TRACEPORT_NS = 'https://traceport.io/epcis/';

/**
 * Records a hold, a lift or a recall as an EPCIS 2.0 ObjectEvent (action OBSERVE, bizStep holding)
 * in the caller's transaction, stored like any capture: it joins the lots' trails (the scan page's
 * timeline), goes out on epcis.capture.stored.v1 (anchored, and read by internal consumers) and
 * reaches every query subscription it matches (EQ_disposition=recalled, MATCH_epcClass, ...).
 */
export async function recordControlEvents(manager: EntityManager, validator: EpcisDocumentValidator, events: readonly ControlEvent[]): Promise<void> {
  if (events.length === 0) return;
  const document = {
    '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld', { traceport: TRACEPORT_NS }],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: new Date().toISOString(),
    epcisBody: {
      eventList: events.map((event) => ({
        type: 'ObjectEvent',
        eventID: event.eventId,
        eventTime: event.time.toISOString(),
        eventTimeZoneOffset: '+00:00',
        epcList: (event.items ?? []).map((item) => `https://id.gs1.org/01/${item.gtin}/21/${encodeURIComponent(item.serial)}`),
        quantityList: event.lots.map((lot) => ({ epcClass: `https://id.gs1.org/01/${lot.gtin}/10/${encodeURIComponent(lot.lot)}` })),
        action: 'OBSERVE',
        bizStep: 'holding',
        disposition: event.disposition,
        'traceport:record': event.recordKey,
        'traceport:reason': event.reason.slice(0, 500),
      })),
    },
  };
  const validated = validator.validate(JSON.stringify(document));
  const canon = new IdentifierCanon();
  const violations: { field: string; message: string }[] = [];
  const captured = validated.events.map((event, index) => capturedEventOf(event, index, validated.prefixes, validated.customContext, violations, canon));
  if (violations.length > 0) throw new Error(`a product control event is not valid EPCIS: ${violations.map((violation) => `${violation.field}: ${violation.message}`).join('; ')}`);
  const correlationId = currentCorrelationId();
  await storeCapture(manager, {
    captureId: crypto.randomUUID(),
    recordTime: new Date(),
    captureErrorBehaviour: 'rollback',
    events: captured,
    ...(correlationId === undefined ? {} : { correlationId }),
  });
}
