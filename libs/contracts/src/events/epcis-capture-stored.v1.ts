import { z } from 'zod';
import { anchorableRecordSchema } from '../anchorable-record.js';
import { Topics } from '../topics.js';

export const EPCIS_EVENT_RECORD_TYPE = 'epcis.event';

/**
 * An EPCIS event as the API shows it (the captured event with its eventID and recordTime): this exact
 * object is the anchored record. EPCIS events are open JSON-LD, so only what every event has is fixed.
 */
export const epcisEventRecordSchema = z
  .object({
    type: z.string().min(1),
    eventID: z.string().min(1),
    eventTime: z.string().min(1),
    recordTime: z.iso.datetime({ offset: true }),
  })
  .catchall(z.unknown());
export type EpcisEventRecord = z.infer<typeof epcisEventRecordSchema>;

/**
 * What the data layer learnt about an event while storing it, in canonical form, so consumers need
 * not re-parse EPCIS: where it is stored (`seq`, by which the data layer's own consumers read the row
 * back through its primary key), its CBV business step and disposition (full https://ref.gs1.org/cbv
 * URIs), its business location, and every lot it concerns — named directly (an LGTIN, a Digital Link
 * with AI 10), through an item whose lot is known, or through a container packed with such items.
 */
export const epcisEventFactsSchema = z.object({
  seq: z.string().regex(/^\d+$/),
  bizStep: z.string().nullable(),
  disposition: z.string().nullable(),
  bizLocation: z.string().nullable(),
  lots: z.array(z.object({ gtin: z.string().regex(/^\d{14}$/), lot: z.string().min(1) })),
});
export type EpcisEventFacts = z.infer<typeof epcisEventFactsSchema>;

/** One stored event version: an anchorable record (the ledger hashes `record` alone) with its facts. */
export const epcisStoredEventSchema = anchorableRecordSchema.extend({
  recordType: z.literal(EPCIS_EVENT_RECORD_TYPE),
  record: epcisEventRecordSchema,
  /** Not anchored. */
  facts: epcisEventFactsSchema,
});
export type EpcisStoredEvent = z.infer<typeof epcisStoredEventSchema>;

/**
 * The most events one message carries, and (roughly) the most bytes of records: a capture of up to
 * 10,000 events is published as several messages, each well inside Kafka's default 1 MB limit.
 */
export const EPCIS_CAPTURE_MESSAGE_MAX_EVENTS = 500;
export const EPCIS_CAPTURE_MESSAGE_MAX_BYTES = 512 * 1024;

/**
 * The event versions one capture stored, in document order — one message per document (split when
 * large), not one per event: every consumer of captured events (the ledger, lot receipts, the trace
 * graph, subscriptions) works on a document's events together, and a message per event multiplied
 * Kafka's, the outbox's and each consumer's per-message costs by a hundred for a typical document.
 * `records` is the anchorable batch form the ledger reads (see anchorableRecordsOf).
 */
export const epcisCaptureStoredV1 = {
  topic: Topics.epcisCaptureStored.name,
  type: 'io.traceport.epcis.capture.stored.v1',
  schema: z.object({
    captureId: z.uuid(),
    records: z.array(epcisStoredEventSchema).min(1).max(EPCIS_CAPTURE_MESSAGE_MAX_EVENTS),
  }),
} as const;
export type EpcisCaptureStoredV1 = z.infer<typeof epcisCaptureStoredV1.schema>;
