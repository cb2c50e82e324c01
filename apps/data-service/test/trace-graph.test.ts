import 'reflect-metadata';
import { fromKafkaRecord, epcisCaptureStoredV1, type TraceForwardResponseMessage, type TraceGraphMessage } from '@traceport/contracts';
import { openServiceDataSource } from '@traceport/database';
import { DomainException } from '@traceport/errors';
import { gs1CheckDigit } from '@traceport/identity';
import { MESSAGING_ENTITIES, OutboxRelay } from '@traceport/messaging';
import { Metrics } from '@traceport/observability';
import { freshDatabase, testPlatform } from '@traceport/testing';
import { Kafka, logLevel } from 'kafkajs';
import { pino } from 'pino';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kindOfCollection } from '../src/archive/archive-kinds.js';
import { ArchiveMetrics } from '../src/archive/archive.metrics.js';
import { ArchiveService } from '../src/archive/archive.service.js';
import { DATA_SERVICE_SCHEMA } from '../src/config.js';
import { CreateTraceGraph1764700000000 } from '../src/database/migrations/1764700000000-create-trace-graph.js';
import { DATA_SERVICE_MIGRATIONS } from '../src/database/migrations/index.js';
import { EpcisCaptureService } from '../src/epcis/epcis-capture.service.js';
import { EpcisDocumentValidator } from '../src/epcis/epcis-document.validator.js';
import { EpcisMetrics } from '../src/epcis/epcis.metrics.js';
import { TraceBackService } from '../src/trace/trace-back.service.js';
import { TraceForwardService } from '../src/trace/trace-forward.service.js';
import { TraceGraphRecorder } from '../src/trace/trace-graph.recorder.js';

// Trace back and trace forward against the real PostgreSQL, over a small history captured through
// the EPCIS capture service and recorded into the trace graph the way its Kafka consumer does (from
// the outbox rows the relay would publish): a dairy with two products, a formula maker, lots with
// their items commissioned (the lot in the ILMD), items packed into cases, cases onto a pallet
// (shipped and received before its packing is reported), one lot transformed into another
// factory's lot, and identities issued for one lot.

const metrics = new Metrics('data-service');
let database: Awaited<ReturnType<typeof freshDatabase>>;
let dataSource: DataSource;
let captures: EpcisCaptureService;
let archive: ArchiveService;
let back: TraceBackService;
let forward: TraceForwardService;
let recordedUpTo = '0';

const withCheck = (body: string) => `${body}${gs1CheckDigit(body)}`;
const wrongCheckDigit = (digits: string) => `${digits.slice(0, -1)}${(Number(digits.at(-1)) + 1) % 10}`;
const GTIN = { milk: withCheck('0950600013401'), butter: withCheck('0950600013402'), formula: withCheck('0950600013403') };
const gln = (n: number) => `https://id.gs1.org/414/${withCheck(`95060001343${n}`)}`;
const DAIRY = gln(1);
const FORMULA_PLANT = gln(2);
const WAREHOUSE_1 = gln(3);
const WAREHOUSE_2 = gln(4);
const WAREHOUSE_3 = gln(5);
const sscc = (n: number) => `https://id.gs1.org/00/${withCheck(`1950600000000000${n}`)}`;
const [K1, K2, K3, K4, PALLET] = [1, 2, 3, 4, 9].map(sscc) as [string, string, string, string, string];
const item = (gtin: string, serial: string) => `https://id.gs1.org/01/${gtin}/21/${serial}`;
const lotClass = (gtin: string, lot: string) => `https://id.gs1.org/01/${gtin}/10/${lot}`;
const serials = (prefix: string, from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => `${prefix}${String(from + index).padStart(4, '0')}`);

const LOT = { A: { gtin: GTIN.milk, lot: 'MP-A' }, B: { gtin: GTIN.milk, lot: 'MP-B' }, D: { gtin: GTIN.butter, lot: 'BP-D' }, E: { gtin: GTIN.butter, lot: 'BP-E' }, C: { gtin: GTIN.formula, lot: 'IF-C' } };
const ITEMS = {
  A: serials('A', 1, 6),
  B: serials('B', 1, 4),
  D: serials('D', 1, 2),
  E: serials('E', 1, 120),
  C: serials('C', 1, 3),
};

