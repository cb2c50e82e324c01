import 'reflect-metadata';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { epcisCaptureStoredV1 } from '@traceport/contracts';
import { openServiceDataSource } from '@traceport/database';
import { DomainException } from '@traceport/errors';
import { MESSAGING_ENTITIES, OutboxRelay } from '@traceport/messaging';
import { Metrics } from '@traceport/observability';
import { freshDatabase, testPlatform } from '@traceport/testing';
import { Kafka, logLevel } from 'kafkajs';
import { pino } from 'pino';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATA_SERVICE_SCHEMA } from '../src/config.js';
import { DATA_SERVICE_MIGRATIONS } from '../src/database/migrations/index.js';
import { EpcisCaptureService } from '../src/epcis/epcis-capture.service.js';
import { EpcisDocumentValidator } from '../src/epcis/epcis-document.validator.js';
import { EpcisQueryService } from '../src/epcis/epcis-query.service.js';
import { EpcisMetrics } from '../src/epcis/epcis.metrics.js';
import { TraceTrailService } from '../src/epcis/trace-trail.service.js';

// EPCIS capture, query and trails against the real PostgreSQL: GS1's own examples as the
// conformance suite, then the ways a document must be refused, retried and re-versioned.

let database: Awaited<ReturnType<typeof freshDatabase>>;
let dataSource: DataSource;
let captures: EpcisCaptureService;
let queries: EpcisQueryService;
let trails: TraceTrailService;
const metrics = new Metrics('data-service');

beforeAll(async () => {
  database = await freshDatabase('traceport_it_epcis');
  dataSource = await openServiceDataSource({
    url: database.url,
    schema: DATA_SERVICE_SCHEMA,
    applicationName: 'epcis-it',
    entities: [...MESSAGING_ENTITIES],
    migrations: DATA_SERVICE_MIGRATIONS,
    poolMax: 8,
  });
  // The relay is real but not started: these tests read the outbox rows it would publish.
  const kafka = new Kafka({ clientId: 'epcis-it', brokers: testPlatform().kafkaBrokers, logLevel: logLevel.NOTHING });
  const relay = new OutboxRelay(dataSource, kafka.producer(), { schema: DATA_SERVICE_SCHEMA, logger: pino({ level: 'silent' }) });
  captures = new EpcisCaptureService(dataSource, relay, new EpcisDocumentValidator(), new EpcisMetrics(metrics));
  queries = new EpcisQueryService(dataSource);
  trails = new TraceTrailService(dataSource);
});

afterAll(async () => {
  await dataSource?.destroy();
  await database?.drop();
});

async function counts(): Promise<{ events: number; outbox: number; links: number }> {
  const [row] = (await dataSource.query(`SELECT
      (SELECT count(*) FROM data_service.epcis_events)::int AS events,
      (SELECT count(*) FROM data_service.outbox WHERE topic = 'epcis.capture.stored.v1')::int AS outbox,
      (SELECT count(*) FROM data_service.epcis_item_links)::int + (SELECT count(*) FROM data_service.epcis_lot_links)::int AS links`)) as [
    { events: number; outbox: number; links: number },
  ];
  return row;
}

async function rejection(promise: Promise<unknown>): Promise<DomainException> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DomainException);
  return error as DomainException;
}

// ---------------------------------------------------------------------------------------------
// Conformance: every EPCISDocument GS1 publishes, read from ../shared at test time, never copied.

const examplesRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/conformance/gs1-epcis');
const examplesPresent = existsSync(examplesRoot);

