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
 * not re-parse EPCIS: its CBV business step and disposition (full https://ref.gs1.org/cbv URIs),
 * its business location, and every lot it concerns — named directly (an LGTIN, a Digital Link with
 * AI 10), through an item whose lot is known, or through a container packed with such items.
 */
export const epcisEventFactsSchema = z.object({
  bizStep: z.string().nullable(),
  disposition: z.string().nullable(),
  bizLocation: z.string().nullable(),
  lots: z.array(z.object({ gtin: z.string().regex(/^\d{14}$/), lot: z.string().min(1) })),
});
export type EpcisEventFacts = z.infer<typeof epcisEventFactsSchema>;

export const epcisEventCapturedV1 = {
  topic: Topics.epcisEventCaptured.name,
  type: 'io.traceport.epcis.event.captured.v1',
  schema: anchorableRecordSchema.extend({
    recordType: z.literal(EPCIS_EVENT_RECORD_TYPE),
    record: epcisEventRecordSchema,
    /** Not anchored (the ledger hashes `record` alone); absent from events published before it existed. */
    facts: epcisEventFactsSchema.optional(),
  }),
} as const;
export type EpcisEventCapturedV1 = z.infer<typeof epcisEventCapturedV1.schema>;
