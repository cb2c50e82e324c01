import 'reflect-metadata';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
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
import { EpcisQueryFields1764600000001 } from '../src/database/migrations/1764600000001-epcis-query-fields.js';
import { DATA_SERVICE_MIGRATIONS } from '../src/database/migrations/index.js';
import { EpcisCaptureService } from '../src/epcis/epcis-capture.service.js';
import { EpcisDocumentValidator } from '../src/epcis/epcis-document.validator.js';
import type { QueryParameter } from '../src/epcis/epcis-event-query.js';
import { EpcisQueryService } from '../src/epcis/epcis-query.service.js';
import { EpcisMetrics } from '../src/epcis/epcis.metrics.js';

// The EPCIS 2.0 query parameters that select by identifier (§8.2.7.1: MATCH_epc, MATCH_parentID,
// MATCH_inputEPC, MATCH_outputEPC, MATCH_anyEPC and their EPC-class twins), with EPC pure identity
// patterns (urn:epc:idpat:...) and the GTIN-only Digital Link, against the real PostgreSQL.

let database: Awaited<ReturnType<typeof freshDatabase>>;
let dataSource: DataSource;
let captures: EpcisCaptureService;
let queries: EpcisQueryService;

beforeAll(async () => {
  database = await freshDatabase('traceport_it_epcis_query');
  dataSource = await openServiceDataSource({
    url: database.url,
    schema: DATA_SERVICE_SCHEMA,
    applicationName: 'epcis-query-it',
    entities: [...MESSAGING_ENTITIES],
    migrations: DATA_SERVICE_MIGRATIONS,
    poolMax: 4,
  });
  // The relay is never started: nothing is published.
  const kafka = new Kafka({ clientId: 'epcis-query-it', brokers: testPlatform().kafkaBrokers, logLevel: logLevel.NOTHING });
  const relay = new OutboxRelay(dataSource, kafka.producer(), { schema: DATA_SERVICE_SCHEMA, logger: pino({ level: 'silent' }) });
  captures = new EpcisCaptureService(dataSource, relay, new EpcisDocumentValidator(), new EpcisMetrics(new Metrics('data-service')));
  queries = new EpcisQueryService(dataSource);
});

afterAll(async () => {
  await dataSource?.destroy();
  await database?.drop();
});

const parameters = (query: Record<string, string>): QueryParameter[] => Object.entries(query).map(([name, value]) => ({ name, value }));

/** The eventIDs a query finds, in the order it returns them. */
async function found(query: Record<string, string>): Promise<string[]> {
  const result = await queries.query(parameters({ perPage: '1000', ...query }));
  return result.events.map((event) => event.eventId);
}

// ---------------------------------------------------------------------------------------------
// Documents written for these tests. Company prefix 9506000 makes the formula; 9506001, its tins;
// 9506009 is another company whose GTINs differ from the formula's only after the first digits.

const ours = { GE_eventTime: '2026-06-01T00:00:00Z', LT_eventTime: '2026-07-01T00:00:00Z' };
const id = (n: number) => `urn:uuid:1d6e0c56-8b1f-4c55-a0c1-${String(n).padStart(12, '0')}`;
const at = (hour: number) => `2026-06-10T${String(hour).padStart(2, '0')}:00:00.000Z`;

const FORMULA = '09506000134352'; // 9506000 . 013435
const FORMULA_LARGE = '09506000134369'; // 9506000 . 013436
const TIN = '09506001000014'; // 9506001 . 000001
const OTHER_COMPANY = '09506009999990'; // 9506009 . 099999
const PALLET = 'urn:epc:id:sscc:9506000.0000000001';
const OTHER_PALLET = 'urn:epc:id:sscc:9506001.0000000001';
const dl = (gtin: string, serial: string) => `https://id.gs1.org/01/${gtin}/21/${serial}`;