let eventNumber = 0;
const eventId = () => `urn:uuid:7c1d0000-0000-4000-8000-${String((eventNumber += 1)).padStart(12, '0')}`;
const at = (day: number, hour = 8) => `2026-${String(5 + Math.floor(day / 28)).padStart(2, '0')}-${String((day % 28) + 1).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00.000+08:00`;

function commissioning(lot: { gtin: string; lot: string }, serialList: readonly string[], when: string, place: string) {
  return {
    type: 'ObjectEvent',
    eventID: eventId(),
    eventTime: when,
    eventTimeZoneOffset: '+08:00',
    epcList: serialList.map((serial) => item(lot.gtin, serial)),
    action: 'ADD',
    bizStep: 'commissioning',
    disposition: 'active',
    readPoint: { id: place },
    bizLocation: { id: place },
    ilmd: { 'cbvmda:lotNumber': lot.lot },
  };
}

function packing(parent: string, children: readonly string[], when: string) {
  return { type: 'AggregationEvent', eventID: eventId(), eventTime: when, eventTimeZoneOffset: '+08:00', parentID: parent, childEPCs: children, action: 'ADD', bizStep: 'packing', readPoint: { id: DAIRY } };
}

function observed(epcs: readonly string[], bizStep: 'shipping' | 'receiving', when: string, place: string) {
  return {
    type: 'ObjectEvent',
    eventID: eventId(),
    eventTime: when,
    eventTimeZoneOffset: '+08:00',
    epcList: epcs,
    action: 'OBSERVE',
    bizStep,
    disposition: bizStep === 'shipping' ? 'in_transit' : 'in_progress',
    readPoint: { id: place },
    bizLocation: { id: place },
  };
}

function documentOf(events: Record<string, unknown>[]): string {
  return JSON.stringify({
    '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: '2026-09-01T08:00:00Z',
    epcisBody: { eventList: events },
  });
}

/** Captures a document, then records what the relay would publish, as the trace graph's consumer does. */
async function capture(events: Record<string, unknown>[]): Promise<void> {
  const job = await captures.capture(documentOf(events), '');
  expect(job.success).toBe(true);
  await recordPublished();
}

async function recordPublished(): Promise<void> {
  const rows: { sequence: string; headers: Record<string, string>; value: string }[] = await dataSource.query(
    `SELECT "sequence"::text AS "sequence", "headers", "value" FROM "data_service"."outbox" WHERE "topic" = $1 AND "sequence" > $2 ORDER BY "sequence"`,
    [epcisCaptureStoredV1.topic, recordedUpTo],
  );
  await dataSource.transaction((manager) =>
    new TraceGraphRecorder(manager).recordCaptured(rows.flatMap((row) => epcisCaptureStoredV1.schema.parse(fromKafkaRecord(row.headers, row.value).data).records)),
  );
  recordedUpTo = rows.at(-1)?.sequence ?? recordedUpTo;
}

async function create(collection: string, fields: Record<string, unknown>): Promise<string> {
  return (await archive.create(kindOfCollection(collection)!, fields)).record.id;
}

const ids: Record<string, string> = {};

