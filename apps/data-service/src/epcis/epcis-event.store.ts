import { createHash } from 'node:crypto';
import {
  createCloudEvent,
  EPCIS_CAPTURE_MESSAGE_MAX_BYTES,
  EPCIS_CAPTURE_MESSAGE_MAX_EVENTS,
  EPCIS_EVENT_RECORD_TYPE,
  epcisCaptureStoredV1,
  recordKeyOf,
  type EpcisStoredEvent,
} from '@traceport/contracts';
import { copyRows, JsonText } from '@traceport/database';
import { enqueueEvents } from '@traceport/messaging';
import type { EntityManager } from 'typeorm';
import type { CapturedEvent } from './captured-event.js';
import type { CapturedEventOutcome } from './epcis.metrics.js';
import { TraceLinker } from './trace-links.js';

const SCHEMA = 'data_service';

export interface CaptureToStore {
  readonly captureId: string;
  readonly recordTime: Date;
  readonly captureErrorBehaviour: string;
  readonly events: readonly CapturedEvent[];
  readonly correlationId?: string;
}

export interface CaptureOutcome {
  readonly stored: number;
  readonly duplicates: number;
  readonly newVersions: number;
  /** What became of each event of the document, in document order. */
  readonly eventOutcomes: readonly CapturedEventOutcome[];
}

/** The row a read returns: indexed values, and the body as JSON text straight from PostgreSQL. */
export interface StoredEventRow {
  seq: string;
  event_id: string;
  version: number;
  event_hash: string;
  event_type: string;
  event_time: Date;
  record_time: Date;
  record_key: string;
  biz_step: string | null;
  disposition: string | null;
  read_point: string | null;
  biz_location: string | null;
  body_json: string;
}

export const STORED_EVENT_COLUMNS = `e."seq"::text AS "seq", e."event_id", e."version", e."event_hash", e."event_type", e."event_time", e."record_time",
  e."record_key", e."biz_step", e."disposition", e."read_point", e."biz_location", e."body"::text AS "body_json"`;

/**
 * The record key names one version of one eventID; eventIDs are long URIs of any shape, so the key
 * carries their SHA-256 and stays fixed-length and URL-safe.
 */
export function epcisRecordKeyOf(eventId: string, version: number): string {
  return recordKeyOf(EPCIS_EVENT_RECORD_TYPE, createHash('sha256').update(eventId, 'utf8').digest('hex'), version);
}

/** The columns of a stored event, in the order storeCapture writes them. */
const EVENT_COLUMNS = [
  'seq',
  'event_id',
  'version',
  'latest',
  'event_hash',
  'content_digest',
  'record_key',
  'capture_id',
  'event_type',
  'event_time',
  'record_time',
  'action',
  'biz_step',
  'disposition',
  'read_point',
  'biz_location',
  'epcs',
  'any_epcs',
  'epc_classes',
  'parent_id',
  'input_epcs',
  'output_epcs',
  'input_epc_classes',
  'output_epc_classes',
  'body',
] as const;

interface PlannedEvent {
  readonly event: CapturedEvent;
  readonly version: number;
  readonly recordKey: string;
  /** The record (the event as the API shows it, with its recordTime) as JSON: encoded once, stored and published as is. */
  readonly recordJson: string;
}

/**
 * Splits a capture's stored events, in order, into messages within the per-message event and byte
 * limits; `bytesOf` is an event's encoded size. An event larger than the byte limit goes alone.
 */
export function messagesOf<T>(stored: readonly T[], bytesOf: (event: T) => number): T[][] {
  const messages: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const event of stored) {
    const size = bytesOf(event);
    if (current.length > 0 && (current.length === EPCIS_CAPTURE_MESSAGE_MAX_EVENTS || bytes + size > EPCIS_CAPTURE_MESSAGE_MAX_BYTES)) {
      messages.push(current);
      current = [];
      bytes = 0;
    }
    current.push(event);
    bytes += size;
  }
  if (current.length > 0) messages.push(current);
  return messages;
}

