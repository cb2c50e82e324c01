import { credentials, loadPackageDefinition, Metadata, status, type Client, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { PROTO_FILES, PROTO_ROOT } from '@traceport/contracts';
import { eventually, randomGtin, testPlatform } from '@traceport/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBrand } from '../support/archive-fixtures.js';
import { listServicesByReflection } from '../support/grpc-clients.js';
import { adminMetadata, gatewayFetch } from '../support/gateway-client.js';

// The decision engine's public side, through the gateway: ISO 2859-1 plan lookups (REST and gRPC),
// rule sets from a refused condition to a published version, and a whitelist entry's life with its
// audit trail. Bad requests are refused with problem+json naming what is wrong, and change nothing.

const platform = testPlatform();
const ACTOR = 'e2e-operator';

interface Reply {
  status: number;
  contentType: string;
  headers: Headers;
  body: Record<string, unknown>;
}

async function send(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const response = await gatewayFetch(path, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', headers: response.headers, body: (await response.json()) as Record<string, unknown> };
}

const fieldsOf = (reply: Reply) => ((reply.body['errors'] ?? []) as { field: string }[]).map((error) => error.field);

/** A plain @grpc/grpc-js client of the gateway's SamplingService, as an integrator would write it. */
function samplingClient(address: string) {
  const loaded = loadSync(
    PROTO_FILES.map((file) => `${PROTO_ROOT}${file}`),
    { keepCase: false, longs: Number, enums: String, defaults: true, oneofs: true, includeDirs: [PROTO_ROOT] },
  );
  const definition = loadPackageDefinition(loaded) as unknown as {
    traceport: { v1: Record<string, new (address: string, creds: ReturnType<typeof credentials.createInsecure>) => Client> };
  };
  const client = new definition.traceport.v1['SamplingService']!(address, credentials.createInsecure()) as Client & {
    GetPlan(request: unknown, metadata: Metadata, callback: (error: ServiceError | null, response?: Record<string, unknown>) => void): void;
  };
  const getPlan = (request: Record<string, unknown>) =>
    new Promise<Record<string, unknown>>((resolve, reject) => client.GetPlan(request, adminMetadata(), (error, response) => (error ? reject(error) : resolve(response!))));
  return { getPlan, close: () => client.close() };
}

const WORKED_EXAMPLE = {
  code_letter: 'K',
  plan_code_letter: 'K',
  sample_size: 125,
  n: 125,
  ac: 3,
  re: 4,
  inspect_all: false,
  lot_size: 2000,
  level: 'II',
  aql: 1,
  severity: 'normal',
};

describe('sampling plan lookup over REST', () => {
  it("answers ISO 2859-1's worked example: 2000 units, level II, AQL 1.0, normal → code letter K, n 125, Ac 3, Re 4", async () => {
    const plan = await send('GET', '/v1/sampling/plan?lot_size=2000&level=II&aql=1.0&severity=normal');
    expect(plan.status).toBe(200);
    expect(plan.body).toMatchObject(WORKED_EXAMPLE);
    expect(typeof plan.body['reduced_variant']).toBe('string');
    // Normal severity is the default.
    expect((await send('GET', '/v1/sampling/plan?lot_size=2000&level=II&aql=1')).body).toMatchObject(WORKED_EXAMPLE);
  });

  it('inspects every unit when the sample would not be smaller than the lot', async () => {
    const plan = await send('GET', '/v1/sampling/plan?lot_size=2&level=II&aql=1.0');
    expect(plan.status).toBe(200);
    expect(plan.body).toMatchObject({ code_letter: 'A', inspect_all: true, lot_size: 2 });
  });

  it.each([
    ['a missing lot size', 'level=II&aql=1.0', ['lot_size']],
    ['a lot size that is not a number', 'lot_size=lots&level=II&aql=1.0', ['lot_size']],
    ['a lot size below 2', 'lot_size=1&level=II&aql=1.0', ['lot_size']],
    ['a lot size given twice', 'lot_size=2000&lot_size=3000&level=II&aql=1.0', ['lot_size']],
    ['an unknown level', 'lot_size=2000&level=IV&aql=1.0', ['level']],
    ['an AQL outside the preferred series', 'lot_size=2000&level=II&aql=1.2', ['aql']],
    ['an unknown severity', 'lot_size=2000&level=II&aql=1.0&severity=lenient', ['severity']],
    ['an unknown reduced variant', 'lot_size=2000&level=II&aql=1.0&severity=reduced&reduced_variant=mil-std-105', ['reduced_variant']],
    ['an unknown parameter', 'lot_size=2000&level=II&aql=1.0&colour=red', ['colour']],
    ['everything wrong at once', 'lot_size=0&aql=x', ['lot_size', 'level', 'aql']],
  ])('refuses %s with 400 problem+json naming the parameter', async (_case, query, fields) => {
    const refused = await send('GET', `/v1/sampling/plan?${query}`);
    expect(refused.status).toBe(400);
    expect(refused.contentType).toMatch(/^application\/problem\+json/);
    expect(refused.body).toMatchObject({ type: '/problems/invalid-query', status: 400 });
    expect(fieldsOf(refused).sort()).toEqual([...fields].sort());
    for (const field of fields) expect(refused.body['detail']).toContain(field);
  });
});

describe('sampling plan lookup over gRPC', () => {
  const sampling = samplingClient(platform.gatewayGrpc);
  afterAll(() => sampling.close());

  it("serves traceport.v1.SamplingService on the gateway's own gRPC port, listed by reflection", async () => {
    const plan = await sampling.getPlan({ lotSize: 2000, level: 'II', aql: 1.0, severity: 'normal' });
    expect(plan).toMatchObject({ codeLetter: 'K', planCodeLetter: 'K', sampleSize: 125, ac: 3, re: 4, inspectAll: false });
    const services = await listServicesByReflection(platform.gatewayGrpc);
    expect(services).toEqual(expect.arrayContaining(['traceport.v1.SamplingService', 'traceport.v1.RuleSetService', 'traceport.v1.WhitelistService', 'traceport.v1.InspectionService']));
  });

  it('answers INVALID_ARGUMENT for an unknown level', async () => {
    const refused = await sampling.getPlan({ lotSize: 2000, level: 'IV', aql: 1.0 }).catch((error: ServiceError) => error);
    expect((refused as ServiceError).code).toBe(status.INVALID_ARGUMENT);
  });
});

// Holds only lots of a product that no other test uses; every other lot is decided as with no rule
// set at all (inspection at level II, AQL 2.5), so publishing it leaves the rest of the run alone.
const markerGtin = randomGtin();
function ruleSet(condition = `product.gtin == "${markerGtin}"`) {
  return {
    rules: [{ id: 'e2e-hold-marked', priority: 100, description: 'Holds the e2e marker product', owner: 'e2e', condition, action: { kind: 'hold' } }],
    defaultAction: { kind: 'inspect', level: 'II', aql: 2.5 },
  };
}

describe('rule sets', () => {
  const versions = async () => (await send('GET', '/v1/rule-sets')).body['versions'] as { version: number; status: string; active: boolean }[];

  it('refuses a condition that does not compile, naming the rule and the position, and saves nothing', async () => {
    const before = await versions();
    const broken = ruleSet('lot.quantity > 1000 &&\n  product.colour == "red"');
    const refused = await send('POST', '/v1/rule-sets', { definition: broken, note: 'typo' }, { 'x-traceport-actor': ACTOR });
    expect(refused.status).toBe(400);
    expect(refused.contentType).toMatch(/^application\/problem\+json/);
    expect(refused.body['type']).toBe('/problems/invalid-rule-set');
    const errors = refused.body['errors'] as { field: string; message: string; line?: number; column?: number }[];
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ field: 'rules[0].condition', line: 2 });
    expect(errors[0]!.message).toContain('e2e-hold-marked');
    expect(errors[0]!.column).toBeGreaterThanOrEqual(1);
    expect(await versions()).toEqual(before);

    // Validation reports the same problem as data, with 200.
    const validation = await send('POST', '/v1/rule-sets/validate', { definition: broken });
    expect(validation.status).toBe(200);
    expect(validation.body['valid']).toBe(false);
    expect(validation.body['problems']).toEqual([
      { rule_id: 'e2e-hold-marked', field: 'rules[0].condition', message: expect.any(String), line: 2, column: errors[0]!.column },
    ]);
  });

  it('refuses malformed requests before they reach the engine', async () => {
    const noDefinition = await send('POST', '/v1/rule-sets', { note: 'nothing' });
    expect(noDefinition.status).toBe(400);
    expect(noDefinition.body['type']).toBe('/problems/invalid-body');
    expect(fieldsOf(noDefinition)).toEqual(['definition']);
    const extra = await send('POST', '/v1/rule-sets', { definition: ruleSet(), note: 'x', author: 'me' });
    expect(fieldsOf(extra)).toEqual(['author']);
    const both = await send('POST', '/v1/rule-sets/simulate', { version: 1, definition: ruleSet() });
    expect(both.status).toBe(400);
    expect((await send('GET', '/v1/rule-sets/first')).status).toBe(400);
    expect((await send('GET', '/v1/rule-sets/999999')).status).toBe(404);
    const badTime = await send('POST', '/v1/rule-sets/1/publish', { effective_from: 'tomorrow' });
    expect(badTime.status).toBe(400);
    expect(fieldsOf(badTime)).toEqual(['effective_from']);
  });

  it('takes a draft through validation and simulation to publication, after which it is the active version', async () => {
    const created = await send('POST', '/v1/rule-sets', { definition: ruleSet(), note: 'hold the marker product' }, { 'x-traceport-actor': ACTOR });
    expect(created.status).toBe(201);
    const version = created.body['version'] as number;
    expect(created.headers.get('location')).toBe(`/v1/rule-sets/${version}`);
    expect(created.body).toMatchObject({ status: 'draft', active: false, note: 'hold the marker product', created_by: ACTOR, published_at: null, effective_from: null });
    expect(created.body['definition']).toMatchObject(ruleSet());

    const edited = ruleSet(`product.gtin == "${markerGtin}" || lot.lotNumber == "E2E-HOLD"`);
    const updated = await send('PUT', `/v1/rule-sets/${version}`, { definition: edited, note: 'also a marked lot number' }, { 'x-traceport-actor': ACTOR });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ version, status: 'draft', note: 'also a marked lot number', definition: edited });

    const validation = await send('POST', '/v1/rule-sets/validate', { definition: edited });
    expect(validation.body).toEqual({ valid: true, problems: [] });

    const simulation = await send('POST', '/v1/rule-sets/simulate', { version, max_changes: 10 });
    expect(simulation.status).toBe(200);
    const report = simulation.body as { lots: number; changed: number; before: { outcome: string; lots: number }[]; after: unknown[]; changes: unknown[] };
    expect(report.changed).toBeLessThanOrEqual(report.lots);
    expect(report.before.reduce((sum, count) => sum + count.lots, 0)).toBe(report.lots);
    expect(report.changes.length).toBeLessThanOrEqual(Math.min(10, report.changed));
    // An unsaved definition simulates too.
    expect((await send('POST', '/v1/rule-sets/simulate', { definition: edited })).status).toBe(200);

    const published = await send('POST', `/v1/rule-sets/${version}/publish`, {}, { 'x-traceport-actor': ACTOR });
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({ version, status: 'published', active: true, published_by: ACTOR });
    expect(published.body['effective_from']).toEqual(expect.any(String));

    const active = await send('GET', '/v1/rule-sets/active');
    expect(active.status).toBe(200);
    expect(active.body).toMatchObject({ version, status: 'published', active: true, definition: edited });
    expect((await send('GET', `/v1/rule-sets/${version}`)).body).toMatchObject({ version, active: true });
    const history = await versions();
    expect(history[0]).toMatchObject({ version, status: 'published', active: true });
    expect(history.filter((item) => item.active)).toHaveLength(1);

    // A published version never changes.
    const late = await send('PUT', `/v1/rule-sets/${version}`, { definition: ruleSet(), note: 'too late' });
    expect(late.status).toBe(409);
    expect(late.body['type']).toBe('/problems/rule-set-published');
  });
});