beforeAll(async () => {
  database = await freshDatabase('traceport_it_trace_graph');
  dataSource = await openServiceDataSource({
    url: database.url,
    schema: DATA_SERVICE_SCHEMA,
    applicationName: 'trace-graph-it',
    entities: [...MESSAGING_ENTITIES],
    migrations: DATA_SERVICE_MIGRATIONS,
    poolMax: 8,
  });
  const kafka = new Kafka({ clientId: 'trace-graph-it', brokers: testPlatform().kafkaBrokers, logLevel: logLevel.NOTHING });
  const relay = new OutboxRelay(dataSource, kafka.producer(), { schema: DATA_SERVICE_SCHEMA, logger: pino({ level: 'silent' }) });
  captures = new EpcisCaptureService(dataSource, relay, new EpcisDocumentValidator(), new EpcisMetrics(metrics));
  archive = new ArchiveService(dataSource, relay, new ArchiveMetrics(metrics));
  back = new TraceBackService(dataSource);
  forward = new TraceForwardService(dataSource);

  const merchant = await create('merchants', { legalName: 'Trace Importer Ltd.', country: 'CN', registrationNumber: '91310000TRACE0001' });
  const brand = await create('brands', { name: 'Trace Brand', ownerMerchantId: merchant });
  ids['dairy'] = await create('factories', {
    name: 'Alpine Dairy',
    country: 'NZ',
    address: '1 Milk Road, Hamilton',
    certifications: [
      { type: 'ISO 9001', issuer: 'BSI', number: 'Q-1', validFrom: '2025-01-01', validTo: '2099-12-31' },
      { type: 'GMP', issuer: 'MPI', number: 'G-7', validFrom: '2024-01-01', validTo: '2026-06-30' },
    ],
  });
  ids['formulaPlant'] = await create('factories', {
    name: 'Formula Works',
    country: 'IE',
    address: '2 Formula Way, Cork',
    certifications: [{ type: 'ISO 22000', issuer: 'NSAI', number: 'F-3', validFrom: '2025-01-01', validTo: '2099-12-31' }],
  });
  const product = (gtin: string, name: string, factoryId: string) => create('products', { gtin, name, brandId: brand, factoryId, category: 'dairy', hsCode: '040221', originCountry: 'NZ' });
  ids['milk'] = await product(GTIN.milk, 'Whole milk powder', ids['dairy']);
  ids['butter'] = await product(GTIN.butter, 'Butter powder', ids['dairy']);
  ids['formula'] = await product(GTIN.formula, 'Infant formula', ids['formulaPlant']);
  const lot = (productId: string, lotNumber: string, productionDate: string) => create('lots', { productId, lotNumber, quantity: 1_000, productionDate, expiryDate: '2028-12-31' });
  ids['A'] = await lot(ids['milk'], 'MP-A', '2026-05-01');
  ids['B'] = await lot(ids['milk'], 'MP-B', '2026-05-10');
  ids['D'] = await lot(ids['butter'], 'BP-D', '2026-06-01');
  ids['E'] = await lot(ids['butter'], 'BP-E', '2026-08-01');
  ids['C'] = await lot(ids['formula'], 'IF-C', '2026-07-01');
  ids['customs'] = await create('customs-declarations', { direction: 'import', declarationNumber: 'D-2026-0001', port: 'Shanghai', date: '2026-06-20', status: 'cleared', lotIds: [ids['A'], ids['B']] });

  // Ten identities issued for lot A: six of them are commissioned below, four never are.
  const issuance = crypto.randomUUID();
  await dataSource.query(
    `INSERT INTO data_service.identity_issuances (id, lot_id, lot_version, gtin, lot_number, quantity, status, issued, serials_root, record)
     VALUES ($1, $2, 1, $3, 'MP-A', 10, 'succeeded', 10, decode(repeat('ab', 32), 'hex'), '{}')`,
    [issuance, ids['A'], GTIN.milk],
  );
  await dataSource.query(`INSERT INTO data_service.identities (gtin, serial, issuance_id, index) SELECT $1, s, $2, i - 1 FROM unnest($3::text[]) WITH ORDINALITY AS t (s, i)`, [
    GTIN.milk,
    issuance,
    serials('A', 1, 10),
  ]);

  await capture([
    commissioning(LOT.A, ITEMS.A, at(0), DAIRY),
    commissioning(LOT.B, ITEMS.B, at(9), DAIRY),
    commissioning(LOT.D, ITEMS.D, at(31), DAIRY),
    commissioning(LOT.E, ITEMS.E, at(92), DAIRY),
  ]);
  await capture([
    packing(K1, ITEMS.A.slice(0, 3).map((serial) => item(GTIN.milk, serial)), at(40, 9)),
    packing(K2, ITEMS.A.slice(3).map((serial) => item(GTIN.milk, serial)), at(40, 10)),
    packing(K3, [...ITEMS.B.slice(0, 2).map((serial) => item(GTIN.milk, serial)), item(GTIN.butter, ITEMS.D[0]!)], at(40, 11)),
    packing(K4, ITEMS.B.slice(2).map((serial) => item(GTIN.milk, serial)), at(40, 12)),
  ]);
  // The pallet's shipping and receipt are reported before its packing: the trace still follows them.
  await capture([
    observed([PALLET], 'shipping', at(42), DAIRY),
    observed([PALLET], 'receiving', at(50), WAREHOUSE_1),
    observed([K4], 'shipping', at(42, 9), DAIRY),
    observed([K4], 'receiving', at(51), WAREHOUSE_2),
  ]);
  await capture([packing(PALLET, [K1, K2, K3], at(41))]);
  // Lot A of milk powder goes into lot IF-C of infant formula, made (and commissioned) by the formula plant.
  await capture([
    {
      type: 'TransformationEvent',
      eventID: eventId(),
      eventTime: at(60),
      eventTimeZoneOffset: '+08:00',
      transformationID: 'urn:uuid:7c1d0000-0000-4000-8000-7f0000000001',
      inputQuantityList: [{ epcClass: lotClass(GTIN.milk, 'MP-A'), quantity: 50, uom: 'KGM' }],
      outputEPCList: ITEMS.C.map((serial) => item(GTIN.formula, serial)),
      bizStep: 'commissioning',
      disposition: 'active',
      readPoint: { id: FORMULA_PLANT },
      bizLocation: { id: FORMULA_PLANT },
      ilmd: { 'cbvmda:lotNumber': 'IF-C' },
    },
  ]);
  await capture([observed(ITEMS.C.map((serial) => item(GTIN.formula, serial)), 'receiving', at(70), WAREHOUSE_3)]);
});

