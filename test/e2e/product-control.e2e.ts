import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eventually, randomGtin } from '@traceport/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayFetch } from '../support/gateway-client.js';
import { signalGroup, supervised, timeUntil } from '../support/platform-processes.js';

// Product control through the gateway, on the real platform: a lot that fails inspection is held
// (REST, the flag on its items' scan pages, an EPCIS event delivered to a webhook the test runs,
// signature verified); a revoked certification holds the factory's lots still in the warehouse
// and not those shipped out; a recall by production window; the decision engine refusing to
// release a held lot, and releasing it once the hold is lifted; a webhook retried after 500s, and
// a dead letter re-driven. The test profile retries webhooks after 200 ms, doubling, 4 attempts.

// ---- a webhook receiver the test runs ------------------------------------------------------

interface Received {
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
  readonly status: number;
}

/** Answers each path by its plan: a list of statuses used up one per request, then 200 (or `always`). */
class Receiver {
  readonly received: Received[] = [];
  private readonly plans = new Map<string, number[]>();
  private readonly always = new Map<string, number>();
  private readonly hung: ServerResponse[] = [];
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const path = request.url ?? '/';
        const planned = this.plans.get(path)?.shift();
        const status = planned ?? this.always.get(path) ?? 200;
        this.received.push({ path, headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), status });
        // 0: never answer (the sender dies with the request in flight).
        if (status === 0) this.hung.push(response);
        else response.writeHead(status, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  failFirst(path: string, statuses: number[]): void {
    this.plans.set(path, [...statuses]);
  }

  answerAlways(path: string, status: number): void {
    this.always.set(path, status);
  }

  on(path: string): Received[] {
    return this.received.filter((request) => request.path === path);
  }

  close(): Promise<void> {
    for (const response of this.hung) response.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

// ---- helpers ---------------------------------------------------------------------------------

const json = { 'content-type': 'application/json' };
const randomDigits = (length: number) => Array.from({ length }, () => Math.floor(Math.random() * 10)).join('');
const lotClass = (gtin: string, lot: string) => `https://id.gs1.org/01/${gtin}/10/${lot}`;
const item = (gtin: string, serial: string) => `https://id.gs1.org/01/${gtin}/21/${serial}`;
function withCheckDigit(body: string): string {
  let sum = 0;
  for (let position = 0; position < body.length; position += 1) sum += Number(body[body.length - 1 - position]) * (position % 2 === 0 ? 3 : 1);
  return `${body}${(10 - (sum % 10)) % 10}`;
}
const WAREHOUSE = `https://id.gs1.org/414/${withCheckDigit(`950600${randomDigits(6)}`)}`;

async function call<T>(method: string, path: string, body?: unknown, expected?: number): Promise<{ status: number; body: T; headers: Headers }> {
  const response = await gatewayFetch(path, { method, ...(body === undefined ? {} : { headers: json, body: JSON.stringify(body) }) });
  const text = await response.text();
  const parsed = (text === '' ? null : JSON.parse(text)) as T;
  if (expected !== undefined) expect(response.status, `${method} ${path}: ${text}`).toBe(expected);
  return { status: response.status, body: parsed, headers: response.headers };
}

async function create(collection: string, fields: Record<string, unknown>): Promise<{ id: string; version: number } & Record<string, unknown>> {
  return (await call<{ record: { id: string; version: number } & Record<string, unknown> }>('POST', `/v1/${collection}`, fields, 201)).body.record;
}

let eventNumber = 0;
const eventId = () => `urn:uuid:${crypto.randomUUID().slice(0, 24)}${String((eventNumber += 1)).padStart(12, '0')}`;

async function capture(events: Record<string, unknown>[]): Promise<void> {
  const document = { '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'], type: 'EPCISDocument', schemaVersion: '2.0', creationDate: new Date().toISOString(), epcisBody: { eventList: events } };
  await call('POST', '/epcis/capture', document, 202);
}

const commission = (gtin: string, lot: string, serials: readonly string[], time: string) => ({
  type: 'ObjectEvent',
  eventID: eventId(),
  eventTime: time,
  eventTimeZoneOffset: '+00:00',
  epcList: serials.map((serial) => item(gtin, serial)),
  action: 'ADD',
  bizStep: 'commissioning',
  ilmd: { 'cbvmda:lotNumber': lot },
});
const moveLot = (gtin: string, lot: string, bizStep: 'receiving' | 'shipping', time: string) => ({
  type: 'ObjectEvent',
  eventID: eventId(),
  eventTime: time,
  eventTimeZoneOffset: '+00:00',
  quantityList: [{ epcClass: lotClass(gtin, lot), quantity: 10, uom: 'EA' }],
  action: 'OBSERVE',
  bizStep,
  readPoint: { id: WAREHOUSE },
  bizLocation: { id: WAREHOUSE },
});

interface HoldJson {
  id: string;
  lotId: string | null;
  gtin: string;
  lot: string;
  cause: { kind: string; reason: string; reference: string };
  status: string;
  heldAt: string;
  liftedAt: string | null;
  warehouseStatus: string;
  recordKey: string;
}
interface DecisionJson {
  outcome: string;
  order: { id: string; agency: string; status: string } | null;
  held_by: { hold_id: string; cause: string; reason: string; held_at: string }[];
}
interface NotificationJson {
  id: string;
  subscriptionID: string;
  status: string;
  attempts: number;
  lastError: string | null;
  eventIDs: string[];
}

async function holdsOf(lotId: string, status: 'open' | 'lifted' | 'any' = 'open'): Promise<HoldJson[]> {
  return (await call<{ items: HoldJson[] }>('GET', `/v1/holds?${status === 'any' ? '' : `status=${status}&`}lot_id=${lotId}`, undefined, 200)).body.items;
}

interface ScanJson {
  control: { flags: { kind: string; id: string; cause: string; reason: string; since: string; record_key: string }[] };
  records: { type: string; record_key: string }[];
}

async function scanJson(gtin: string, serial: string): Promise<ScanJson> {
  const response = await gatewayFetch(`/01/${gtin}/21/${serial}`, { headers: { accept: 'application/json' } });
  expect(response.status).toBe(200);
  return (await response.json()) as ScanJson;
}

async function decisionOf(lotId: string): Promise<DecisionJson | undefined> {
  const reply = await call<DecisionJson>('GET', `/v1/lots/${lotId}/decision`);
  return reply.status === 200 ? reply.body : undefined;
}

/** Issues identities for a lot and answers their serials. */
async function issueIdentities(lotId: string, quantity: number): Promise<string[]> {
  const job = (await call<{ id: string }>('POST', `/v1/lots/${lotId}/identities`, { quantity }, 202)).body;
  await eventually('the issuance finished', async () => ((await call<{ status: string }>('GET', `/v1/identity-issuances/${job.id}`)).body.status === 'succeeded' ? true : undefined), 60_000);
  const page = (await call<{ identities: { serial: string }[] }>('GET', `/v1/identity-issuances/${job.id}/identities?limit=${quantity}`, undefined, 200)).body;
  return page.identities.map((identity) => identity.serial);
}

async function subscribe(queryName: string, query: Record<string, string | string[]>, dest: string, signatureToken: string): Promise<string> {
  await call('POST', '/epcis/queries', { name: queryName, query }, 201);
  const subscription = await call<{ subscriptionID: string }>('POST', `/epcis/queries/${queryName}/subscriptions`, { dest, signatureToken, stream: true }, 201);
  expect(subscription.headers.get('location')).toBe(`/epcis/queries/${queryName}/subscriptions/${subscription.body.subscriptionID}`);
  return subscription.body.subscriptionID;
}

const receiver = new Receiver();
const TOKEN = `token-${crypto.randomUUID()}`;
const TODAY = new Date().toISOString().slice(0, 10);
let brandId = '';

beforeAll(async () => {
  await receiver.start();
  const suffix = crypto.randomUUID().slice(0, 8);
  const merchant = await create('merchants', { legalName: `Control Importer ${suffix} Ltd.`, country: 'CN', registrationNumber: `91310000${suffix}` });
  brandId = (await create('brands', { name: `Control Brand ${suffix}`, ownerMerchantId: merchant.id })).id;
  // Other tests publish rule sets of their own: these lots are inspected, whatever those would do.
  const draft = await call<{ version: number }>('POST', '/v1/rule-sets', { definition: { inspectionAgency: 'Control E2E Agency', defaultAction: { kind: 'inspect', level: 'II', aql: 2.5 }, tables: {}, rules: [] } }, 201);
  await call('POST', `/v1/rule-sets/${draft.body.version}/publish`, {}, 200);
});

afterAll(async () => {
  await receiver.close();
});

async function factoryWithProduct(name: string): Promise<{ factory: { id: string; version: number } & Record<string, unknown>; productId: string; gtin: string }> {
  const factory = await create('factories', {
    name,
    country: 'DE',
    address: '1 Control Street',
    certifications: [
      { type: 'ISO 22000', issuer: 'TÜV', number: `F-${randomDigits(6)}`, validFrom: '2024-01-01', validTo: '2099-12-31' },
      { type: 'GMP', issuer: 'BSI', number: `G-${randomDigits(6)}`, validFrom: '2024-01-01', validTo: '2099-12-31' },
    ],
  });
  const gtin = randomGtin();
  const product = await create('products', { gtin, name: `${name} formula`, brandId, factoryId: factory.id, category: 'infant formula', hsCode: '190110', originCountry: 'DE' });
  return { factory, productId: product.id, gtin };
}

const declareLot = async (productId: string, lotNumber: string, productionDate: string) =>
  (await create('lots', { productId, lotNumber, quantity: 500, productionDate, expiryDate: '2029-01-01' })).id;

// ---- the tests -------------------------------------------------------------------------------

describe('a lot that fails inspection', () => {
  it('is held: visible over REST, flagged on its items’ scan pages, and delivered to a subscribed webhook, signed', async () => {
    const { productId, gtin } = await factoryWithProduct('Failing Dairy');
    const lotNumber = `FAIL-${randomDigits(6)}`;
    const lotId = await declareLot(productId, lotNumber, '2026-01-10');
    const serials = await issueIdentities(lotId, 3);
    const queryName = `holds-${randomDigits(8)}`;
    const subscriptionId = await subscribe(queryName, { EQ_bizStep: 'holding', MATCH_epcClass: lotClass(gtin, lotNumber) }, `${receiver.url}/holds`, TOKEN);

    await capture([commission(gtin, lotNumber, serials, '2026-01-10T08:00:00Z'), moveLot(gtin, lotNumber, 'receiving', '2026-02-01T08:00:00Z')]);
    const decision = await eventually('the lot decided, with an inspection order', async () => ((await decisionOf(lotId))?.order ? (await decisionOf(lotId))! : undefined), 60_000);
    const result = await call<{ id: string; verdict: string }>('POST', `/v1/inspection-orders/${decision.order!.id}/result`, { agency: decision.order!.agency, inspector: 'E2E inspector', critical: 1, major: 0, minor: 0, notes: 'melamine found' }, 201);
    expect(result.body.verdict).toBe('rejected');

    const [hold] = await eventually('the lot held', async () => {
      const holds = await holdsOf(lotId);
      return holds.length > 0 ? holds : undefined;
    });
    expect(hold).toMatchObject({ lotId, gtin, lot: lotNumber, status: 'open', liftedAt: null, warehouseStatus: 'in-warehouse', cause: { kind: 'inspection-failed', reference: result.body.id } });
    expect(hold!.cause.reason).toContain(lotNumber);
    expect((await call<HoldJson>('GET', `/v1/holds/${hold!.id}`, undefined, 200)).body.id).toBe(hold!.id);

    // The flag on an item's scan page, in the JSON (with the anchored hold record) and the HTML.
    const scan = { body: await scanJson(gtin, serials[0]!) };
    expect(scan.body.control.flags).toEqual([{ kind: 'hold', id: hold!.id, cause: 'inspection-failed', reason: hold!.cause.reason, since: hold!.heldAt, record_key: hold!.recordKey }]);
    expect(scan.body.records.map((record) => record.record_key)).toContain(hold!.recordKey);
    const html = await (await gatewayFetch(`/01/${gtin}/21/${serials[1]}`, { headers: { accept: 'text/html', 'accept-language': 'en' } })).text();
    expect(html).toContain('This product is recalled or on hold');
    expect(html).toContain('melamine');

    // The webhook: an EPCISQueryDocument with the holding event, signed with the subscription's token.
    const delivered = await eventually('the hold delivered to the webhook', async () => receiver.on('/holds').find((request) => request.body.includes(lotNumber)), 30_000);
    const expected = `sha256=${createHmac('sha256', TOKEN).update(delivered.body).digest('hex')}`;
    expect(delivered.headers['gs1-signature']).toBe(expected);
    const document = JSON.parse(delivered.body) as { type: string; epcisBody: { queryResults: { queryName: string; subscriptionID: string; resultsBody: { eventList: Record<string, unknown>[] } } } };
    expect(document.type).toBe('EPCISQueryDocument');
    expect(document.epcisBody.queryResults).toMatchObject({ queryName, subscriptionID: subscriptionId });
    expect(document.epcisBody.queryResults.resultsBody.eventList[0]).toMatchObject({ type: 'ObjectEvent', bizStep: 'holding', disposition: 'non_sellable_other' });
  });
});

describe('a certification revoked on a factory', () => {
  it('holds every lot of the factory still in the warehouse, and not those already shipped out', async () => {
    const { factory, productId, gtin } = await factoryWithProduct('Revoked Foods');
    const [inWarehouse, shipped] = [`IN-${randomDigits(6)}`, `OUT-${randomDigits(6)}`];
    const inWarehouseId = await declareLot(productId, inWarehouse, '2026-01-05');
    const shippedId = await declareLot(productId, shipped, '2026-01-06');
    await capture([
      moveLot(gtin, inWarehouse, 'receiving', '2026-02-01T08:00:00Z'),
      moveLot(gtin, shipped, 'receiving', '2026-02-01T09:00:00Z'),
      moveLot(gtin, shipped, 'shipping', '2026-02-10T09:00:00Z'),
    ]);
    // The trail has reached the trace graph before the revocation is recorded.
    await eventually('both lots traced', async () => {
      const forward = await call<{ counts: { lots: number } }>('GET', `/v1/trace/forward?factory_id=${factory.id}`);
      return forward.status === 200 && forward.body.counts.lots === 2 ? true : undefined;
    });

    const certifications = (factory['certifications'] as Record<string, unknown>[]).map((certification) =>
      certification['type'] === 'GMP' ? { ...certification, revokedAt: TODAY, revocationReason: 'audit found falsified batch records' } : certification,
    );
    // The fields a client sends: the record less what the archive adds.
    const fields = Object.fromEntries(Object.entries(factory).filter(([key]) => !['id', 'version', 'recordedAt'].includes(key)));
    const updated = await gatewayFetch(`/v1/factories/${factory.id}`, { method: 'PUT', headers: { ...json, 'if-match': `"${factory.version}"` }, body: JSON.stringify({ ...fields, certifications }) });
    expect(updated.status, await updated.clone().text()).toBe(200);

    const [hold] = await eventually('the lot in the warehouse held', async () => {
      const holds = await holdsOf(inWarehouseId);
      return holds.length > 0 ? holds : undefined;
    });
    expect(hold).toMatchObject({ lot: inWarehouse, warehouseStatus: 'in-warehouse', cause: { kind: 'certification-revoked' } });
    expect(hold!.cause.reference).toContain(factory.id);
    expect(hold!.cause.reason).toContain('falsified batch records');
    expect(await holdsOf(shippedId, 'any')).toEqual([]);
  });
});

describe('a certification that has expired', () => {
  it('holds the lots of the factory in the warehouse once the archive shows it lapsed, with no renewal', async () => {
    const { factory, productId, gtin } = await factoryWithProduct('Lapsed Labs');
    const lotNumber = `LAPSE-${randomDigits(6)}`;
    const lotId = await declareLot(productId, lotNumber, '2026-01-07');
    await capture([moveLot(gtin, lotNumber, 'receiving', '2026-02-01T08:00:00Z')]);
    await eventually('the lot traced', async () => ((await call('GET', `/v1/trace/forward?gtin=${gtin}&lot=${lotNumber}`)).status === 200 ? true : undefined));

    // A correction to the archive: the ISO 22000 certificate ran out at the end of last year.
    const certifications = (factory['certifications'] as Record<string, unknown>[]).map((certification) =>
      certification['type'] === 'ISO 22000' ? { ...certification, validFrom: '2023-01-01', validTo: '2025-12-31' } : certification,
    );
    const fields = Object.fromEntries(Object.entries(factory).filter(([key]) => !['id', 'version', 'recordedAt'].includes(key)));
    const updated = await gatewayFetch(`/v1/factories/${factory.id}`, { method: 'PUT', headers: { ...json, 'if-match': `"${factory.version}"` }, body: JSON.stringify({ ...fields, certifications }) });
    expect(updated.status, await updated.clone().text()).toBe(200);

    const [hold] = await eventually('the lot held', async () => {
      const holds = await holdsOf(lotId);
      return holds.length > 0 ? holds : undefined;
    });
    expect(hold).toMatchObject({ lot: lotNumber, warehouseStatus: 'in-warehouse', cause: { kind: 'certification-expired' } });
    expect(hold!.cause.reason).toContain('expired on 2025-12-31');
  });
});

describe('a recall by production window, the engine refusing release, and lifting the hold', () => {
  const state: { gtin: string; lots: Record<string, { id: string; number: string }>; recallId: string; holdId: string; shippedSerials: string[] } = { gtin: '', lots: {}, recallId: '', holdId: '', shippedSerials: [] };

  beforeAll(async () => {
    const { factory, productId, gtin } = await factoryWithProduct('Window Nutrition');
    state.gtin = gtin;
    for (const [key, date] of [['early', '2025-03-03'], ['shipped', '2025-03-20'], ['later', '2025-05-02']] as const) {
      const number = `${key.toUpperCase()}-${randomDigits(6)}`;
      state.lots[key] = { id: await declareLot(productId, number, date), number };
    }
    state.shippedSerials = await issueIdentities(state.lots['shipped']!.id, 2);
    await capture([
      commission(gtin, state.lots['early']!.number, ['E1', 'E2', 'E3'], '2025-03-03T08:00:00Z'),
      commission(gtin, state.lots['shipped']!.number, state.shippedSerials, '2025-03-20T08:00:00Z'),
      moveLot(gtin, state.lots['early']!.number, 'receiving', '2025-04-01T08:00:00Z'),
      moveLot(gtin, state.lots['shipped']!.number, 'receiving', '2025-04-01T08:00:00Z'),
      moveLot(gtin, state.lots['shipped']!.number, 'shipping', '2025-04-15T08:00:00Z'),
      moveLot(gtin, state.lots['later']!.number, 'receiving', '2025-06-01T08:00:00Z'),
    ]);
    await eventually('the early lot decided', async () => ((await decisionOf(state.lots['early']!.id))?.order ? true : undefined), 60_000);
    await eventually('the trail traced', async () => {
      const forward = await call<{ counts: { items: number } }>('GET', `/v1/trace/forward?factory_id=${factory.id}&from=2025-03-01&to=2025-03-31`);
      return forward.status === 200 && forward.body.counts.items === 5 ? true : undefined;
    });

    const recall = await call<{
      id: string;
      reason: string;
      affected: { lots: number; items: number; containers: number; heldLots: number };
      lots: { lot: string; warehouseStatus: string; holdId: string | null; items: number }[];
      recordKey: string;
    }>('POST', '/v1/recalls', { scope: { factory_id: factory.id, from: '2025-03-01', to: '2025-03-31' }, reason: 'Cronobacter found in retained samples' }, 201);
    expect(recall.headers.get('location')).toBe(`/v1/recalls/${recall.body.id}`);
    expect(recall.body.affected).toEqual({ lots: 2, items: 5, containers: 0, heldLots: 1 });
    const byLot = new Map(recall.body.lots.map((lot) => [lot.lot, lot]));
    expect(byLot.get(state.lots['early']!.number)).toMatchObject({ warehouseStatus: 'in-warehouse', items: 3 });
    expect(byLot.get(state.lots['shipped']!.number)).toMatchObject({ warehouseStatus: 'shipped-out', holdId: null, items: 2 });
    expect(byLot.has(state.lots['later']!.number)).toBe(false);
    state.recallId = recall.body.id;
    state.holdId = byLot.get(state.lots['early']!.number)!.holdId!;
  });

  it('answers the recall, lists it, and anchors it', async () => {
    const found = await call<{ id: string; scope: { factoryId: string; from: string; to: string }; affected: { lots: number } }>('GET', `/v1/recalls/${state.recallId}`, undefined, 200);
    expect(found.body).toMatchObject({ id: state.recallId, scope: { from: '2025-03-01', to: '2025-03-31' }, affected: { lots: 2 } });
    const list = await call<{ items: { id: string }[] }>('GET', '/v1/recalls?page_size=50', undefined, 200);
    expect(list.body.items.map((recall) => recall.id)).toContain(state.recallId);
    await eventually('the recall anchored', async () => ((await gatewayFetch(`/v1/proofs?record_key=${encodeURIComponent(`control.recall/${state.recallId}/v1`)}`)).status === 200 ? true : undefined), 30_000);
    const unknown = await call<{ type: string }>('GET', `/v1/recalls/${crypto.randomUUID()}`);
    expect(unknown.status).toBe(404);
    const bad = await call<{ type: string; errors: { field: string }[] }>('POST', '/v1/recalls', { scope: { from: '2025-03-01' }, reason: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
  });

  it('flags the items of a shipped-out lot too (not held: it left the warehouse), with the recall’s reason and date', async () => {
    expect(await holdsOf(state.lots['shipped']!.id, 'any')).toEqual([]);
    const scan = { body: await scanJson(state.gtin, state.shippedSerials[0]!) };
    expect(scan.body.control.flags).toMatchObject([{ kind: 'recall', id: state.recallId, cause: 'recall', reason: 'Cronobacter found in retained samples', record_key: `control.recall/${state.recallId}/v1` }]);
    expect(scan.body.records.filter((record) => record.type === 'control.recall').map((record) => record.record_key)).toEqual([`control.recall/${state.recallId}/v1`]);
    const html = await (await gatewayFetch(`/01/${state.gtin}/21/${state.shippedSerials[1]}`, { headers: { accept: 'text/html', 'accept-language': 'en' } })).text();
    expect(html).toContain('Cronobacter found in retained samples');
  });

  it('a passing inspection result leaves a held lot held', async () => {
    const lotId = state.lots['early']!.id;
    const decision = (await decisionOf(lotId))!;
    await eventually('the engine holds the recalled lot', async () => ((await decisionOf(lotId))?.outcome === 'held' ? true : undefined), 30_000);
    const passed = await call<{ verdict: string }>('POST', `/v1/inspection-orders/${decision.order!.id}/result`, { agency: decision.order!.agency, inspector: 'E2E inspector', critical: 0, major: 0, minor: 0, notes: '' }, 201);
    expect(passed.body.verdict).toBe('accepted');
    // Held it stays, however long one waits: the open hold outlasts the passing result.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const held = (await decisionOf(lotId))!;
    expect(held.outcome).toBe('held');
    expect(held.order?.status).toBe('accepted');
    // The decision says why: the open hold, with its cause.
    expect(held.held_by).toMatchObject([{ hold_id: state.holdId, cause: 'recall', reason: 'Cronobacter found in retained samples' }]);
    expect((await holdsOf(lotId)).map((hold) => hold.id)).toEqual([state.holdId]);
  });

  it('lifting the hold is recorded, and the lot is released as its inspection decided', async () => {
    const lotId = state.lots['early']!.id;
    const noReason = await call<{ type: string }>('POST', `/v1/holds/${state.holdId}/lift`, {});
    expect(noReason.status).toBe(400);
    const lifted = await call<HoldJson & { liftReason: string; liftedBy: string }>('POST', `/v1/holds/${state.holdId}/lift`, { reason: 'retained samples retested negative' }, 200);
    expect(lifted.body).toMatchObject({ id: state.holdId, status: 'lifted', liftReason: 'retained samples retested negative', recordKey: `control.hold/${state.holdId}/v2` });
    expect(lifted.body.liftedAt).not.toBeNull();
    const again = await call<{ type: string }>('POST', `/v1/holds/${state.holdId}/lift`, { reason: 'again' });
    expect(again.status).toBe(409);
    expect(again.body.type).toContain('hold-already-lifted');
    expect((await holdsOf(lotId, 'lifted')).map((hold) => hold.id)).toEqual([state.holdId]);
    const released = await eventually('the lot released', async () => {
      const decision = await decisionOf(lotId);
      return decision?.outcome === 'released' ? decision : undefined;
    }, 30_000);
    expect(released.held_by).toEqual([]);
    await eventually('the lift anchored', async () => ((await gatewayFetch(`/v1/proofs?record_key=${encodeURIComponent(`control.hold/${state.holdId}/v2`)}`)).status === 200 ? true : undefined), 30_000);
  });
});

describe('webhook delivery', () => {
  it('retries after the receiver answers 500, then delivers; keeps a dead letter when it keeps failing, and re-drives it', async () => {
    const { productId, gtin } = await factoryWithProduct('Webhook Works');
    const lotNumber = `HOOK-${randomDigits(6)}`;
    await declareLot(productId, lotNumber, '2026-01-20');
    await capture([moveLot(gtin, lotNumber, 'receiving', '2026-02-01T08:00:00Z')]);
    const queryName = `recalls-${randomDigits(8)}`;
    const flaky = await subscribe(queryName, { EQ_disposition: 'recalled', MATCH_epcClass: lotClass(gtin, lotNumber) }, `${receiver.url}/flaky`, TOKEN);
    const down = (await call<{ subscriptionID: string }>('POST', `/epcis/queries/${queryName}/subscriptions`, { dest: `${receiver.url}/down`, stream: true }, 201)).body.subscriptionID;
    receiver.failFirst('/flaky', [500, 500]);
    receiver.answerAlways('/down', 500);

    await eventually('the lot traced', async () => ((await call('GET', `/v1/trace/forward?gtin=${gtin}&lot=${lotNumber}`)).status === 200 ? true : undefined));
    await call('POST', '/v1/recalls', { scope: { gtin, lots: [lotNumber] }, reason: 'labelling error' }, 201);

    const delivered = await eventually('the flaky webhook delivered on its third attempt', async () => {
      const page = (await call<{ items: NotificationJson[] }>('GET', `/v1/notifications?subscription_id=${flaky}`, undefined, 200)).body;
      return page.items[0]?.status === 'delivered' ? page.items[0] : undefined;
    }, 30_000);
    expect(delivered.attempts).toBe(3);
    const attempts = receiver.on('/flaky');
    expect(attempts.map((request) => request.status)).toEqual([500, 500, 200]);
    // Every attempt carries the same body and a valid signature.
    for (const attempt of attempts) expect(attempt.headers['gs1-signature']).toBe(`sha256=${createHmac('sha256', TOKEN).update(attempt.body).digest('hex')}`);
    expect(new Set(attempts.map((attempt) => attempt.body)).size).toBe(1);

    const dead = await eventually('the failing webhook dead-lettered', async () => {
      const page = (await call<{ items: NotificationJson[] }>('GET', `/v1/notifications?status=dead&subscription_id=${down}`, undefined, 200)).body;
      return page.items[0];
    }, 30_000);
    expect(dead).toMatchObject({ subscriptionID: down, status: 'dead', attempts: 4, lastError: 'HTTP 500' });
    expect(receiver.on('/down')).toHaveLength(4);
    // An unsigned subscription's notifications carry no signature.
    expect(receiver.on('/down')[0]!.headers['gs1-signature']).toBeUndefined();

    const notDead = await call<{ type: string }>('POST', `/v1/notifications/${delivered.id}/redrive`);
    expect(notDead.status).toBe(409);
    receiver.answerAlways('/down', 204);
    const redriven = await call<NotificationJson>('POST', `/v1/notifications/${dead.id}/redrive`, undefined, 200);
    expect(redriven.body.status).toBe('pending');
    await eventually('the re-driven dead letter delivered', async () => {
      const page = (await call<{ items: NotificationJson[] }>('GET', `/v1/notifications?subscription_id=${down}`, undefined, 200)).body;
      return page.items[0]?.status === 'delivered' ? true : undefined;
    }, 30_000);

    // The subscription resource as the binding shows it, and unsubscribing.
    const listed = await call<{ subscriptionID: string; signed: boolean }[]>('GET', `/epcis/queries/${queryName}/subscriptions`, undefined, 200);
    expect(listed.body.map((subscription) => [subscription.subscriptionID, subscription.signed]).sort()).toEqual([[flaky, true], [down, false]].sort());
    expect((await call('DELETE', `/epcis/queries/${queryName}/subscriptions/${down}`)).status).toBe(204);
    expect((await call('GET', `/epcis/queries/${queryName}/subscriptions/${down}`)).status).toBe(404);
    const refused = await call<{ type: string }>('POST', `/epcis/queries/${queryName}/subscriptions`, { dest: 'ftp://example.com', stream: false });
    expect(refused.status).toBe(400);
  });
});

// Last: it kills the data-service (the supervisor restarts it).
describe('webhook delivery across a crash', () => {
  it('a notification whose sender was killed mid-request is delivered after the restart, from PostgreSQL', async () => {
    const { productId, gtin } = await factoryWithProduct('Crash Test Foods');
    const lotNumber = `CRASH-${randomDigits(6)}`;
    await declareLot(productId, lotNumber, '2026-01-21');
    await capture([moveLot(gtin, lotNumber, 'receiving', '2026-02-01T08:00:00Z')]);
    const subscriptionId = await subscribe(`crash-${randomDigits(8)}`, { EQ_disposition: 'recalled', MATCH_epcClass: lotClass(gtin, lotNumber) }, `${receiver.url}/crash`, TOKEN);
    receiver.failFirst('/crash', [0]);
    await eventually('the lot traced', async () => ((await call('GET', `/v1/trace/forward?gtin=${gtin}&lot=${lotNumber}`)).status === 200 ? true : undefined));
    await call('POST', '/v1/recalls', { scope: { gtin, lots: [lotNumber] }, reason: 'crash test' }, 201);

    await eventually('the first attempt in flight', async () => (receiver.on('/crash').length === 1 ? true : undefined), 30_000);
    const restarts = supervised('data-service').restarts;
    signalGroup('data-service', 'SIGKILL');
    await timeUntil('the data-service restarted', async () => supervised('data-service').restarts > restarts && supervised('data-service').state === 'ready', 120_000);

    // The claim outlives the request timeout, then any replica takes the notification again.
    const delivered = await eventually('the notification delivered after the restart', async () => {
      const page = await call<{ items: NotificationJson[] }>('GET', `/v1/notifications?subscription_id=${subscriptionId}`);
      return page.status === 200 && page.body.items[0]?.status === 'delivered' ? page.body.items[0] : undefined;
    }, 60_000);
    const [first, second] = receiver.on('/crash');
    expect(second!.body).toBe(first!.body);
    expect(second!.headers['traceport-notification-id']).toBe(delivered.id);
    expect(second!.headers['gs1-signature']).toBe(`sha256=${createHmac('sha256', TOKEN).update(second!.body).digest('hex')}`);
  });
});