function exampleFiles(): string[] {
  const found: string[] = [];
  const walk = (directory: string) => {
    for (const name of readdirSync(directory).sort()) {
      const full = path.join(directory, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.jsonld')) found.push(full);
    }
  };
  for (const folder of ['JSON', 'JSON-simple-context']) walk(path.join(examplesRoot, folder));
  return found;
}

interface Captured {
  file: string;
  events: Record<string, unknown>[];
}

describe.skipIf(!examplesPresent)('conformance: GS1 EPCIS 2.0 examples (../shared/conformance/gs1-epcis)', () => {
  const captured: Captured[] = [];

  it('captures every EPCISDocument example to success', async () => {
    // Five simplified-context examples deviate from GS1's own schema (no or a numeric schemaVersion,
    // ilmd on OBSERVE, persistentDisposition on Aggregation/Association/TransactionEvent); the
    // narrow tolerances in json-ld-form.normalizer.ts accept them, and the tests below keep the
    // rest of the schema strict.
    let documents = 0;
    const refused: string[] = [];
    for (const file of exampleFiles()) {
      const text = readFileSync(file, 'utf8');
      const document = JSON.parse(text) as { type: string; epcisBody: { eventList: Record<string, unknown>[] } };
      if (document.type !== 'EPCISDocument') continue; // query documents are responses, not captures
      documents += 1;
      const relative = path.relative(examplesRoot, file);
      const outcome = await captures.capture(text, '').then(
        (job) => ({ job }),
        (error: unknown) => ({ error }),
      );
      if ('error' in outcome) {
        refused.push(`${relative}: ${(outcome.error as Error).message}`);
        continue;
      }
      expect(outcome.job, relative).toMatchObject({ running: false, success: true, errors: [], eventCount: document.epcisBody.eventList.length });
      expect(await captures.getJob(outcome.job.captureId)).toEqual(outcome.job);
      captured.push({ file: relative, events: document.epcisBody.eventList });
    }
    expect(refused).toEqual([]);
    expect(documents).toBe(92);
    expect(captured).toHaveLength(92);
  });

  it('finds each captured event by its eventID and by a query that matches it', async () => {
    let checked = 0;
    for (const { file, events } of captured) {
      for (const event of events) {
        const eventId = event['eventID'] ?? event['id']; // simplified-context examples write the alias `id`
        if (typeof eventId !== 'string') continue; // its eventID is then its hash: checked below
        const found = await queries.get(eventId, 0);
        const versions = await Promise.all(found.versions.map((version) => queries.get(eventId, version)));
        const mine = versions.find(({ event: stored }) => (JSON.parse(stored.eventJson) as { eventTime: string }).eventTime === event['eventTime']);
        expect(mine, `${file} ${eventId}`).toBeDefined();
        const stored = mine!.event;
        // The query: its type in a one-millisecond window around its eventTime, narrowed by an EPC when it names one.
        const time = new Date(event['eventTime'] as string);
        const parameters = [
          { name: 'eventType', value: event['type'] as string },
          { name: 'GE_eventTime', value: time.toISOString() },
          { name: 'LT_eventTime', value: new Date(time.getTime() + 1).toISOString() },
          { name: 'perPage', value: '1000' },
        ];
        const epc = ([] as unknown[]).concat(event['epcList'] ?? [], event['childEPCs'] ?? [], event['inputEPCList'] ?? [], event['parentID'] ?? [])[0];
        if (typeof epc === 'string') parameters.push({ name: 'MATCH_anyEPC', value: epc });
        const result = await queries.query(parameters);
        if (found.event.version === stored.version) {
          expect(result.events.map((match) => match.eventId), `${file} ${eventId}`).toContain(eventId);
        }
        checked += 1;
      }
    }
    const withId = captured.flatMap(({ events }) => events).filter((event) => typeof (event['eventID'] ?? event['id']) === 'string').length;
    expect(checked).toBe(withId);
    expect(checked).toBeGreaterThan(80);
  });

  it('gives events captured without an eventID their GS1 event hash as eventID', async () => {
    const withoutId = captured.flatMap(({ events }) => events).filter((event) => event['eventID'] === undefined && event['id'] === undefined);
    expect(withoutId.length).toBeGreaterThan(0);
    const rows: { event_id: string; event_hash: string }[] = await dataSource.query(
      `SELECT event_id, event_hash FROM data_service.epcis_events WHERE event_id LIKE 'ni:///sha-256;%' AND event_id = event_hash`,
    );
    expect(rows.length).toBeGreaterThan(0);
  });

  it('stores nothing new when every example is captured again', async () => {
    const before = await counts();
    for (const { file } of captured) {
      const job = await captures.capture(readFileSync(path.join(examplesRoot, file), 'utf8'), '');
      expect(job.storedCount + job.newVersionCount, file).toBe(0);
    }
    expect(await counts()).toEqual(before);
  });
});

// ---------------------------------------------------------------------------------------------
// Documents written for these tests: one lot of infant formula from factory to bonded warehouse.

const GTIN = '09506000134352';
const LOT = 'LOT-2026-0042';
const SSCC = 'https://id.gs1.org/00/095060001343999998';
const item = (serial: string) => `https://id.gs1.org/01/${GTIN}/21/${serial}`;
const urnItem = (serial: string) => `urn:epc:id:sgtin:9506000.013435.${serial}`; // the same GTIN, as an EPC URN

function documentOf(events: Record<string, unknown>[], context: unknown[] = []): string {
  return JSON.stringify({
    '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld', ...context],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: '2026-11-01T08:00:00Z',
    epcisBody: { eventList: events },
  });
}