afterAll(async () => {
  await dataSource?.destroy();
  await database?.drop();
});

async function rejection(promise: Promise<unknown>): Promise<DomainException> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DomainException);
  return error as DomainException;
}

const lotsOf = (trace: { lots: { gtin: string; lot: string; relation: string; items: number }[] }) =>
  Object.fromEntries(trace.lots.map((lot) => [lot.lot, { relation: lot.relation, items: lot.items }]));
const keysOf = (items: { gtin: string; serial: string }[]) => items.map((entry) => `${entry.gtin}/${entry.serial}`);
const keys = (gtin: string, serialList: readonly string[]) => serialList.map((serial) => `${gtin}/${serial}`);
const locationsOf = (trace: { locations: { identifier: string; kind: string }[] }) => Object.fromEntries(trace.locations.map((location) => [location.identifier, location.kind]));
const edgesOf = (graph: TraceGraphMessage) => graph.edges.map((edge) => `${edge.source} -${edge.kind}-> ${edge.target}`);

async function allItems(scope: Record<string, string>, pageSize: number): Promise<{ pages: number; items: { gtin: string; lot: string; serial: string; relation: string }[] }> {
  const first = await forward.traceForward({ ...scope, pageSize });
  const items = [...first.items];
  let token = first.nextPageToken;
  let pages = 1;
  while (token !== '') {
    const page = await forward.listAffectedItems({ ...scope, pageSize, pageToken: token });
    items.push(...page.items);
    token = page.nextPageToken;
    pages += 1;
  }
  return { pages, items };
}

