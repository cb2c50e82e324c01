import { credentials, loadPackageDefinition, status, type Client, type Metadata, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { PROTO_FILES, PROTO_ROOT } from '@traceport/contracts';
import { eventually, randomGtin, testPlatform } from '@traceport/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { createArchiveRecord, createBrand } from '../support/archive-fixtures.js';
import { adminMetadata, gatewayFetch } from '../support/gateway-client.js';

// Trace back and trace forward through the gateway, over events captured through its EPCIS binding
// and recorded into the trace graph by the data layer's consumer (through Kafka): a factory's lot
// packed into cases and onto a pallet, shipped and received at a warehouse, and transformed into
// another product's lot; a second lot never packed. REST with its pages and problems, and the
// same trace forward over the gateway's public gRPC.

const platform = testPlatform();

function checkDigit(body: string): number {
  let sum = 0;
  for (let position = 0; position < body.length; position += 1) sum += Number(body[body.length - 1 - position]) * (position % 2 === 0 ? 3 : 1);
  return (10 - (sum % 10)) % 10;
}
const withCheck = (body: string) => `${body}${checkDigit(body)}`;
const randomDigits = (length: number) => Array.from({ length }, () => Math.floor(Math.random() * 10)).join('');
const sscc = () => withCheck(`1950600${randomDigits(10)}`);
const gln = () => `https://id.gs1.org/414/${withCheck(`950600${randomDigits(6)}`)}`;
const item = (gtin: string, serial: string) => `https://id.gs1.org/01/${gtin}/21/${serial}`;
const serials = (prefix: string, count: number) => Array.from({ length: count }, (_, index) => `${prefix}${String(index + 1).padStart(3, '0')}`);

const GTIN = { powder: randomGtin(), formula: randomGtin() };
const LOTS = { L1: `P1-${randomDigits(6)}`, L2: `P2-${randomDigits(6)}`, LQ: `F1-${randomDigits(6)}` };
const ITEMS = { L1: serials('A', 30), L2: serials('B', 5), LQ: serials('F', 3) };
const [CASE_1, CASE_2, PALLET] = [sscc(), sscc(), sscc()] as [string, string, string];
const [FACTORY, PLANT, WAREHOUSE] = [gln(), gln(), gln()] as [string, string, string];
const ids: Record<string, string> = {};

interface TraceForwardJson {
  counts: { lots: number; items: number; containers: number; locations: number; issued_identities: number };
  lots: { lot: string; relation: string; items: number }[];
  containers: { identifier: string; relation: string }[];
  locations: { identifier: string; kind: string }[];
  items: { gtin: string; lot: string | null; serial: string; relation: string; digital_link: string }[];
  next_page_token: string | null;
  graph: { aggregated: boolean; nodes: { id: string; kind: string }[]; edges: { source: string; target: string; kind: string }[] };
}

async function getJson<T>(path: string, expected = 200): Promise<T> {
  const response = await gatewayFetch(path);
  const body = (await response.json()) as T;
  expect(response.status, `${path}: ${JSON.stringify(body)}`).toBe(expected);
  return body;
}

let eventNumber = 0;
const base = { eventTimeZoneOffset: '+08:00' };
const eventId = () => `urn:uuid:${crypto.randomUUID().slice(0, 24)}${String((eventNumber += 1)).padStart(12, '0')}`;
const observe = (epcs: string[], bizStep: string, time: string, place: string) => ({
  ...base,
  type: 'ObjectEvent',
  eventID: eventId(),
  eventTime: time,
  epcList: epcs,
  action: 'OBSERVE',
  bizStep,
  readPoint: { id: place },
  bizLocation: { id: place },
});

beforeAll(async () => {
  const { brandId } = await createBrand();
  ids['factory'] = (
    await createArchiveRecord('factories', {
      name: 'E2E Dairy',
      country: 'NZ',
      address: '9 Test Road',
      certifications: [{ type: 'ISO 22000', issuer: 'BSI', number: 'E2E-1', validFrom: '2025-01-01', validTo: '2099-12-31' }],
    })
  ).id;
  ids['powder'] = (await createArchiveRecord('products', { gtin: GTIN.powder, name: 'E2E milk powder', brandId, factoryId: ids['factory'], category: 'dairy', hsCode: '040221', originCountry: 'NZ' })).id;
  ids['formula'] = (await createArchiveRecord('products', { gtin: GTIN.formula, name: 'E2E formula', brandId, category: 'infant formula', hsCode: '190110', originCountry: 'NZ' })).id;
  const lot = async (productId: string, lotNumber: string) =>
    (await createArchiveRecord('lots', { productId, lotNumber, quantity: 100, productionDate: '2026-05-01', expiryDate: '2028-05-01' })).id;
  ids['L1'] = await lot(ids['powder'], LOTS.L1);
  ids['L2'] = await lot(ids['powder'], LOTS.L2);
  ids['LQ'] = await lot(ids['formula'], LOTS.LQ);
  await createArchiveRecord('customs-declarations', { direction: 'import', declarationNumber: `E2E-${randomDigits(8)}`, port: 'Shanghai', date: '2026-06-01', status: 'cleared', lotIds: [ids['L1']] });

  const commission = (gtin: string, lot: string, list: string[], time: string) => ({
    ...base,
    type: 'ObjectEvent',
    eventID: eventId(),
    eventTime: time,
    epcList: list.map((serial) => item(gtin, serial)),
    action: 'ADD',
    bizStep: 'commissioning',
    readPoint: { id: FACTORY },
    bizLocation: { id: FACTORY },
    ilmd: { 'cbvmda:lotNumber': lot },
  });
  const pack = (parent: string, children: string[], time: string) => ({ ...base, type: 'AggregationEvent', eventID: eventId(), eventTime: time, parentID: parent, childEPCs: children, action: 'ADD', bizStep: 'packing' });
  const events = [
    commission(GTIN.powder, LOTS.L1, ITEMS.L1, '2026-05-01T08:00:00.000+08:00'),
    commission(GTIN.powder, LOTS.L2, ITEMS.L2, '2026-05-01T09:00:00.000+08:00'),
    pack(`https://id.gs1.org/00/${CASE_1}`, ITEMS.L1.slice(0, 15).map((serial) => item(GTIN.powder, serial)), '2026-05-02T08:00:00.000+08:00'),
    pack(`https://id.gs1.org/00/${CASE_2}`, ITEMS.L1.slice(15).map((serial) => item(GTIN.powder, serial)), '2026-05-02T08:10:00.000+08:00'),
    pack(`https://id.gs1.org/00/${PALLET}`, [`https://id.gs1.org/00/${CASE_1}`, `https://id.gs1.org/00/${CASE_2}`], '2026-05-02T09:00:00.000+08:00'),
    observe([`https://id.gs1.org/00/${PALLET}`], 'shipping', '2026-05-03T08:00:00.000+08:00', FACTORY),
    observe([`https://id.gs1.org/00/${PALLET}`], 'receiving', '2026-05-20T08:00:00.000+08:00', WAREHOUSE),
    {
      ...base,
      type: 'TransformationEvent',
      eventID: eventId(),
      eventTime: '2026-06-10T08:00:00.000+08:00',
      inputQuantityList: [{ epcClass: `https://id.gs1.org/01/${GTIN.powder}/10/${LOTS.L1}`, quantity: 10, uom: 'KGM' }],
      outputEPCList: ITEMS.LQ.map((serial) => item(GTIN.formula, serial)),
      bizStep: 'commissioning',
      readPoint: { id: PLANT },
      bizLocation: { id: PLANT },
      ilmd: { 'cbvmda:lotNumber': LOTS.LQ },
    },
  ];
  const response = await gatewayFetch(`/epcis/capture`, {
    method: 'POST',
    headers: { 'content-type': 'application/ld+json' },
    body: JSON.stringify({
      '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
      type: 'EPCISDocument',
      schemaVersion: '2.0',
      creationDate: new Date().toISOString(),
      epcisBody: { eventList: events },
    }),
  });
  expect(response.status).toBe(202);
  // The trace graph is recorded from Kafka: wait until the consumer has seen the pallet and the transformation.
  await eventually('the trace graph records the capture', async () => {
    const trace = await getJson<TraceForwardJson>(`/v1/trace/forward?factory_id=${ids['factory']}`);
    return trace.counts.containers === 3 && trace.lots.some((entry) => entry.lot === LOTS.LQ) ? trace : undefined;
  });
});

describe('trace forward through the gateway', () => {
  it('from the factory: its lots, the lot made from them, their containers and places, with exact counts', async () => {
    const trace = await getJson<TraceForwardJson>(`/v1/trace/forward?factory_id=${ids['factory']}&page_size=10`);
    expect(Object.fromEntries(trace.lots.map((entry) => [entry.lot, [entry.relation, entry.items]]))).toEqual({
      [LOTS.L1]: ['origin', 30],
      [LOTS.L2]: ['origin', 5],
      [LOTS.LQ]: ['transformed', 3],
    });
    expect(trace.counts).toMatchObject({ lots: 3, items: 38, containers: 3, locations: 3 });
    expect(trace.containers.map((container) => container.identifier).sort()).toEqual([CASE_1, CASE_2, PALLET].map((code) => `https://id.gs1.org/00/${code}`).sort());
    expect(Object.fromEntries(trace.locations.map((location) => [location.identifier, location.kind]))).toEqual({ [FACTORY]: 'observed-at', [PLANT]: 'observed-at', [WAREHOUSE]: 'shipped-to' });
    expect(trace.items).toHaveLength(10);
    expect(trace.items[0]).toMatchObject({ gtin: expect.any(String), serial: expect.any(String), relation: expect.any(String) });
    expect(trace.graph.edges).toEqual(
      expect.arrayContaining([
        { source: `lot:${GTIN.powder}/${LOTS.L1}`, target: `lot:${GTIN.formula}/${LOTS.LQ}`, kind: 'transformed-into', count: 1 },
        { source: `container:https://id.gs1.org/00/${PALLET}`, target: `location:${WAREHOUSE}`, kind: 'shipped-to', count: 1 },
      ]),
    );

    // Every item exactly once, ten at a time.
    const all = [...trace.items];
    for (let token = trace.next_page_token; token !== null; ) {
      const page = await getJson<{ items: TraceForwardJson['items']; next_page_token: string | null }>(
        `/v1/trace/forward/items?factory_id=${ids['factory']}&page_size=10&page_token=${encodeURIComponent(token)}`,
      );
      all.push(...page.items);
      token = page.next_page_token;
    }
    expect(all).toHaveLength(38);
    expect(new Set(all.map((entry) => `${entry.gtin}/${entry.serial}`)).size).toBe(38);
    expect(all.filter((entry) => entry.relation === 'transformed').map((entry) => entry.serial)).toEqual(ITEMS.LQ);
  });

  it('answers a bad or unknown scope with problem+json', async () => {
    const none = await gatewayFetch(`/v1/trace/forward`);
    expect(none.status).toBe(400);
    expect(none.headers.get('content-type')).toContain('application/problem+json');
    expect(await none.json()).toMatchObject({ type: '/problems/trace-invalid-scope', status: 400 });
    const page = await gatewayFetch(`/v1/trace/forward/items?factory_id=${ids['factory']}&page_size=ten`);
    expect(page.status).toBe(400);
    const unknown = await gatewayFetch(`/v1/trace/forward?factory_id=${crypto.randomUUID()}`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ type: '/problems/trace-subject-not-found' });
  });
});