const events = [
  { type: 'ObjectEvent', eventID: id(1), eventTime: at(1), eventTimeZoneOffset: '+00:00', epcList: [dl(FORMULA, 'A1'), dl(FORMULA, 'A2')], action: 'ADD', bizStep: 'commissioning' },
  { type: 'ObjectEvent', eventID: id(2), eventTime: at(2), eventTimeZoneOffset: '+00:00', epcList: ['urn:epc:id:sgtin:9506000.013436.B1'], action: 'ADD', bizStep: 'commissioning' },
  { type: 'ObjectEvent', eventID: id(3), eventTime: at(3), eventTimeZoneOffset: '+00:00', epcList: [dl(TIN, 'T1'), dl(OTHER_COMPANY, 'S1')], action: 'ADD', bizStep: 'commissioning' },
  {
    type: 'AggregationEvent',
    eventID: id(4),
    eventTime: at(4),
    eventTimeZoneOffset: '+00:00',
    parentID: PALLET,
    childEPCs: [dl(FORMULA, 'A1'), 'urn:epc:id:sgtin:9506000.013436.B1'],
    childQuantityList: [{ epcClass: `https://id.gs1.org/01/${FORMULA}/10/LOT-1`, quantity: 20 }],
    action: 'ADD',
    bizStep: 'packing',
  },
  { type: 'AggregationEvent', eventID: id(5), eventTime: at(5), eventTimeZoneOffset: '+00:00', parentID: OTHER_PALLET, childEPCs: [dl(TIN, 'T1')], action: 'ADD', bizStep: 'packing' },
  {
    type: 'TransformationEvent',
    eventID: id(6),
    eventTime: at(6),
    eventTimeZoneOffset: '+00:00',
    inputEPCList: [dl(TIN, 'T1')],
    outputEPCList: [dl(FORMULA, 'A9')],
    inputQuantityList: [{ epcClass: 'urn:epc:class:lgtin:9506001.000001.TINS-7', quantity: 1 }],
    outputQuantityList: [{ epcClass: `https://id.gs1.org/01/${FORMULA_LARGE}`, quantity: 4 }],
    bizStep: 'commissioning',
  },
  { type: 'ObjectEvent', eventID: id(7), eventTime: at(7), eventTimeZoneOffset: '+00:00', quantityList: [{ epcClass: `urn:epc:class:lgtin:9506000.013435.LOT-1`, quantity: 5 }], action: 'OBSERVE', bizStep: 'receiving' },
];

function documentOf(eventList: Record<string, unknown>[]): string {
  return JSON.stringify({
    '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: '2026-06-10T00:00:00Z',
    epcisBody: { eventList },
  });
}