describe('trace forward', () => {
  let fromLot: TraceForwardResponseMessage;

  it('follows a lot into its cases and pallet, to what shared them, to the lot made from it, and to every place they reached', async () => {
    fromLot = await forward.traceForward({ gtin: GTIN.milk, lot: 'MP-A' });
    expect(fromLot.subject).toMatchObject({ kind: 'lot', gtin: GTIN.milk, lot: 'MP-A' });
    expect(lotsOf(fromLot)).toEqual({
      'MP-A': { relation: 'origin', items: 6 },
      'IF-C': { relation: 'transformed', items: 3 },
      'MP-B': { relation: 'co-packed', items: 2 },
      'BP-D': { relation: 'co-packed', items: 1 },
    });
    expect(fromLot.counts).toEqual({ lots: 4, items: 12, containers: 4, locations: 4, issuedIdentities: 10, products: 3, factories: 2 });
    expect(fromLot.containers).toEqual(
      [
        { identifier: K1, relation: 'packed' },
        { identifier: K2, relation: 'packed' },
        { identifier: K3, relation: 'co-packed' },
        { identifier: PALLET, relation: 'packed' },
      ].sort((a, b) => a.identifier.localeCompare(b.identifier)),
    );
    // The pallet's receipt at warehouse 1 was reported before its packing; the formula plant consumed lot A.
    expect(locationsOf(fromLot)).toEqual({ [DAIRY]: 'observed-at', [FORMULA_PLANT]: 'observed-at', [WAREHOUSE_1]: 'shipped-to', [WAREHOUSE_3]: 'shipped-to' });
    expect(keysOf(fromLot.items).sort()).toEqual(
      [...keys(GTIN.milk, ITEMS.A), ...keys(GTIN.milk, ITEMS.B.slice(0, 2)), ...keys(GTIN.butter, ITEMS.D.slice(0, 1)), ...keys(GTIN.formula, ITEMS.C)].sort(),
    );
    expect(Object.fromEntries(fromLot.items.map((entry) => [entry.serial, entry.relation]))).toMatchObject({ A0001: 'lot', B0001: 'co-packed', D0001: 'co-packed', C0003: 'transformed' });
    expect(fromLot.items[0]!.digitalLink).toBe(item(GTIN.milk, 'A0001'));
    expect(fromLot.nextPageToken).toBe('');
  });

  it('draws it item by item: who made what, what went into which case and pallet, where it went', () => {
    const { graph } = fromLot;
    expect(graph.aggregated).toBe(false);
    expect(graph.nodes.filter((node) => node.kind === 'item')).toHaveLength(12);
    expect(graph.nodes.filter((node) => node.kind === 'container').map((node) => node.ref).sort()).toEqual([K1, K2, K3, PALLET].sort());
    expect(edgesOf(graph)).toEqual(
      expect.arrayContaining([
        `factory:${ids['dairy']} -produced-> product:${GTIN.milk}`,
        `factory:${ids['formulaPlant']} -produced-> product:${GTIN.formula}`,
        `product:${GTIN.milk} -produced-> lot:${GTIN.milk}/MP-A`,
        `lot:${GTIN.milk}/MP-A -transformed-into-> lot:${GTIN.formula}/IF-C`,
        `lot:${GTIN.milk}/MP-A -produced-> item:${GTIN.milk}/A0001`,
        `item:${GTIN.milk}/A0001 -packed-into-> container:${K1}`,
        `item:${GTIN.butter}/D0001 -packed-into-> container:${K3}`,
        `container:${K1} -packed-into-> container:${PALLET}`,
        `container:${PALLET} -shipped-to-> location:${WAREHOUSE_1}`,
        `lot:${GTIN.milk}/MP-A -shipped-to-> location:${WAREHOUSE_1}`,
        `lot:${GTIN.formula}/IF-C -shipped-to-> location:${WAREHOUSE_3}`,
      ]),
    );
    const nodes = new Set(graph.nodes.map((node) => node.id));
    expect(graph.edges.every((edge) => nodes.has(edge.source) && nodes.has(edge.target))).toBe(true);
  });

  it('from a factory reaches all its lots, the lots made from them elsewhere, and groups items per lot in the graph', async () => {
    const trace = await forward.traceForward({ factoryId: ids['dairy'] });
    expect(lotsOf(trace)).toEqual({
      'MP-A': { relation: 'origin', items: 6 },
      'MP-B': { relation: 'origin', items: 4 },
      'BP-D': { relation: 'origin', items: 2 },
      'BP-E': { relation: 'origin', items: 120 },
      'IF-C': { relation: 'transformed', items: 3 },
    });
    expect(trace.counts).toEqual({ lots: 5, items: 135, containers: 5, locations: 5, issuedIdentities: 10, products: 3, factories: 2 });
    expect(trace.containers.map((container) => container.identifier).sort()).toEqual([K1, K2, K3, K4, PALLET].sort());
    expect(locationsOf(trace)).toEqual({
      [DAIRY]: 'observed-at',
      [FORMULA_PLANT]: 'observed-at',
      [WAREHOUSE_1]: 'shipped-to',
      [WAREHOUSE_2]: 'shipped-to',
      [WAREHOUSE_3]: 'shipped-to',
    });
    // 135 items: grouped per lot, with counts, rather than drawn one by one.
    expect(trace.graph.aggregated).toBe(true);
    expect(trace.graph.nodes.filter((node) => node.kind === 'item')).toHaveLength(0);
    expect(trace.graph.nodes.find((node) => node.id === `items:${GTIN.butter}/BP-E`)).toMatchObject({ kind: 'item-group', count: 120 });
    expect(trace.graph.nodes.find((node) => node.id === `containers:${GTIN.milk}/MP-A`)).toMatchObject({ kind: 'container-group', count: 3 });
    expect(edgesOf(trace.graph)).toEqual(
      expect.arrayContaining([
        `lot:${GTIN.milk}/MP-A -produced-> items:${GTIN.milk}/MP-A`,
        `items:${GTIN.milk}/MP-A -packed-into-> containers:${GTIN.milk}/MP-A`,
        `lot:${GTIN.milk}/MP-B -shipped-to-> location:${WAREHOUSE_2}`,
      ]),
    );
  });

  it('pages through every affected item exactly once, in GTIN, lot and serial order', async () => {
    const { pages, items } = await allItems({ factoryId: ids['dairy'] }, 7);
    expect(pages).toBe(Math.ceil(135 / 7));
    const expected = [
      ...keys(GTIN.milk, ITEMS.A),
      ...keys(GTIN.milk, ITEMS.B),
      ...keys(GTIN.butter, ITEMS.D),
      ...keys(GTIN.butter, ITEMS.E),
      ...keys(GTIN.formula, ITEMS.C),
    ];
    expect(keysOf(items)).toEqual(expected);
    const lotOrder = items.map((entry) => `${entry.gtin}/${entry.lot}`);
    expect(lotOrder).toEqual([...lotOrder].sort());
  });

  it('from a product by id or by GTIN, and from a production window', async () => {
    // D0001 went onto the pallet in case K3: everything on that pallet shared it (lot A's cases, B's two items in K3).
    const byId = await forward.traceForward({ productId: ids['butter'] });
    const byGtin = await forward.traceForward({ gtin: GTIN.butter });
    expect(lotsOf(byId)).toEqual({
      'BP-D': { relation: 'origin', items: 2 },
      'BP-E': { relation: 'origin', items: 120 },
      'MP-A': { relation: 'co-packed', items: 6 },
      'MP-B': { relation: 'co-packed', items: 2 },
    });
    expect(lotsOf(byGtin)).toEqual(lotsOf(byId));
    expect(byId.counts).toMatchObject({ items: 130, containers: 4 });
    expect(byId.containers).toEqual(
      [
        { identifier: K1, relation: 'co-packed' },
        { identifier: K2, relation: 'co-packed' },
        { identifier: K3, relation: 'packed' },
        { identifier: PALLET, relation: 'packed' },
      ].sort((a, b) => a.identifier.localeCompare(b.identifier)),
    );

    // May: lots A and B of the dairy (and IF-C made from A); D shared case K3 with B.
    const may = await forward.traceForward({ factoryId: ids['dairy'], from: '2026-05-01', to: '2026-05-31' });
    expect(lotsOf(may)).toEqual({
      'MP-A': { relation: 'origin', items: 6 },
      'MP-B': { relation: 'origin', items: 4 },
      'IF-C': { relation: 'transformed', items: 3 },
      'BP-D': { relation: 'co-packed', items: 1 },
    });
    expect(may.counts).toMatchObject({ items: 14, containers: 5 });
    const july = await forward.traceForward({ from: '2026-07-01', to: '2026-07-31' });
    expect(lotsOf(july)).toEqual({ 'IF-C': { relation: 'origin', items: 3 } });
    const empty = await forward.traceForward({ from: '2030-01-01', to: '2030-12-31' });
    expect(empty.counts).toMatchObject({ lots: 0, items: 0, containers: 0, locations: 0 });
  });

  it('refuses a missing, ambiguous or malformed scope, an unknown factory, and a page token of another trace', async () => {
    expect((await rejection(forward.traceForward({}))).code).toBe('trace-invalid-scope');
    expect((await rejection(forward.traceForward({ factoryId: ids['dairy'], productId: ids['milk'] }))).violations[0]!.field).toBe('product_id');
    expect((await rejection(forward.traceForward({ gtin: wrongCheckDigit(GTIN.milk) }))).violations[0]).toMatchObject({ field: 'gtin' });
    expect((await rejection(forward.traceForward({ from: '2026-05-01' }))).violations[0]).toMatchObject({ field: 'to' });
    expect((await rejection(forward.traceForward({ from: '2026-06-01', to: '2026-05-01' }))).violations[0]).toMatchObject({ field: 'to' });
    expect((await rejection(forward.traceForward({ lot: 'MP-A' }))).violations[0]).toMatchObject({ field: 'lot' });
    expect((await rejection(forward.traceForward({ factoryId: crypto.randomUUID() }))).kind).toBe('not_found');
    expect((await rejection(forward.traceForward({ gtin: GTIN.milk, lot: 'NO-SUCH-LOT' }))).kind).toBe('not_found');
    const page = await forward.traceForward({ factoryId: ids['dairy'], pageSize: 5 });
    expect((await rejection(forward.listAffectedItems({ productId: ids['milk'], pageToken: page.nextPageToken }))).code).toBe('trace-invalid-page');
    expect((await rejection(forward.listAffectedItems({ factoryId: ids['dairy'], pageSize: 5_000 }))).violations[0]).toMatchObject({ field: 'page_size' });
  });
});