const commissioning = {
  type: 'ObjectEvent',
  eventID: 'urn:uuid:6a1c6f0e-2f3b-4b7a-9a57-000000000001',
  eventTime: '2026-11-01T08:00:00.000+08:00',
  eventTimeZoneOffset: '+08:00',
  epcList: [item('S1'), urnItem('S2')],
  action: 'ADD',
  bizStep: 'commissioning',
  disposition: 'active',
  readPoint: { id: 'urn:epc:id:sgln:9506000.13430.0' },
  ilmd: { 'cbvmda:lotNumber': LOT, 'cbvmda:itemExpirationDate': '2027-11-01' },
};
const packing = {
  type: 'AggregationEvent',
  eventID: 'urn:uuid:6a1c6f0e-2f3b-4b7a-9a57-000000000002',
  eventTime: '2026-11-01T09:00:00.000+08:00',
  eventTimeZoneOffset: '+08:00',
  parentID: SSCC,
  childEPCs: [urnItem('S1'), item('S2')],
  action: 'ADD',
  bizStep: 'packing',
};
const shipping = {
  type: 'ObjectEvent',
  eventID: 'urn:uuid:6a1c6f0e-2f3b-4b7a-9a57-000000000003',
  eventTime: '2026-11-02T10:00:00.000+08:00',
  eventTimeZoneOffset: '+08:00',
  epcList: ['urn:epc:id:sscc:9506000.0134399999'],
  action: 'OBSERVE',
  bizStep: 'shipping',
  disposition: 'in_transit',
  bizLocation: { id: 'urn:epc:id:sgln:9506000.13430.0' },
};
const receiving = {
  type: 'ObjectEvent',
  eventID: 'urn:uuid:6a1c6f0e-2f3b-4b7a-9a57-000000000004',
  eventTime: '2026-11-09T10:00:00.000+08:00',
  eventTimeZoneOffset: '+08:00',
  quantityList: [{ epcClass: `urn:epc:class:lgtin:9506000.013435.${LOT}`, quantity: 2, uom: 'EA' }],
  action: 'OBSERVE',
  bizStep: 'receiving',
  disposition: 'in_progress',
  readPoint: { id: 'https://id.gs1.org/414/9506000134307' },
};