describe('MATCH_ parameters on documents written for them', () => {
  beforeAll(async () => {
    expect(await captures.capture(documentOf(events), '')).toMatchObject({ storedCount: events.length });
  });

  it('MATCH_parentID selects the parent, in either form, and not the children', async () => {
    expect(await found({ ...ours, MATCH_parentID: PALLET })).toEqual([id(4)]);
    expect(await found({ ...ours, MATCH_parentID: 'https://id.gs1.org/00/095060000000000015' })).toEqual([id(4)]);
    expect(await found({ ...ours, MATCH_parentID: `${PALLET}|${OTHER_PALLET}` })).toEqual([id(4), id(5)]);
    expect(await found({ ...ours, MATCH_parentID: dl(FORMULA, 'A1') })).toEqual([]);
    // MATCH_epc reads epcList and childEPCs, never the parent.
    expect(await found({ ...ours, MATCH_epc: PALLET })).toEqual([]);
    expect(await found({ ...ours, MATCH_anyEPC: PALLET })).toEqual([id(4)]);
  });

  it('MATCH_inputEPC and MATCH_outputEPC tell a transformation\'s inputs from its outputs', async () => {
    expect(await found({ ...ours, MATCH_inputEPC: 'urn:epc:id:sgtin:9506001.000001.T1' })).toEqual([id(6)]);
    expect(await found({ ...ours, MATCH_outputEPC: 'urn:epc:id:sgtin:9506001.000001.T1' })).toEqual([]);
    expect(await found({ ...ours, MATCH_outputEPC: dl(FORMULA, 'A9') })).toEqual([id(6)]);
    expect(await found({ ...ours, MATCH_inputEPC: dl(FORMULA, 'A9') })).toEqual([]);
    expect(await found({ ...ours, MATCH_anyEPC: dl(TIN, 'T1') })).toEqual([id(3), id(5), id(6)]);
  });

  it('matches EPC pure identity patterns at GTIN, company prefix and scheme level', async () => {
    // Every serial of one GTIN: its URN pattern and the GTIN-only Digital Link GS1 equates with it.
    for (const gtinLevel of ['urn:epc:idpat:sgtin:9506000.013435.*', `https://id.gs1.org/01/${FORMULA}`, `https://brand.example.com/01/${FORMULA}`]) {
      expect(await found({ ...ours, MATCH_epc: gtinLevel }), gtinLevel).toEqual([id(1), id(4)]);
      expect(await found({ ...ours, MATCH_anyEPC: gtinLevel }), gtinLevel).toEqual([id(1), id(4), id(6)]);
    }
    // Every GTIN of one company prefix, and none of another that shares its first digits.
    expect(await found({ ...ours, MATCH_epc: 'urn:epc:idpat:sgtin:9506000.*.*' })).toEqual([id(1), id(2), id(4)]);
    expect(await found({ ...ours, MATCH_epc: 'urn:epc:idpat:sgtin:9506009.*.*' })).toEqual([id(3)]);
    expect(await found({ ...ours, MATCH_outputEPC: 'urn:epc:idpat:sgtin:9506000.*.*' })).toEqual([id(6)]);
    expect(await found({ ...ours, MATCH_inputEPC: 'urn:epc:idpat:sgtin:9506000.*.*' })).toEqual([]);
    // SSCCs of one company prefix, and every SSCC.
    expect(await found({ ...ours, MATCH_parentID: 'urn:epc:idpat:sscc:9506000.*' })).toEqual([id(4)]);
    expect(await found({ ...ours, MATCH_parentID: 'urn:epc:idpat:sscc:*.*' })).toEqual([id(4), id(5)]);
    // A pattern and an identifier together mean either.
    expect(await found({ ...ours, MATCH_anyEPC: `urn:epc:idpat:sscc:9506001.*|${dl(FORMULA, 'A2')}` })).toEqual([id(1), id(5)]);
    // Patterns combine with the other filters and page like any query.
    expect(await found({ ...ours, MATCH_anyEPC: 'urn:epc:idpat:sgtin:9506000.*.*', eventType: 'AggregationEvent' })).toEqual([id(4)]);
    const first = await queries.query(parameters({ ...ours, MATCH_anyEPC: 'urn:epc:idpat:sgtin:9506000.*.*', perPage: '2' }));
    expect(first.events.map((event) => event.eventId)).toEqual([id(1), id(2)]);
    const second = await queries.query(parameters({ ...ours, MATCH_anyEPC: 'urn:epc:idpat:sgtin:9506000.*.*', perPage: '2', nextPageToken: first.nextPageToken }));
    expect(second.events.map((event) => event.eventId)).toEqual([id(4), id(6)]);
  });

  it('matches classes: MATCH_epcClass reads quantity lists, the input and output twins a transformation\'s', async () => {
    const formulaLots = 'urn:epc:idpat:sgtin:9506000.013435.*';
    expect(await found({ ...ours, MATCH_epcClass: formulaLots })).toEqual([id(4), id(7)]);
    expect(await found({ ...ours, MATCH_epcClass: 'urn:epc:class:lgtin:9506000.013435.LOT-1' })).toEqual([id(4), id(7)]);
    expect(await found({ ...ours, MATCH_outputEPCClass: 'urn:epc:idpat:sgtin:9506000.013436.*' })).toEqual([id(6)]);
    expect(await found({ ...ours, MATCH_epcClass: 'urn:epc:idpat:sgtin:9506000.013436.*' })).toEqual([]);
    expect(await found({ ...ours, MATCH_inputEPCClass: 'urn:epc:idpat:sgtin:9506001.*.*' })).toEqual([id(6)]);
    expect(await found({ ...ours, MATCH_outputEPCClass: 'urn:epc:idpat:sgtin:9506001.*.*' })).toEqual([]);
    expect(await found({ ...ours, MATCH_anyEPCClass: 'urn:epc:idpat:sgtin:9506000.*.*' })).toEqual([id(4), id(6), id(7)]);
  });

  it('refuses a pattern TDS does not allow, naming the parameter', async () => {
    for (const [name, value] of [
      ['MATCH_epc', 'urn:epc:idpat:sgtin:9506000.*.B1'],
      ['MATCH_parentID', 'urn:epc:idpat:sscc:95060.*'],
      ['MATCH_anyEPC', 'urn:epc:idpat:sgtin:9506000.*'],
    ] as const) {
      const error = await queries.query([{ name, value }]).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error, value).toBeInstanceOf(DomainException);
      expect((error as DomainException).code).toBe('epcis-invalid-query');
      expect((error as DomainException).violations[0]?.field).toBe(name);
    }
  });

  it('fills the new fields of events stored before them from their bodies (the migration)', async () => {
    const migration = new EpcisQueryFields1764600000001();
    const runner = dataSource.createQueryRunner();
    try {
      await migration.down(runner);
      await migration.up(runner);
    } finally {
      await runner.release();
    }
    expect(await found({ ...ours, MATCH_parentID: PALLET })).toEqual([id(4)]);
    expect(await found({ ...ours, MATCH_inputEPC: 'urn:epc:idpat:sgtin:9506001.000001.*' })).toEqual([id(6)]);
    expect(await found({ ...ours, MATCH_outputEPCClass: `https://id.gs1.org/01/${FORMULA_LARGE}` })).toEqual([id(6)]);
  });
});