describe('trace back through the gateway', () => {
  it('from an item of the formula lot to the powder lot it was made from, its factory and customs', async () => {
    const trace = await getJson<{
      subject: { kind: string; lot: string };
      lots: { lot: string; relation: string }[];
      factories: { name: string; certifications: { type: string; status: string }[] }[];
      customs_declarations: { lot_ids: string[] }[];
      locations: { identifier: string }[];
      events: { event_type: string; event: { eventID: string } }[];
      event_count: number;
    }>(`/v1/trace/back?gtin=${GTIN.formula}&serial=${ITEMS.LQ[1]}`);
    expect(trace.subject).toMatchObject({ kind: 'item', lot: LOTS.LQ });
    expect(Object.fromEntries(trace.lots.map((entry) => [entry.lot, entry.relation]))).toEqual({ [LOTS.LQ]: 'subject', [LOTS.L1]: 'input' });
    expect(trace.factories.map((factory) => [factory.name, factory.certifications.map((certification) => certification.status)])).toEqual([['E2E Dairy', ['valid']]]);
    expect(trace.customs_declarations.map((declaration) => declaration.lot_ids)).toEqual([[ids['L1']]]);
    expect(trace.locations.map((location) => location.identifier)).toEqual([PLANT]);
    // The formula lot's trail (its transformation) and the powder lot's: commissioning, two cases, the pallet, shipping, receiving.
    expect(trace.event_count).toBe(7);
    expect(trace.events.map((event) => event.event_type)).toContain('TransformationEvent');
  });

  it('from the pallet, by its SSCC: what it held and where it went; and a wrong check digit is a 400', async () => {
    const trace = await getJson<{ item_count: number; lots: { lot: string; items: number }[]; containers: { identifier: string; relation: string }[]; locations: { identifier: string; kind: string }[] }>(
      `/v1/trace/back?container=${PALLET}`,
    );
    expect(trace.item_count).toBe(30);
    expect(trace.lots).toEqual([expect.objectContaining({ lot: LOTS.L1, items: 30, relation: 'contained' })]);
    expect(trace.containers.map((container) => container.relation)).toEqual(['contains', 'contains']);
    expect(Object.fromEntries(trace.locations.map((location) => [location.identifier, location.kind]))).toEqual({ [FACTORY]: 'observed-at', [WAREHOUSE]: 'shipped-to' });
    const wrong = await gatewayFetch(`/v1/trace/back?container=${PALLET.slice(0, -1)}${(Number(PALLET.at(-1)) + 1) % 10}`);
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ type: '/problems/trace-invalid-subject', errors: [expect.objectContaining({ field: 'container' })] });
  });
});