describe('trace back', () => {
  it('from an item: its lot, product, factory with its certifications then and now, customs, the containers it travelled in, and its own whereabouts', async () => {
    const trace = await back.traceBack({ gtin: GTIN.milk, serial: 'A0002' });
    expect(trace.subject).toMatchObject({ kind: 'item', gtin: GTIN.milk, serial: 'A0002', lot: 'MP-A', identifier: item(GTIN.milk, 'A0002') });
    expect(lotsOf(trace)).toEqual({ 'MP-A': { relation: 'subject', items: 6 } });
    expect(trace.lots[0]).toMatchObject({ lotId: ids['A'], productId: ids['milk'], factoryId: ids['dairy'], productionDate: '2026-05-01', issuedIdentities: 10, containers: 3, customsDeclarationIds: [ids['customs']] });
    expect(trace.products.map((product) => product.name)).toEqual(['Whole milk powder']);
    expect(trace.factories).toHaveLength(1);
    expect(trace.factories[0]!.certifications.map((certification) => [certification.type, certification.status, certification.statusAtProduction])).toEqual([
      ['ISO 9001', 'valid', 'valid'],
      ['GMP', new Date().toISOString().slice(0, 10) > '2026-06-30' ? 'expired' : 'valid', 'valid'],
    ]);
    expect(trace.customsDeclarations.map((declaration) => declaration.declarationNumber)).toEqual(['D-2026-0001']);
    expect(trace.containers).toEqual([
      { identifier: K1, relation: 'carried-in' },
      { identifier: PALLET, relation: 'carried-in' },
    ]);
    expect(locationsOf(trace)).toEqual({ [DAIRY]: 'observed-at', [WAREHOUSE_1]: 'shipped-to' });
    // Its own trail and its lot's: commissioning, packing into K1 and onto the pallet, shipping,
    // receiving, and the transformation that consumed lot A.
    expect(trace.eventCount).toBe(7);
    expect(trace.events.map((event) => event.bizStep.replace('https://ref.gs1.org/cbv/BizStep-', ''))).toEqual([
      'commissioning',
      'packing',
      'packing',
      'packing',
      'shipping',
      'receiving',
      'commissioning',
    ]);
    expect(edgesOf(trace.graph)).toEqual(
      expect.arrayContaining([
        `lot:${GTIN.milk}/MP-A -produced-> item:${GTIN.milk}/A0002`,
        `item:${GTIN.milk}/A0002 -packed-into-> container:${K1}`,
        `container:${K1} -packed-into-> container:${PALLET}`,
        `item:${GTIN.milk}/A0002 -shipped-to-> location:${WAREHOUSE_1}`,
      ]),
    );
  });

  it("from an item made by transformation: back through its lot to the lot it was made from, and that lot's factory", async () => {
    const trace = await back.traceBack({ gtin: GTIN.formula, serial: 'C0002' });
    expect(lotsOf(trace)).toEqual({ 'IF-C': { relation: 'subject', items: 3 }, 'MP-A': { relation: 'input', items: 6 } });
    expect(trace.factories.map((factory) => factory.name).sort()).toEqual(['Alpine Dairy', 'Formula Works']);
    expect(trace.customsDeclarations.map((declaration) => declaration.declarationNumber)).toEqual(['D-2026-0001']);
    expect(locationsOf(trace)).toEqual({ [FORMULA_PLANT]: 'observed-at', [WAREHOUSE_3]: 'shipped-to' });
    expect(edgesOf(trace.graph)).toEqual(
      expect.arrayContaining([`lot:${GTIN.milk}/MP-A -transformed-into-> lot:${GTIN.formula}/IF-C`, `factory:${ids['dairy']} -produced-> product:${GTIN.milk}`]),
    );
    // C0002's trail (transformation, receiving) and lot A's (commissioning, three packings, shipping, receiving).
    expect(trace.eventCount).toBe(8);
  });

  it('from an identity issued but never traced, from a lot, and from the pallet (its contents, lots and where it went)', async () => {
    const issued = await back.traceBack({ gtin: GTIN.milk, serial: 'A0009' });
    expect(issued.subject.lot).toBe('MP-A');
    expect(issued.containers).toEqual([]);

    const lot = await back.traceBack({ gtin: GTIN.milk, lot: 'MP-B' });
    expect(lotsOf(lot)).toEqual({ 'MP-B': { relation: 'subject', items: 4 } });
    expect(lot.containerCount).toBe(3);
    expect(lot.containers.map((container) => container.identifier).sort()).toEqual([K3, K4, PALLET].sort());
    expect(locationsOf(lot)).toEqual({ [DAIRY]: 'observed-at', [WAREHOUSE_1]: 'shipped-to', [WAREHOUSE_2]: 'shipped-to' });

    const pallet = await back.traceBack({ container: PALLET.split('/').at(-1)! });
    expect(pallet.subject).toMatchObject({ kind: 'container', identifier: PALLET });
    expect(lotsOf(pallet)).toEqual({ 'MP-A': { relation: 'contained', items: 6 }, 'MP-B': { relation: 'contained', items: 2 }, 'BP-D': { relation: 'contained', items: 1 } });
    expect(pallet.itemCount).toBe(9);
    expect(pallet.containers).toEqual([K1, K2, K3].map((identifier) => ({ identifier, relation: 'contains' })));
    expect(locationsOf(pallet)).toEqual({ [DAIRY]: 'observed-at', [WAREHOUSE_1]: 'shipped-to' });
    expect(pallet.factories.map((factory) => factory.name)).toEqual(['Alpine Dairy']);
    expect(edgesOf(pallet.graph)).toEqual(expect.arrayContaining([`item:${GTIN.butter}/D0001 -packed-into-> container:${K3}`, `container:${K3} -packed-into-> container:${PALLET}`]));
  });

  it('refuses a missing or ambiguous subject and a wrong check digit, and answers NOT_FOUND for what nothing knows', async () => {
    expect((await rejection(back.traceBack({}))).code).toBe('trace-invalid-subject');
    expect((await rejection(back.traceBack({ gtin: GTIN.milk }))).violations[0]).toMatchObject({ field: 'serial' });
    expect((await rejection(back.traceBack({ gtin: GTIN.milk, serial: 'A0001', lot: 'MP-A' }))).code).toBe('trace-invalid-subject');
    expect((await rejection(back.traceBack({ container: wrongCheckDigit(PALLET.split('/').at(-1)!) }))).violations[0]).toMatchObject({ field: 'container' });
    expect((await rejection(back.traceBack({ gtin: GTIN.milk, serial: 'NOPE' }))).kind).toBe('not_found');
    expect((await rejection(back.traceBack({ container: sscc(7).split('/').at(-1)! }))).kind).toBe('not_found');
  });
});