/** What is stored under each eventID: its latest version, and the content digest of every version. */
type StoredVersions = Map<string, { latest: number; digests: Set<string> }>;

/**
 * The versions already stored under the given eventIDs. Most captures name only new eventIDs, so the
 * first read asks the unique index of latest versions, which the planner trusts to match at most one
 * row per eventID whether or not the table has statistics yet; earlier versions are read, by their
 * exact (eventID, version) keys in the index of earlier versions, only for the eventIDs that have some.
 */
async function storedVersionsOf(manager: EntityManager, eventIds: readonly string[]): Promise<StoredVersions> {
  const latest: { event_id: string; version: number; content_digest: string }[] = await manager.query(
    `SELECT "event_id", "version", "content_digest" FROM "${SCHEMA}"."epcis_events" WHERE "latest" AND "event_id" = ANY($1::text[])`,
    [eventIds],
  );
  const known: StoredVersions = new Map(latest.map((row) => [row.event_id, { latest: row.version, digests: new Set([row.content_digest]) }]));
  const earlier = latest.flatMap((row) => Array.from({ length: row.version - 1 }, (_, index) => ({ eventId: row.event_id, version: index + 1 })));
  if (earlier.length > 0) {
    const rows: { event_id: string; content_digest: string }[] = await manager.query(
      `SELECT e."event_id", e."content_digest" FROM unnest($1::text[], $2::integer[]) AS wanted ("event_id", "version")
       JOIN "${SCHEMA}"."epcis_events" e ON e."event_id" = wanted."event_id" AND e."version" = wanted."version" AND NOT e."latest"`,
      [earlier.map((key) => key.eventId), earlier.map((key) => key.version)],
    );
    for (const row of rows) known.get(row.event_id)!.digests.add(row.content_digest);
  }
  return known;
}

/**
 * Writes one capture in the caller's transaction: the job, the events (one COPY for the lot), their
 * trail links and one outbox row for the document (a few for a large one).
 * Concurrent captures naming the same eventID are serialised by transaction-scoped advisory locks
 * taken in one global order.
 */
