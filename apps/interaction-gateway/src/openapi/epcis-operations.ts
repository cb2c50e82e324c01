import { z } from 'zod';
import type { ApiDocOptions } from './api-doc.decorator.js';
import { CaptureJob, CaptureLimits, EPCISDocument, EPCISQueryDocument, Trail } from './schemas/trace.schemas.js';

// The documentation of the EPCIS 2.0 binding (EpcisController) and the trails (TrailController),
// by handler name.

const versionHeaders = { 'GS1-EPCIS-Version': 'The EPCIS version, 2.0.0.', 'GS1-CBV-Version': 'The CBV version, 2.0.0.' };

export const EPCIS_OPERATIONS = {
  capture: {
    summary: 'Capture an EPCIS 2.0 document',
    description:
      "Validated against GS1's EPCIS 2.0 JSON Schema, then stored whole or not at all (GS1-Capture-Error-Behaviour: rollback). Every event is anchored. A retried document is idempotent; an event sent again with other content is a new version.",
    headers: [{ name: 'GS1-Capture-Error-Behaviour', description: 'rollback (the only behaviour offered).' }],
    body: { schema: EPCISDocument, contentType: ['application/json', 'application/ld+json'] },
    response: { status: 202, description: 'The capture job.', schema: CaptureJob, headers: { Location: 'The capture job.', ...versionHeaders } },
    problems: [400, 413],
  },
  captureLimits: {
    summary: 'The capture limits',
    response: {
      status: 200,
      description: 'How many events and bytes one capture may carry.',
      schema: CaptureLimits,
      headers: { 'GS1-EPCIS-Capture-Limit': 'Events per capture.', 'GS1-EPCIS-Capture-File-Size-Limit': 'Bytes per capture.', ...versionHeaders },
    },
  },
  captureJob: {
    summary: 'A capture job',
    params: { captureId: 'The captureID.' },
    response: { status: 200, description: 'The job and its outcome.', schema: CaptureJob, headers: versionHeaders },
    problems: [404],
  },
  events: {
    summary: 'Query events (EPCIS 2.0 SimpleEventQuery parameters)',
    description:
      'Any parameter of the EPCIS 2.0 query language: eventType, GE_eventTime, LT_eventTime, GE_recordTime, EQ_bizStep, EQ_disposition, EQ_readPoint, EQ_bizLocation, MATCH_epc, MATCH_anyEPC, MATCH_epcClass, EQ_action, perPage, nextPageToken, … The next page is in the Link header.',
    query: {
      schema: z.object({ eventType: z.string().optional(), GE_eventTime: z.string().optional(), LT_eventTime: z.string().optional(), EQ_bizStep: z.string().optional(), MATCH_anyEPC: z.string().optional(), perPage: z.number().int().min(1).optional(), nextPageToken: z.string().optional() }),
      describe: {
        eventType: 'ObjectEvent, AggregationEvent, …',
        GE_eventTime: 'Events that happened at or after this time.',
        LT_eventTime: 'Events that happened before this time.',
        EQ_bizStep: 'A CBV business step, e.g. shipping.',
        MATCH_anyEPC: 'An EPC (URI or URN) in any role.',
        perPage: 'Events per page.',
        nextPageToken: 'From the previous page (GS1-Next-Page-Token).',
      },
    },
    response: {
      status: 200,
      description: 'An EPCISQueryDocument.',
      schema: EPCISQueryDocument,
      headers: { Link: 'The next page (rel="next"), when there is one.', 'GS1-Next-Page-Token': 'The next page token.', ...versionHeaders },
    },
    problems: [400],
  },
  event: {
    summary: 'One event by its eventID',
    description: 'Its latest version unless `version` asks for an earlier one.',
    params: { eventId: 'The eventID, URL-encoded.' },
    query: { schema: z.object({ version: z.number().int().min(1).optional() }), describe: { version: 'An earlier version.' } },
    response: {
      status: 200,
      description: 'An EPCISQueryDocument with that event.',
      schema: EPCISQueryDocument,
      headers: { 'Traceport-Event-Version': 'The version answered.', 'Traceport-Event-Versions': 'Every version, comma-separated.', 'Traceport-Record-Key': "The event's ledger key.", ...versionHeaders },
    },
    problems: [400, 404],
  },
} as const satisfies Record<string, ApiDocOptions>;

export const TRAIL_OPERATIONS = {
  lotTrail: {
    summary: "A lot's trail",
    query: { schema: z.object({ gtin: z.string(), lot: z.string() }), describe: { gtin: 'The GTIN, 14 digits.', lot: 'The lot number.' } },
    response: { status: 200, description: 'Every trace event concerning the lot, in the order things happened.', schema: Trail },
    problems: [400],
  },
  itemTrail: {
    summary: "An item's trail",
    query: { schema: z.object({ gtin: z.string(), serial: z.string() }), describe: { gtin: 'The GTIN, 14 digits.', serial: 'The serial.' } },
    response: { status: 200, description: 'Every trace event concerning the item, in the order things happened.', schema: Trail },
    problems: [400],
  },
} as const satisfies Record<string, ApiDocOptions>;