// ---------------------------------------------------------------------------------------------
// GS1's own examples, read from ../shared at test time, never copied.

const examplesRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/conformance/gs1-epcis');

function exampleDocuments(): { file: string; text: string; events: Record<string, unknown>[] }[] {
  const found: { file: string; text: string; events: Record<string, unknown>[] }[] = [];
  const walk = (directory: string) => {
    for (const name of readdirSync(directory).sort()) {
      const full = path.join(directory, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.jsonld')) {
        const text = readFileSync(full, 'utf8');
        const document = JSON.parse(text) as { type: string; epcisBody: { eventList: Record<string, unknown>[] } };
        if (document.type === 'EPCISDocument') found.push({ file: path.relative(examplesRoot, full), text, events: document.epcisBody.eventList });
      }
    }
  };
  for (const folder of ['JSON', 'JSON-simple-context']) walk(path.join(examplesRoot, folder));
  return found;
}

const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);
const firstString = (value: unknown): string | undefined => asList(value).find((item): item is string => typeof item === 'string');
const firstClass = (value: unknown): string | undefined =>
  asList(value)
    .map((element) => (element as { epcClass?: unknown } | null)?.epcClass)
    .find((item): item is string => typeof item === 'string');

/** `urn:epc:id:sgtin:4012345.011122.25` → its patterns: `4012345.011122.*`, `4012345.*.*`, `*.*.*`. */
function patternsOf(identifier: string): string[] {
  const match = /^urn:epc:id:([a-z]+):(.+)$/.exec(identifier);
  if (match === null) return [];
  const components = match[2]!.split('.');
  return components.map((_, stars) => {
    const kept = components.slice(0, components.length - 1 - stars);
    return `urn:epc:idpat:${match[1]!}:${[...kept, ...Array.from({ length: stars + 1 }, () => '*')].join('.')}`;
  });
}