describe('the public gRPC TraceGraphService', () => {
  type Unary = (request: unknown, metadata: Metadata, callback: (error: ServiceError | null, response?: unknown) => void) => void;
  const client = () => {
    const definition = loadPackageDefinition(
      loadSync(
        PROTO_FILES.map((file) => `${PROTO_ROOT}${file}`),
        { keepCase: false, longs: Number, enums: String, defaults: true, oneofs: true, includeDirs: [PROTO_ROOT] },
      ),
    ) as unknown as { traceport: { v1: { TraceGraphService: new (address: string, creds: ReturnType<typeof credentials.createInsecure>) => Client } } };
    return new definition.traceport.v1.TraceGraphService(platform.gatewayGrpc, credentials.createInsecure()) as Client & { traceForward: Unary };
  };
  const call = (service: ReturnType<typeof client>, request: unknown) =>
    new Promise<unknown>((resolve, reject) => service.traceForward(request, adminMetadata(), (error, response) => (error ? reject(error) : resolve(response))));

  it('traces the powder lot forward, and answers INVALID_ARGUMENT for a lot without its GTIN', async () => {
    const service = client();
    try {
      const trace = (await call(service, { gtin: GTIN.powder, lot: LOTS.L1 })) as { counts: { lots: number; items: number; containers: number }; lots: { lot: string; relation: string }[] };
      expect(trace.counts).toMatchObject({ lots: 2, items: 33, containers: 3 });
      expect(Object.fromEntries(trace.lots.map((entry) => [entry.lot, entry.relation]))).toEqual({ [LOTS.L1]: 'origin', [LOTS.LQ]: 'transformed' });
      const refused = await call(service, { lot: LOTS.L1 }).then(
        () => undefined,
        (error: ServiceError) => error,
      );
      expect(refused?.code).toBe(status.INVALID_ARGUMENT);
    } finally {
      service.close();
    }
  });
});