describe('capture and trails of our own documents', () => {
  it('links events to the lot and its items, through the pallet they were packed on, in order', async () => {
    const job = await captures.capture(documentOf([receiving, shipping, packing, commissioning]), 'rollback');
    expect(job).toMatchObject({ storedCount: 4, duplicateCount: 0, newVersionCount: 0 });

    const lot = await trails.lotTrail(GTIN, LOT);
    expect(lot.events.map((event) => event.eventId)).toEqual([commissioning, packing, shipping, receiving].map((event) => event.eventID));
    expect(lot.events[2]).toMatchObject({ bizStep: 'https://ref.gs1.org/cbv/BizStep-shipping', disposition: 'https://ref.gs1.org/cbv/Disp-in_transit' });

    const unit = await trails.itemTrail('9506000134352', 'S1');
    expect(unit.gtin).toBe(GTIN);
    expect(unit.events.map((event) => event.eventId)).toEqual([commissioning, packing, shipping].map((event) => event.eventID));
  });

  it('finds an item whichever form it was captured and is queried in', async () => {
    const ours = { name: 'GE_eventTime', value: '2026-01-01T00:00:00Z' }; // the examples share this database
    for (const form of [item('S1'), urnItem('S1'), `https://brand.example.com/01/${GTIN}/21/S1?x=1`]) {
      const found = await queries.query([{ name: 'MATCH_epc', value: form }]);
      expect(found.events.map((event) => event.eventId), form).toEqual([commissioning.eventID, packing.eventID]);
    }
    for (const form of ['shipping', 'urn:epcglobal:cbv:bizstep:shipping', 'https://ref.gs1.org/cbv/BizStep-shipping']) {
      const byStep = await queries.query([{ name: 'EQ_bizStep', value: form }, ours]);
      expect(byStep.events.map((event) => event.eventId), form).toEqual([shipping.eventID]);
    }
    const byLocation = await queries.query([{ name: 'EQ_bizLocation', value: 'https://id.gs1.org/414/9506000134307' }, ours]);
    expect(byLocation.events.map((event) => event.eventId)).toEqual([shipping.eventID]);
    // The same GLN, captured once as an SGLN URN and once as a Digital Link.
    const byReadPoint = await queries.query([{ name: 'EQ_readPoint', value: 'urn:epc:id:sgln:9506000.13430.0' }, ours]);
    expect(byReadPoint.events.map((event) => event.eventId)).toEqual([commissioning.eventID, receiving.eventID]);
    const byDisposition = await queries.query([{ name: 'EQ_disposition', value: 'in_transit|in_progress' }, { name: 'eventType', value: 'ObjectEvent' }, ours]);
    expect(byDisposition.events.map((event) => event.eventId)).toEqual([shipping.eventID, receiving.eventID]);
  });

  it('pages with an opaque token bound to its query', async () => {
    const first = await queries.query([{ name: 'MATCH_anyEPC', value: item('S2') }, { name: 'perPage', value: '1' }]);
    expect(first.events).toHaveLength(1);
    expect(first.nextPageToken).not.toBe('');
    const second = await queries.query([
      { name: 'MATCH_anyEPC', value: item('S2') },
      { name: 'perPage', value: '1' },
      { name: 'nextPageToken', value: first.nextPageToken },
    ]);
    expect(second.events.map((event) => event.eventId)).toEqual([packing.eventID]);
    expect(second.nextPageToken).toBe('');
    const misuse = await rejection(queries.query([{ name: 'perPage', value: '2' }, { name: 'nextPageToken', value: first.nextPageToken }]));
    expect(misuse.code).toBe('epcis-invalid-query');
    expect((await rejection(queries.query([{ name: 'EQ_colour', value: 'red' }]))).message).toContain('EQ_colour');
  });

  it('queues each stored event as an anchorable record, a document’s events in one message keyed by the capture', async () => {
    const rows: { message_key: string; value: string }[] = await dataSource.query(
      `SELECT message_key, value FROM data_service.outbox
       WHERE topic = 'epcis.capture.stored.v1' AND value::jsonb -> 'records' @> jsonb_build_array(jsonb_build_object('record', jsonb_build_object('eventID', $1::text)))`,
      [shipping.eventID],
    );
    expect(rows).toHaveLength(1);
    // The message is assembled from pieces encoded once; it must still be exactly the contract's shape.
    expect(epcisCaptureStoredV1.schema.safeParse(JSON.parse(rows[0]!.value)).error).toBeUndefined();
    const data = JSON.parse(rows[0]!.value) as {
      captureId: string;
      records: { recordType: string; recordKey: string; record: Record<string, unknown>; facts: { seq: string; bizStep: string | null } }[];
    };
    expect(rows[0]!.message_key).toBe(data.captureId);
    expect((await captures.getJob(data.captureId)).storedCount + (await captures.getJob(data.captureId)).newVersionCount).toBe(data.records.length);
    const shipped = data.records.find((stored) => stored.record['eventID'] === shipping.eventID)!;
    expect(shipped.recordType).toBe('epcis.event');
    expect(shipped.recordKey).toMatch(/^epcis\.event\/[0-9a-f]{64}\/v1$/);
    const shown = await queries.get(shipping.eventID, 0);
    expect(shipped.record).toEqual(JSON.parse(shown.event.eventJson));
    expect(shipped.record).toMatchObject({ eventID: shipping.eventID, recordTime: shown.event.recordTime });
    // The facts name the stored row, which the data layer's own consumers read back by its primary key.
    const [row] = (await dataSource.query(`SELECT "seq"::text AS "seq" FROM data_service.epcis_events WHERE "event_id" = $1 AND "latest"`, [shipping.eventID])) as [{ seq: string }];
    expect(shipped.facts).toMatchObject({ seq: row.seq, bizStep: 'https://ref.gs1.org/cbv/BizStep-shipping' });
    // A capture's message is tens of kilobytes: PostgreSQL compresses it with lz4 (this server has it).
    const [column] = (await dataSource.query(
      `SELECT "attcompression" FROM pg_attribute WHERE "attrelid" = 'data_service.outbox'::regclass AND "attname" = 'value'`,
    )) as [{ attcompression: string }];
    expect(column.attcompression).toBe('l');
  });

  it('refuses bad documents with a 400 naming the path, and stores nothing', async () => {
    const before = await counts();
    const cases: [string, string, string][] = [
      ['{"type": "EPCISDocument", ', 'epcis-malformed-json', '/'],
      [documentOf([{ ...shipping, eventTimeZoneOffset: 'CET' }]), 'epcis-schema-violation', '/epcisBody/eventList/0/eventTimeZoneOffset'],
      [documentOf([shipping, { ...receiving, action: 'LOOK' }]), 'epcis-schema-violation', '/epcisBody/eventList/1/action'],
      [documentOf([shipping, { ...commissioning, epcList: [`https://id.gs1.org/01/09506000134353/21/S9`] }]), 'epcis-invalid-identifier', '/epcisBody/eventList/1/epcList/0'],
      [documentOf([{ ...shipping, type: 'InspectionEvent' }]), 'epcis-unknown-event-type', '/epcisBody/eventList/0/type'],
      [JSON.stringify({ type: 'EPCISQueryDocument' }), 'epcis-not-a-capture-document', '/type'],
    ];
    for (const [text, code, field] of cases) {
      const error = await rejection(captures.capture(text, ''));
      expect(error.kind, code).toBe('invalid');
      expect(error.code).toBe(code);
      expect(error.violations[0]?.field, code).toBe(field);
    }
    expect((await rejection(captures.capture(documentOf([shipping]), 'proceed'))).code).toBe('epcis-capture-error-behaviour-unsupported');
    expect(await counts()).toEqual(before);
  });

  it('stores a reused eventID with other content as its next version, never over the first', async () => {
    const corrected = { ...receiving, disposition: 'in_transit' };
    const job = await captures.capture(documentOf([corrected]), '');
    expect(job).toMatchObject({ storedCount: 0, newVersionCount: 1, duplicateCount: 0 });
    const latest = await queries.get(receiving.eventID, 0);
    expect(latest.versions).toEqual([1, 2]);
    expect(latest.event.version).toBe(2);
    expect(latest.event.recordKey).toMatch(/\/v2$/);
    const first = await queries.get(receiving.eventID, 1);
    expect(JSON.parse(first.event.eventJson)).toMatchObject({ disposition: 'in_progress' });
    // Queries and trails show the version in force; the first stays stored and anchored.
    const lot = await trails.lotTrail(GTIN, LOT);
    expect(lot.events.filter((event) => event.eventId === receiving.eventID).map((event) => event.version)).toEqual([2]);
    // Sending either version again changes nothing.
    expect(await captures.capture(documentOf([receiving]), '')).toMatchObject({ duplicateCount: 1, storedCount: 0, newVersionCount: 0 });
    expect(await captures.capture(documentOf([corrected]), '')).toMatchObject({ duplicateCount: 1, storedCount: 0, newVersionCount: 0 });
  });

  it('serialises concurrent captures of the same events: one stores, the others find duplicates', async () => {
    const event = { ...shipping, eventID: 'urn:uuid:6a1c6f0e-2f3b-4b7a-9a57-00000000c0c0', eventTime: '2026-11-03T10:00:00.000+08:00' };
    const jobs = await Promise.all(Array.from({ length: 6 }, () => captures.capture(documentOf([event]), '')));
    expect(jobs.map((job) => job.storedCount).sort()).toEqual([0, 0, 0, 0, 0, 1]);
    expect((await queries.get(event.eventID, 0)).versions).toEqual([1]);
  });
});