describe('whitelist', () => {
  let brandId: string;
  const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

  beforeAll(async () => {
    brandId = (await createBrand()).brandId;
  });

  it('creates, updates and revokes an entry, each change in its audit trail', async () => {
    const entry = { subject_type: 'brand', subject_id: brandId, effect: 'reduced', reason: 'five clean lots in a row', owner: 'quality team', expires_at: inDays(90) };
    // The engine learns of the brand from the archive's events, a moment after it was created.
    const created = await eventually('the brand known to the decision engine', async () => {
      const reply = await send('POST', '/v1/whitelist', entry, { 'x-traceport-actor': ACTOR });
      return reply.status === 201 ? reply : undefined;
    });
    const id = created.body['id'] as string;
    expect(created.headers.get('location')).toBe(`/v1/whitelist/${id}`);
    expect(created.headers.get('etag')).toBe('"1"');
    expect(created.body).toMatchObject({ ...entry, expires_at: expect.any(String), status: 'active', version: 1, revoked_at: null });

    const listed = await send('GET', `/v1/whitelist?subject_type=brand&subject_id=${brandId}`);
    expect((listed.body['entries'] as { id: string }[]).map((item) => item.id)).toEqual([id]);

    const updated = await send('PUT', `/v1/whitelist/${id}`, { ...entry, effect: 'exempt', reason: 'audited on site' }, { 'if-match': '"1"', 'x-traceport-actor': ACTOR });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ id, effect: 'exempt', reason: 'audited on site', version: 2 });
    expect(updated.headers.get('etag')).toBe('"2"');
    const stale = await send('PUT', `/v1/whitelist/${id}`, { ...entry, reason: 'lost update' }, { 'if-match': '"1"' });
    expect(stale.status).toBe(409);

    const revoked = await send('POST', `/v1/whitelist/${id}/revoke`, { reason: 'a recall' }, { 'x-traceport-actor': ACTOR });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ id, status: 'revoked', version: 3 });
    expect(revoked.body['revoked_at']).toEqual(expect.any(String));

    expect((await send('GET', `/v1/whitelist?subject_type=brand&subject_id=${brandId}`)).body['entries']).toEqual([]);
    const inactive = await send('GET', `/v1/whitelist?subject_type=brand&subject_id=${brandId}&include_inactive=true`);
    expect((inactive.body['entries'] as { id: string; status: string }[]).map((item) => [item.id, item.status])).toEqual([[id, 'revoked']]);

    const history = await send('GET', `/v1/whitelist/${id}/history`);
    expect(history.status).toBe(200);
    const events = history.body['events'] as { action: string; actor: string; at: string; before: { version: number } | null; after: { version: number; effect: string } }[];
    expect(events.map((event) => [event.action, event.actor, event.before?.version ?? null, event.after.version])).toEqual([
      ['created', ACTOR, null, 1],
      ['updated', ACTOR, 1, 2],
      ['revoked', ACTOR, 2, 3],
    ]);
    expect(events[1]!.after.effect).toBe('exempt');
  });

  it('refuses bad entries with every problem named, and stores nothing', async () => {
    const incomplete = await send('POST', '/v1/whitelist', { subject_type: 'brand', effect: 'exempt', expires_at: 'soon', colour: 'red' });
    expect(incomplete.status).toBe(400);
    expect(incomplete.body['type']).toBe('/problems/invalid-body');
    expect(fieldsOf(incomplete).sort()).toEqual(['colour', 'expires_at', 'owner', 'reason', 'subject_id']);

    const past = await send('POST', '/v1/whitelist', { subject_type: 'brand', subject_id: brandId, effect: 'exempt', reason: 'r', owner: 'o', expires_at: '2020-01-01T00:00:00Z' });
    expect(past.status).toBe(400);
    expect(fieldsOf(past)).toContain('expires_at');
    const unknownSubject = await send('POST', '/v1/whitelist', { subject_type: 'brand', subject_id: crypto.randomUUID(), effect: 'exempt', reason: 'r', owner: 'o', expires_at: inDays(1) });
    expect(unknownSubject.status).toBe(400);
    expect(fieldsOf(unknownSubject)).toContain('subject_id');

    expect((await send('GET', '/v1/whitelist?include_inactive=maybe')).status).toBe(400);
    expect((await send('GET', `/v1/whitelist/${crypto.randomUUID()}/history`)).status).toBe(404);
    expect((await send('GET', `/v1/whitelist?subject_id=${brandId}&include_inactive=true`)).body['entries']).toHaveLength(1);
  });
});

describe('decisions and inspections', () => {
  it('answers 404 for a lot not decided, and refuses malformed filters', async () => {
    const missing = await send('GET', `/v1/lots/${crypto.randomUUID()}/decision`);
    expect(missing.status).toBe(404);
    expect(missing.contentType).toMatch(/^application\/problem\+json/);
    expect((await send('GET', '/v1/decisions?outcome=maybe')).status).toBe(400);
    expect(fieldsOf(await send('GET', '/v1/decisions?from=yesterday&page_size=0'))).toEqual(['from', 'page_size']);
    expect((await send('GET', '/v1/inspection-orders?status=lost')).status).toBe(400);
    expect((await send('GET', '/v1/suppliers?state=happy')).status).toBe(400);
    const decisions = await send('GET', '/v1/decisions?page_size=5');
    expect(decisions.status).toBe(200);
    expect(Array.isArray(decisions.body['decisions'])).toBe(true);
  });
});