export async function storeCapture(manager: EntityManager, capture: CaptureToStore): Promise<CaptureOutcome> {
  const eventIds = [...new Set(capture.events.map((event) => event.eventId))];
  await manager.query(
    `SELECT pg_advisory_xact_lock(k) FROM (SELECT DISTINCT hashtextextended(id, 20251126) AS k FROM unnest($1::text[]) AS id ORDER BY 1) AS keys`,
    [eventIds],
  );
  const known = await storedVersionsOf(manager, eventIds);
  const storedBefore = new Set(known.keys());

  const recordTime = capture.recordTime.toISOString();
  const planned: PlannedEvent[] = [];
  let duplicates = 0;
  let newVersions = 0;
  const eventOutcomes: CapturedEventOutcome[] = [];
  for (const event of capture.events) {
    const entry = known.get(event.eventId) ?? { latest: 0, digests: new Set<string>() };
    if (entry.digests.has(event.contentDigest)) {
      duplicates += 1;
      eventOutcomes.push('duplicate');
      continue;
    }
    if (entry.latest > 0) newVersions += 1;
    eventOutcomes.push(entry.latest > 0 ? 'new_version' : 'stored');
    entry.latest += 1;
    entry.digests.add(event.contentDigest);
    known.set(event.eventId, entry);
    planned.push({ event, version: entry.latest, recordKey: epcisRecordKeyOf(event.eventId, entry.latest), recordJson: JSON.stringify({ ...event.body, recordTime }) });
  }

  await manager.query(
    `INSERT INTO "${SCHEMA}"."epcis_capture_jobs" ("capture_id", "created_at", "finished_at", "running", "success", "capture_error_behaviour",
       "event_count", "stored_count", "duplicate_count", "new_version_count")
     VALUES ($1, $2, $2, false, true, $3, $4, $5, $6, $7)`,
    [capture.captureId, capture.recordTime, capture.captureErrorBehaviour, capture.events.length, planned.length - newVersions, duplicates, newVersions],
  );
  if (planned.length === 0) return { stored: 0, duplicates, newVersions, eventOutcomes };

  const latestVersion = new Map(planned.map((plan) => [plan.event.eventId, plan.version]));
  const superseded = [...latestVersion.keys()].filter((eventId) => storedBefore.has(eventId));
  if (superseded.length > 0) {
    await manager.query(`UPDATE "${SCHEMA}"."epcis_events" SET "latest" = false WHERE "latest" AND "event_id" = ANY($1::text[])`, [superseded]);
  }

  // Keys first, so that the rows can go in with COPY, which returns nothing.
  const seqs: { seq: string }[] = await manager.query(
    `SELECT nextval('"${SCHEMA}"."epcis_events_seq_seq"')::text AS "seq" FROM generate_series(1, $1)`,
    [planned.length],
  );
  const placed = planned.map((plan, index) => ({ ...plan, seq: seqs[index]!.seq }));
  await copyRows(
    manager,
    `"${SCHEMA}"."epcis_events"`,
    EVENT_COLUMNS,
    placed.map(({ event, version, recordKey, recordJson, seq }) => [
      seq,
      event.eventId,
      version,
      latestVersion.get(event.eventId) === version,
      event.eventHash,
      event.contentDigest,
      recordKey,
      capture.captureId,
      event.type,
      event.eventTime,
      capture.recordTime,
      event.action,
      event.bizStep,
      event.disposition,
      event.readPoint,
      event.bizLocation,
      event.epcs,
      event.anyEpcs,
      event.epcClasses,
      event.parentId,
      event.inputEpcs,
      event.outputEpcs,
      event.inputEpcClasses,
      event.outputEpcClasses,
      // The body goes in as the JSON text it already is, rather than being encoded a second time.
      new JsonText(recordJson),
    ]),
  );

  const lotsOfEvent = await new TraceLinker(manager).link(placed);

  // Each stored event as the message carries it (EpcisStoredEvent), encoded around its record's JSON.
  const stored = placed.map(({ event, seq, recordKey, recordJson }) => {
    const lots = [...new Map((lotsOfEvent.get(seq) ?? []).map((lot) => [`${lot.gtin}/${lot.lot}`, lot])).values()];
    const facts: EpcisStoredEvent['facts'] = { seq, bizStep: event.bizStep, disposition: event.disposition, bizLocation: event.bizLocation, lots };
    const json = `{"recordType":${JSON.stringify(EPCIS_EVENT_RECORD_TYPE)},"recordKey":${JSON.stringify(recordKey)},"record":${recordJson},"facts":${JSON.stringify(facts)}}`;
    return { json, bytes: Buffer.byteLength(json, 'utf8') };
  });
  // The capture's events leave as one message (a few, for a large document), under one `create` span
  // whose trace context each carries, so the consumers' work shows in the capture request's trace.
  await enqueueEvents(
    manager,
    epcisCaptureStoredV1.topic,
    messagesOf(stored, (event) => event.bytes).map((records) => ({
      key: capture.captureId,
      // data: EpcisCaptureStoredV1, as the JSON text below
      event: createCloudEvent({
        type: epcisCaptureStoredV1.type,
        source: '/traceport/data-service',
        subject: capture.captureId,
        data: null,
        time: capture.recordTime,
        ...(capture.correlationId === undefined ? {} : { correlationId: capture.correlationId }),
      }),
      dataJson: `{"captureId":${JSON.stringify(capture.captureId)},"records":[${records.map((record) => record.json).join(',')}]}`,
    })),
  );
  return { stored: planned.length - newVersions, duplicates, newVersions, eventOutcomes };
}
