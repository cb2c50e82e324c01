import { z } from 'zod';

export const CaptureJob = z
  .object({
    captureID: z.string(),
    createdAt: z.string(),
    finishedAt: z.string().optional(),
    running: z.boolean(),
    success: z.boolean(),
    captureErrorBehaviour: z.string().meta({ description: 'rollback: a document is stored whole or not at all.' }),
    errors: z.array(z.object({ path: z.string(), message: z.string() })),
    eventCount: z.number().int(),
    storedCount: z.number().int(),
    duplicateCount: z.number().int().meta({ description: 'Events already stored with the same content (idempotent retries).' }),
    newVersionCount: z.number().int().meta({ description: 'Events stored as a new version of an eventID already captured.' }),
  })
  .meta({ id: 'CaptureJob', description: 'An EPCIS 2.0 capture job, with the outcome counts beside.' });

export const CaptureLimits = z
  .object({ captureLimit: z.number().int(), captureFileSizeLimit: z.number().int(), captureErrorBehaviour: z.array(z.string()) })
  .meta({ id: 'CaptureLimits' });

const epcisEvent = z.looseObject({ type: z.string(), eventTime: z.string() }).meta({ id: 'EPCISEvent', description: 'An EPCIS 2.0 event (ObjectEvent, AggregationEvent, TransactionEvent, TransformationEvent, AssociationEvent) as GS1 publishes them.' });

export const EPCISDocument = z
  .looseObject({
    '@context': z.unknown(),
    type: z.literal('EPCISDocument'),
    // GS1's schema requires both, but two of GS1's own examples omit them: capture is lenient (apps/data-service/src/epcis/json-ld-form.normalizer.ts).
    schemaVersion: z.string().optional().meta({ description: 'EPCIS 2.x; taken as "2.0" when absent.' }),
    creationDate: z.string().optional().meta({ description: 'RFC 3339; taken as the time of receipt when absent. A malformed one is a 400.' }),
    epcisBody: z.looseObject({ eventList: z.array(epcisEvent) }),
  })
  .meta({
    id: 'EPCISDocument',
    description: "An EPCIS 2.0 JSON/JSON-LD document; it is validated against GS1's EPCIS 2.0 JSON Schema (vendored in libs/contracts/epcis).",
  });

export const EPCISQueryDocument = z
  .looseObject({
    '@context': z.unknown(),
    type: z.literal('EPCISQueryDocument'),
    schemaVersion: z.string(),
    creationDate: z.string(),
    epcisBody: z.object({ queryResults: z.object({ queryName: z.string(), resultsBody: z.object({ eventList: z.array(epcisEvent) }) }) }),
  })
  .meta({ id: 'EPCISQueryDocument', description: 'EPCIS 2.0 query results: the events exactly as anchored.' });

export const Trail = z
  .object({
    gtin: z.string(),
    lot: z.string().optional(),
    serial: z.string().optional(),
    truncated: z.boolean().meta({ description: 'More events exist than one trail carries.' }),
    events: z.array(
      z.object({
        event_id: z.string(),
        version: z.number().int(),
        event_hash: z.string(),
        event_type: z.string(),
        event_time: z.string(),
        record_time: z.string(),
        biz_step: z.string().nullable(),
        disposition: z.string().nullable(),
        read_point: z.string().nullable(),
        biz_location: z.string().nullable(),
        record_key: z.string().meta({ description: 'Its proof: GET /v1/proofs?record_key=…' }),
        event: z.unknown().meta({ description: 'The EPCIS event as anchored.' }),
      }),
    ),
  })
  .meta({ id: 'Trail', description: 'Every trace event concerning a lot or an item, in the order things happened.' });