describe.skipIf(!existsSync(examplesRoot))('conformance: each GS1 example event is found by the MATCH_ parameters of its fields', () => {
  /** Each eventID of the examples with its version in force (GS1 reuses a few eventIDs with other content), as stored. */
  const captured: { file: string; event: Record<string, unknown>; eventId: string }[] = [];

  beforeAll(async () => {
    const seen = new Set<string>();
    for (const { file, text, events: eventList } of exampleDocuments()) {
      await captures.capture(text, '');
      for (const event of eventList) {
        const eventId = event['eventID'] ?? event['id'];
        if (typeof eventId !== 'string' || seen.has(eventId)) continue;
        seen.add(eventId);
        captured.push({ file, eventId, event: {} });
      }
    }
    // Read once every document is in: the stored body keeps each identifier as it was sent.
    for (const entry of captured) entry.event = JSON.parse((await queries.get(entry.eventId, 0)).event.eventJson) as Record<string, unknown>;
    expect(captured.length).toBeGreaterThan(30);
  });

  /** Finds the event within its own millisecond, so the shared examples do not crowd the page. */
  async function finds(event: Record<string, unknown>, query: Record<string, string>): Promise<string[]> {
    const time = new Date(event['eventTime'] as string);
    return found({ eventType: event['type'] as string, GE_eventTime: time.toISOString(), LT_eventTime: new Date(time.getTime() + 1).toISOString(), ...query });
  }

  const fields = [
    ['MATCH_epc', (event: Record<string, unknown>) => firstString(event['epcList']) ?? firstString(event['childEPCs'])],
    ['MATCH_parentID', (event: Record<string, unknown>) => firstString(event['parentID'])],
    ['MATCH_inputEPC', (event: Record<string, unknown>) => firstString(event['inputEPCList'])],
    ['MATCH_outputEPC', (event: Record<string, unknown>) => firstString(event['outputEPCList'])],
    ['MATCH_epcClass', (event: Record<string, unknown>) => firstClass(event['quantityList']) ?? firstClass(event['childQuantityList'])],
    ['MATCH_inputEPCClass', (event: Record<string, unknown>) => firstClass(event['inputQuantityList'])],
    ['MATCH_outputEPCClass', (event: Record<string, unknown>) => firstClass(event['outputQuantityList'])],
  ] as const;

  it.each(fields)('%s finds every example event by the identifier it names there', async (name, valueOf) => {
    let checked = 0;
    for (const { file, event, eventId } of captured) {
      const value = valueOf(event);
      if (value === undefined) continue;
      expect(await finds(event, { [name]: value }), `${file} ${eventId} ${name}=${value}`).toContain(eventId);
      checked += 1;
    }
    expect(checked, name).toBeGreaterThan(0);
  });

  it('MATCH_parentID and MATCH_inputEPC do not take a child for the parent, or an output for an input', async () => {
    let checked = 0;
    for (const { file, event, eventId } of captured) {
      const parent = firstString(event['parentID']);
      const child = firstString(event['childEPCs']);
      if (parent !== undefined && child !== undefined && child !== parent) {
        expect(await finds(event, { MATCH_parentID: child }), `${file} ${eventId}`).not.toContain(eventId);
        checked += 1;
      }
      const inputs = asList(event['inputEPCList']);
      const output = firstString(event['outputEPCList']);
      if (output !== undefined && !inputs.includes(output)) {
        expect(await finds(event, { MATCH_inputEPC: output }), `${file} ${eventId}`).not.toContain(eventId);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(3);
  });

  it('finds every example event naming an EPC URN by each pure identity pattern of it', async () => {
    let checked = 0;
    for (const { file, event, eventId } of captured) {
      const identifier = [...asList(event['epcList']), ...asList(event['childEPCs']), ...asList(event['parentID']), ...asList(event['inputEPCList'])].find(
        (item): item is string => typeof item === 'string' && item.startsWith('urn:epc:id:'),
      );
      if (identifier === undefined) continue;
      for (const pattern of patternsOf(identifier)) {
        expect(await finds(event, { MATCH_anyEPC: pattern }), `${file} ${eventId} ${pattern}`).toContain(eventId);
      }
      checked += 1;
    }
    expect(checked).toBeGreaterThan(10);
  });
});