describe('the trace graph consumer', () => {
  it('changes nothing when it records the same events again', async () => {
    const before = await forward.traceForward({ factoryId: ids['dairy'] });
    recordedUpTo = '0';
    await recordPublished();
    expect(await forward.traceForward({ factoryId: ids['dairy'] })).toEqual(before);
  });

  it('forgets what an event said once it is declared erroneous: the pallet packing withdrawn', async () => {
    const [packed] = (await dataSource.query(`SELECT body FROM data_service.epcis_events WHERE event_type = 'AggregationEvent' AND body->>'parentID' = $1`, [PALLET])) as [
      { body: Record<string, unknown> },
    ];
    const { recordTime: _recordTime, ...event } = packed.body;
    await capture([{ ...event, errorDeclaration: { declarationTime: '2026-09-01T00:00:00.000Z', reason: 'incorrect_data' } }]);
    const trace = await forward.traceForward({ gtin: GTIN.milk, lot: 'MP-A' });
    expect(lotsOf(trace)).toEqual({ 'MP-A': { relation: 'origin', items: 6 }, 'IF-C': { relation: 'transformed', items: 3 } });
    expect(trace.containers).toEqual([K1, K2].map((identifier) => ({ identifier, relation: 'packed' })));
    expect((await back.traceBack({ gtin: GTIN.milk, serial: 'A0002' })).containers).toEqual([{ identifier: K1, relation: 'carried-in' }]);
  });

  it('is what the migration builds from events stored before it', async () => {
    const before = await Promise.all([forward.traceForward({ factoryId: ids['dairy'] }), forward.traceForward({ gtin: GTIN.butter }), back.traceBack({ gtin: GTIN.formula, serial: 'C0001' })]);
    const queryRunner = dataSource.createQueryRunner();
    try {
      const migration = new CreateTraceGraph1764700000000();
      await migration.down(queryRunner);
      await migration.up(queryRunner);
    } finally {
      await queryRunner.release();
    }
    const after = await Promise.all([forward.traceForward({ factoryId: ids['dairy'] }), forward.traceForward({ gtin: GTIN.butter }), back.traceBack({ gtin: GTIN.formula, serial: 'C0001' })]);
    expect(after).toEqual(before);
  });
});