describe('the tolerances for GS1\'s examples stay narrow (json-ld-form.normalizer.ts)', () => {
  const header = (fields: Record<string, unknown>, events: Record<string, unknown>[]) =>
    JSON.stringify({ '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'], type: 'EPCISDocument', ...fields, epcisBody: { eventList: events } });
  const at = (n: number) => `urn:uuid:6a1c6f0e-2f3b-4b7a-9a57-0000000e${String(n).padStart(4, '0')}`;
  const observed = { ...shipping, eventID: at(1), eventTime: '2026-11-05T10:00:00.000+08:00', epcList: [item('T1')], bizStep: 'inspecting', bizLocation: undefined };
  const aggregated = { ...packing, eventID: at(2), eventTime: '2026-11-05T11:00:00.000+08:00', parentID: 'https://id.gs1.org/00/095060001343999981', childEPCs: [item('T1')], action: 'OBSERVE', bizStep: 'inspecting' };
  const persistent = { set: ['completeness_verified'] };

  it('accepts a missing or numeric 2.0 schemaVersion, ilmd on OBSERVE and persistentDisposition on every event type, keeping them as sent', async () => {
    const withoutHeader = await captures.capture(header({}, [{ ...observed, ilmd: { 'cbvmda:lotNumber': 'LOT-OBSERVED' } }]), '');
    expect(withoutHeader).toMatchObject({ success: true, storedCount: 1 });
    const numeric = await captures.capture(header({ schemaVersion: 2, creationDate: '2026-11-05T12:00:00Z' }, [{ ...aggregated, persistentDisposition: persistent }]), '');
    expect(numeric).toMatchObject({ success: true, storedCount: 1 });
    expect(JSON.parse((await queries.get(at(1), 0)).event.eventJson)).toMatchObject({ ilmd: { 'cbvmda:lotNumber': 'LOT-OBSERVED' } });
    expect(JSON.parse((await queries.get(at(2), 0)).event.eventJson)).toMatchObject({ persistentDisposition: persistent });
    // ILMD on an observation names no lot (EPCIS 2.0 §7.4.2: only objects being created carry it).
    expect((await trails.lotTrail(GTIN, 'LOT-OBSERVED')).events).toEqual([]);
  });

  it('still refuses what the tolerances do not cover, naming the path, and stores nothing', async () => {
    const before = await counts();
    const valid = { schemaVersion: '2.0', creationDate: '2026-11-05T12:00:00Z' };
    const cases: [string, string, string][] = [
      ['schemaVersion 3.0', header({ ...valid, schemaVersion: '3.0' }, [observed]), '/schemaVersion'],
      ['schemaVersion as another number', header({ ...valid, schemaVersion: 3 }, [observed]), '/schemaVersion'],
      ['schemaVersion as an object', header({ ...valid, schemaVersion: { major: 2 } }, [observed]), '/schemaVersion'],
      ['a creationDate that is not a date', header({ ...valid, creationDate: 'yesterday' }, [observed]), '/creationDate'],
      ['ilmd on a DELETE ObjectEvent', header(valid, [{ ...observed, action: 'DELETE', ilmd: { 'cbvmda:lotNumber': 'X' } }]), '/epcisBody/eventList/0/ilmd'],
      ['ilmd on OBSERVE that breaks the ilmd schema', header(valid, [{ ...observed, ilmd: { lotNumber: 'X' } }]), '/epcisBody/eventList/0/ilmd/lotNumber'],
      ['a malformed persistentDisposition', header(valid, [{ ...aggregated, persistentDisposition: { set: [] } }]), '/epcisBody/eventList/0/persistentDisposition/set'],
      ['persistentDisposition with an unknown member', header(valid, [{ ...aggregated, persistentDisposition: { ...persistent, toggle: ['x'] } }]), '/epcisBody/eventList/0/persistentDisposition'],
      ['a bad eventTime beside a tolerated field', header(valid, [{ ...aggregated, persistentDisposition: persistent, eventTime: 'yesterday' }]), '/epcisBody/eventList/0/eventTime'],
      ['an undeclared field beside a tolerated field', header(valid, [{ ...aggregated, persistentDisposition: persistent, colour: 'red' }]), '/epcisBody/eventList/0'],
    ];
    for (const [name, text, field] of cases) {
      const error = await rejection(captures.capture(text, ''));
      expect(error.code, name).toBe('epcis-schema-violation');
      expect(error.violations[0]?.field, name).toBe(field);
    }
    expect(await counts()).toEqual(before);
  });
});

describe('capture metrics', () => {
  /** The value of one series of a counter in the registry /metrics serves (0 when not counted yet). */
  async function counted(name: string, labels: Record<string, string>): Promise<number> {
    const metric = await metrics.registry.getSingleMetric(name)?.get();
    const series = metric?.values.find((value) => Object.entries(labels).every(([label, wanted]) => value.labels[label] === wanted));
    return series?.value ?? 0;
  }
  const series = {
    accepted: ['traceport_epcis_capture_documents_total', { outcome: 'accepted' }],
    refusedMalformed: ['traceport_epcis_capture_documents_total', { outcome: 'refused', reason: 'epcis-malformed-json' }],
    refusedType: ['traceport_epcis_capture_documents_total', { outcome: 'refused', reason: 'epcis-unknown-event-type' }],
    objectStored: ['traceport_epcis_events_captured_total', { event_type: 'ObjectEvent', outcome: 'stored' }],
    objectDuplicate: ['traceport_epcis_events_captured_total', { event_type: 'ObjectEvent', outcome: 'duplicate' }],
    objectNewVersion: ['traceport_epcis_events_captured_total', { event_type: 'ObjectEvent', outcome: 'new_version' }],
    aggregationStored: ['traceport_epcis_events_captured_total', { event_type: 'AggregationEvent', outcome: 'stored' }],
    aggregationDuplicate: ['traceport_epcis_events_captured_total', { event_type: 'AggregationEvent', outcome: 'duplicate' }],
  } as const satisfies Record<string, readonly [string, Record<string, string>]>;
  async function snapshot(): Promise<Record<keyof typeof series, number>> {
    const entries = await Promise.all(Object.entries(series).map(async ([key, [name, labels]]) => [key, await counted(name, labels)] as const));
    return Object.fromEntries(entries) as Record<keyof typeof series, number>;
  }

  it('counts documents accepted and refused (by problem type), and events captured by type and outcome', async () => {
    const before = await snapshot();
    const observed = { ...shipping, eventID: 'urn:uuid:6a1c6f0e-2f3b-4b7a-9a57-00000000d001', eventTime: '2026-11-04T10:00:00.000+08:00' };
    const packed = { ...packing, eventID: 'urn:uuid:6a1c6f0e-2f3b-4b7a-9a57-00000000d002', eventTime: '2026-11-04T11:00:00.000+08:00' };
    await captures.capture(documentOf([observed, packed]), '');
    await captures.capture(documentOf([observed, packed]), '');
    await captures.capture(documentOf([{ ...observed, disposition: 'in_progress' }]), '');
    await rejection(captures.capture('{"type": ', ''));
    await rejection(captures.capture(documentOf([{ ...observed, type: 'InspectionEvent' }]), ''));

    const after = await snapshot();
    const delta = Object.fromEntries(Object.keys(series).map((key) => [key, after[key as keyof typeof series] - before[key as keyof typeof series]]));
    expect(delta).toEqual({
      accepted: 3,
      refusedMalformed: 1,
      refusedType: 1,
      objectStored: 1,
      objectDuplicate: 1,
      objectNewVersion: 1,
      aggregationStored: 1,
      aggregationDuplicate: 1,
    });
    // What Prometheus scrapes.
    expect(await metrics.registry.metrics()).toMatch(/^traceport_epcis_events_captured_total\{[^}]*event_type="ObjectEvent"[^}]*\} [1-9]/m);
  });
});
