import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, credentials, Metadata, status as grpcStatus, type ServiceError } from '@grpc/grpc-js';
import { loadFileDescriptorSetFromBuffer, type MethodDefinition, type PackageDefinition } from '@grpc/proto-loader';
import { eventually, randomGtin, testPlatform } from '@traceport/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createArchiveRecord, createBrand } from '../support/archive-fixtures.js';
import { adminKey, gatewayFetch } from '../support/gateway-client.js';
import { fileDescriptorSet, ReflectionSession } from '../support/grpc-reflection.js';

// Access control, as issue 7 asks: every REST operation the gateway documents (its live
// /openapi.json) and every RPC its server reflection lists, called under every role, with no key,
// an expired key, a revoked key and a forged one, and each answer checked against ONE table — this
// file's own, written independently of the gateway's policy so that a drift in either fails here.
// "Allowed" is any answer but 401/403 (dummy input may well get 400 or 404); "denied" is exactly
// 401 (no valid key) or 403 (a role the table does not admit). Then a merchant's and an agency's
// keys are checked to see only their own data, the key lifecycle, and the public rate limits.

const platform = testPlatform();
const run = randomUUID().slice(0, 8);

const ROLES = ['platform-admin', 'operations', 'merchant', 'inspection-agency', 'auditor', 'service'] as const;
type Role = (typeof ROLES)[number];
type Expected = 'public' | readonly Role[];

// ---- The expected table ------------------------------------------------------------------------

const ADMIN: Expected = ['platform-admin'];
const OPS: Expected = ['platform-admin', 'operations'];
const WRITE: Expected = ['platform-admin', 'operations', 'service'];
const READ: Expected = ['platform-admin', 'operations', 'service', 'auditor'];
const OVERSIGHT: Expected = ['platform-admin', 'operations', 'auditor'];
const EVERY_KEY: Expected = ROLES;
const plus = (roles: Expected, ...more: Role[]): Expected => [...(roles as Role[]), ...more];

function archive(collection: string, readers: Expected): Record<string, Expected> {
  return {
    [`POST /v1/${collection}`]: WRITE,
    [`GET /v1/${collection}`]: readers,
    [`GET /v1/${collection}/{id}`]: readers,
    [`PUT /v1/${collection}/{id}`]: WRITE,
    [`GET /v1/${collection}/{id}/versions`]: readers,
    [`GET /v1/${collection}/{id}/versions/{version}`]: readers,
  };
}

const REST: Readonly<Record<string, Expected>> = {
  'GET /01/{gtin}/21/{serial}': 'public',
  'GET /01/{gtin}/10/{lot}/21/{serial}': 'public',
  'GET /v1/proofs': 'public',
  'GET /v1/ledger/consistency': 'public',
  'GET /health/live': 'public',
  'GET /health/ready': 'public',
  'GET /metrics': 'public',
  'GET /openapi.json': 'public',
  'GET /docs': 'public',
  'GET /docs/{asset}': 'public',
  'GET /console': 'public',
  'GET /console/{path}': 'public',
  'GET /v1/auth/whoami': EVERY_KEY,
  'POST /v1/organisations': ADMIN,
  'GET /v1/organisations': ADMIN,
  'GET /v1/organisations/{id}': ADMIN,
  'POST /v1/organisations/{id}/keys': ADMIN,
  'GET /v1/organisations/{id}/keys': ADMIN,
  'POST /v1/keys/{id}/revoke': ADMIN,
  ...archive('merchants', plus(READ, 'merchant')),
  ...archive('brands', plus(READ, 'merchant')),
  ...archive('products', plus(READ, 'merchant')),
  ...archive('lots', plus(READ, 'merchant')),
  ...archive('factories', READ),
  ...archive('inspection-standards', plus(READ, 'merchant', 'inspection-agency')),
  ...archive('customs-declarations', READ),
  'POST /v1/archive/imports': WRITE,
  'GET /v1/archive/imports/{id}': READ,
  'GET /v1/products/gtin/{gtin}': plus(READ, 'merchant'),
  'GET /v1/ledger/state': READ,
  'GET /v1/ledger/audit': OVERSIGHT,
  'POST /v1/ledger/audit': OVERSIGHT,
  'POST /v1/ledger/audit/stores': OVERSIGHT,
  'GET /v1/statistics/{dimension}': plus(READ, 'merchant'),
  'GET /v1/dashboard': OVERSIGHT,
  'POST /epcis/capture': WRITE,
  'GET /epcis/capture': READ,
  'GET /epcis/capture/{captureId}': READ,
  'GET /epcis/events': READ,
  'GET /epcis/events/{eventId}': READ,
  'POST /epcis/queries': WRITE,
  'GET /epcis/queries': READ,
  'GET /epcis/queries/{queryName}': READ,
  'DELETE /epcis/queries/{queryName}': WRITE,
  'POST /epcis/queries/{queryName}/subscriptions': WRITE,
  'GET /epcis/queries/{queryName}/subscriptions': READ,
  'GET /epcis/queries/{queryName}/subscriptions/{subscriptionId}': READ,
  'DELETE /epcis/queries/{queryName}/subscriptions/{subscriptionId}': WRITE,
  'GET /v1/notifications': READ,
  'POST /v1/notifications/{id}/redrive': WRITE,
  'GET /v1/lots/trail': READ,
  'GET /v1/items/trail': READ,
  'GET /v1/trace/back': READ,
  'GET /v1/trace/forward': READ,
  'GET /v1/trace/forward/items': READ,
  'POST /v1/lots/{lotId}/identities': WRITE,
  'GET /v1/lots/{lotId}/identity-issuances': READ,
  'GET /v1/identity-issuances/{id}': READ,
  'GET /v1/identity-issuances/{id}/identities': READ,
  'GET /v1/identity-issuances/{id}/labels.pdf': READ,
  'GET /v1/identities/{gtin}/{serial}': READ,
  'GET /v1/identities/{gtin}/{serial}/qr.svg': READ,
  'GET /v1/identities/{gtin}/{serial}/qr.png': READ,
  'GET /v1/sampling/plan': EVERY_KEY,
  'GET /v1/rule-sets': OVERSIGHT,
  'POST /v1/rule-sets': OPS,
  'POST /v1/rule-sets/validate': OPS,
  'POST /v1/rule-sets/simulate': OPS,
  'GET /v1/rule-sets/active': OVERSIGHT,
  'GET /v1/rule-sets/{version}': OVERSIGHT,
  'PUT /v1/rule-sets/{version}': OPS,
  'POST /v1/rule-sets/{version}/publish': OPS,
  'GET /v1/whitelist': OVERSIGHT,
  'POST /v1/whitelist': OPS,
  'PUT /v1/whitelist/{id}': OPS,
  'POST /v1/whitelist/{id}/revoke': OPS,
  'GET /v1/whitelist/{id}/history': OVERSIGHT,
  'GET /v1/lots/{lotId}/decision': plus(READ, 'merchant'),
  'GET /v1/decisions': READ,
  'GET /v1/inspection-orders': plus(READ, 'inspection-agency'),
  'GET /v1/inspection-orders/{id}': plus(READ, 'inspection-agency'),
  'POST /v1/inspection-orders/{id}/result': plus(OPS, 'inspection-agency'),
  'GET /v1/suppliers': READ,
  'GET /v1/suppliers/{factoryId}/{category}': READ,
  'POST /v1/suppliers/{factoryId}/{category}/resume': OPS,
  'GET /v1/holds': READ,
  'GET /v1/holds/{id}': READ,
  'POST /v1/holds/{id}/lift': OPS,
  'POST /v1/recalls': OPS,
  'GET /v1/recalls': READ,
  'GET /v1/recalls/{id}': READ,
};


const rpcs = (service: string, methods: Record<string, Expected>) => Object.fromEntries(Object.entries(methods).map(([method, expected]) => [`traceport.v1.${service}/${method}`, expected]));

const GRPC: Readonly<Record<string, Expected>> = {
  ...rpcs('ArchiveService', {
    StartImport: WRITE,
    GetImport: READ,
    CreateRecord: WRITE,
    UpdateRecord: WRITE,
    GetRecord: plus(READ, 'merchant'),
    ListRecordVersions: READ,
    SearchRecords: READ,
    RegisterProduct: WRITE,
    GetProduct: READ,
  }),
  ...rpcs('LedgerService', { GetRecordProof: 'public', GetConsistencyProof: 'public', AuditLog: OVERSIGHT, GetLedgerState: READ }),
  ...rpcs('TraceService', { CaptureDocument: WRITE, GetCaptureJob: READ, QueryEvents: READ, GetEvent: READ, GetLotTrail: READ, GetItemTrail: READ }),
  ...rpcs('StatisticsService', { GetStatistics: plus(READ, 'merchant'), GetArchiveCounts: OVERSIGHT }),
  ...rpcs('IdentityService', { StartIssuance: WRITE, GetIssuance: READ, ListIssuances: READ, GetIdentity: READ, StreamIdentities: READ }),
  ...rpcs('SamplingService', { GetPlan: EVERY_KEY }),
  ...rpcs('RuleSetService', { CreateDraft: OPS, UpdateDraft: OPS, ValidateRuleSet: OPS, GetRuleSet: OVERSIGHT, ListRuleSets: OVERSIGHT, PublishRuleSet: OPS, SimulateRuleSet: OPS }),
  ...rpcs('WhitelistService', { CreateEntry: OPS, UpdateEntry: OPS, RevokeEntry: OPS, ListEntries: OVERSIGHT, GetEntryHistory: OVERSIGHT }),
  ...rpcs('InspectionService', {
    GetLotDecision: plus(READ, 'merchant'),
    ListDecisions: READ,
    ListOrders: plus(READ, 'inspection-agency'),
    GetOrder: plus(READ, 'inspection-agency'),
    SubmitResult: plus(OPS, 'inspection-agency'),
    GetSupplierState: READ,
    ListSupplierStates: READ,
    ResumeSupplier: OPS,
  }),
  ...rpcs('TraceGraphService', { TraceBack: READ, TraceForward: READ, ListAffectedItems: READ }),
  ...rpcs('EpcisSubscriptionService', {
    CreateQuery: WRITE,
    ListQueries: READ,
    GetQuery: READ,
    DeleteQuery: WRITE,
    CreateSubscription: WRITE,
    ListSubscriptions: READ,
    GetSubscription: READ,
    DeleteSubscription: WRITE,
    ListDeliveries: READ,
    RedriveDelivery: WRITE,
  }),
  ...rpcs('ProductControlService', { ListHolds: READ, GetHold: READ, LiftHold: OPS, CreateRecall: OPS, ListRecalls: READ, GetRecall: READ, GetItemControl: READ }),
};

/**
 * Services the package declares (so reflection lists them) that the gateway does not serve: internal
 * RPCs. Every caller gets UNIMPLEMENTED, whatever its key.
 */
const NOT_SERVED = ['traceport.v1.ScanService', 'traceport.v1.RecordDigestService'];

// ---- Principals ---------------------------------------------------------------------------------

interface Principal {
  readonly name: string;
  readonly key: string | null;
  /** The role a valid key acts with; null for no key and for keys that are not (or no longer) valid. */
  readonly role: Role | null;
}

interface Organisation {
  id: string;
  name: string;
  kind: Role;
  merchantIds: string[];
  agencyId: string | null;
}
interface CreatedKey {
  id: string;
  key: string;
  prefix: string;
  role: Role;
  organisationId: string;
  expiresAt: string | null;
  revokedAt: string | null;
}

async function json<T>(response: Response, expected: number): Promise<T> {
  const text = await response.text();
  expect(response.status, `${response.url}: ${text.slice(0, 500)}`).toBe(expected);
  return JSON.parse(text) as T;
}

async function createOrganisation(kind: Role, extra: { merchantIds?: string[]; agencyId?: string } = {}): Promise<Organisation> {
  return json<Organisation>(
    await gatewayFetch('/v1/organisations', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: `${kind} ${run}`, kind, ...extra }) }),
    201,
  );
}

async function createKey(organisationId: string, fields: { name?: string; expiresAt?: string } = {}): Promise<CreatedKey> {
  return json<CreatedKey>(
    await gatewayFetch(`/v1/organisations/${organisationId}/keys`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fields) }),
    201,
  );
}

const bearer = (key: string | null): Record<string, string> => (key === null ? {} : { authorization: `Bearer ${key}` });
/** A call with exactly this principal's credentials (none for null): never the admin's default. */
const as = (key: string | null, path: string, init: RequestInit = {}) =>
  fetch(`${platform.gatewayUrl}${path}`, { ...init, headers: { ...(init.headers as Record<string, string> | undefined), ...bearer(key) } });

function metadataOf(key: string | null): Metadata {
  const metadata = new Metadata();
  if (key !== null) metadata.set('authorization', `Bearer ${key}`);
  return metadata;
}

// The world the matrix and the scope checks run in.
const keys = {} as Record<Role, string>;
const merchants = { a: '', b: '' };
const lots = { a: '', b: '' };
const products = { a: '', b: '' };
const gtins = { a: '', b: '' };
const agencies = { a: `Agency A ${run}`, b: `Agency B ${run}` };
let agencyBKey = '';
let merchantBKey = '';
let expiredKey = '';
let revoked: CreatedKey;
const principals: Principal[] = [];

// ---- Inspection orders for two agencies: two rule sets, each sending orders to one agency -------

async function publishRuleSet(definition: unknown): Promise<void> {
  const headers = { 'content-type': 'application/json', 'x-traceport-actor': 'access-control e2e' };
  const draft = await json<{ version: number }>(await gatewayFetch('/v1/rule-sets', { method: 'POST', headers, body: JSON.stringify({ definition, note: `access-control e2e ${run}` }) }), 201);
  await json(await gatewayFetch(`/v1/rule-sets/${draft.version}/publish`, { method: 'POST', headers, body: '{}' }), 200);
}

/** Every lot of merchant A is inspected in full, by `agency`. */
const ruleSetFor = (agency: string, merchantId: string) => ({
  inspectionAgency: agency,
  defaultAction: { kind: 'release' },
  rules: [{ id: 'access-test', priority: 100, owner: 'access-control e2e', description: 'Inspect the access test merchant', condition: `merchant.id == '${merchantId}'`, action: { kind: 'inspect-all' } }],
});

interface Decision {
  order: { id: string; agency: string; status: string } | null;
}

/** A lot of `productId` received into the bonded warehouse, and the decision on it. */
async function receiveLot(productId: string, gtin: string): Promise<{ lotId: string; decision: Decision }> {
  const lotNumber = `AC${run.slice(0, 6)}${Math.floor(Math.random() * 1e4)}`;
  const lot = await createArchiveRecord('lots', { productId, lotNumber, quantity: 20, productionDate: '2026-10-01', expiryDate: '2028-10-01' });
  const event = {
    type: 'ObjectEvent',
    eventID: `urn:uuid:${randomUUID()}`,
    eventTime: new Date().toISOString(),
    eventTimeZoneOffset: '+08:00',
    quantityList: [{ epcClass: `https://id.gs1.org/01/${gtin}/10/${lotNumber}`, quantity: 20, uom: 'EA' }],
    action: 'OBSERVE',
    bizStep: 'receiving',
    disposition: 'in_progress',
    bizLocation: { id: 'https://id.gs1.org/414/9506000002002' },
  };
  const document = { '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'], type: 'EPCISDocument', schemaVersion: '2.0', creationDate: new Date().toISOString(), epcisBody: { eventList: [event] } };
  expect((await gatewayFetch('/epcis/capture', { method: 'POST', headers: { 'content-type': 'application/ld+json' }, body: JSON.stringify(document) })).status).toBe(202);
  const decision = await eventually(`the decision on lot ${lotNumber}`, async () => {
    const response = await gatewayFetch(`/v1/lots/${lot.id}/decision`);
    return response.status === 200 ? ((await response.json()) as Decision) : undefined;
  });
  return { lotId: lot.id, decision };
}

const orders = { a: '', b: '' };
let ruleSetBefore: unknown = null;

beforeAll(async () => {
  // Two merchants, each with a brand, a product and a lot.
  const brandA = await createBrand();
  const brandB = await createBrand();
  merchants.a = brandA.merchantId;
  merchants.b = brandB.merchantId;
  const factory = await createArchiveRecord('factories', { name: `Access Factory ${run}`, country: 'FR', address: '1 Rue de Test, Lyon', certifications: [] });
  gtins.a = randomGtin();
  gtins.b = randomGtin();
  const productA = await createArchiveRecord('products', { gtin: gtins.a, name: `Access A ${run}`, brandId: brandA.brandId, factoryId: factory.id, category: `access-${run}`, hsCode: '190110', originCountry: 'FR' });
  const productB = await createArchiveRecord('products', { gtin: gtins.b, name: `Access B ${run}`, brandId: brandB.brandId, factoryId: factory.id, category: `access-${run}`, hsCode: '190110', originCountry: 'FR' });
  products.a = productA.id;
  products.b = productB.id;
  lots.b = (await createArchiveRecord('lots', { productId: productB.id, lotNumber: `ACB${run.slice(0, 5)}`, quantity: 10, productionDate: '2026-10-01', expiryDate: '2028-10-01' })).id;

  // One organisation and key per role; a second merchant and agency to check the scoping.
  for (const role of ROLES) {
    const extra = role === 'merchant' ? { merchantIds: [merchants.a] } : role === 'inspection-agency' ? { agencyId: agencies.a } : {};
    keys[role] = (await createKey((await createOrganisation(role, extra)).id, { name: `${role} key` })).key;
  }
  merchantBKey = (await createKey((await createOrganisation('merchant', { merchantIds: [merchants.b] })).id)).key;
  agencyBKey = (await createKey((await createOrganisation('inspection-agency', { agencyId: agencies.b })).id)).key;
  const auditors = await createOrganisation('auditor');
  const expiring = await createKey(auditors.id, { name: 'expires at once', expiresAt: new Date(Date.now() + 1_500).toISOString() });
  expiredKey = expiring.key;
  revoked = await createKey(auditors.id, { name: 'revoked' });

  // Inspection orders for agency A (lot A) and agency B (another lot of merchant A's product).
  const active = await gatewayFetch('/v1/rule-sets/active');
  if (active.status === 200) ruleSetBefore = ((await active.json()) as { definition: unknown }).definition;
  await publishRuleSet(ruleSetFor(agencies.a, merchants.a));
  const first = await receiveLot(productA.id, gtins.a);
  lots.a = first.lotId;
  orders.a = first.decision.order!.id;
  expect(first.decision.order?.agency).toBe(agencies.a);
  await publishRuleSet(ruleSetFor(agencies.b, merchants.a));
  const second = await receiveLot(productA.id, gtins.a);
  orders.b = second.decision.order!.id;
  expect(second.decision.order?.agency).toBe(agencies.b);
  // Later tests find the rule set they found before (when there was one).
  if (ruleSetBefore !== null) await publishRuleSet(ruleSetBefore);

  // Revoked and expired before the matrix runs.
  expect((await as(revoked.key, '/v1/auth/whoami')).status).toBe(200);
  await json(await gatewayFetch(`/v1/keys/${revoked.id}/revoke`, { method: 'POST' }), 200);
  await eventually('the short-lived key to expire', async () => ((await as(expiredKey, '/v1/auth/whoami')).status === 401 ? true : undefined), 10_000);

  principals.push(
    ...ROLES.map((role) => ({ name: role, key: keys[role], role })),
    { name: 'no key', key: null, role: null },
    { name: 'an expired key', key: expiredKey, role: null },
    { name: 'a revoked key', key: revoked.key, role: null },
    { name: 'a forged key', key: `tp_${'0'.repeat(12)}_${'A'.repeat(43)}`, role: null },
    { name: 'not a Traceport key', key: 'hunter2', role: null },
  );
}, 180_000);

/** What the table says a principal gets: 'allowed', or the one status of a denial. */
function verdictOf(expected: Expected, principal: Principal): 'allowed' | 401 | 403 {
  if (expected === 'public') return 'allowed';
  if (principal.role === null) return 401;
  return expected.includes(principal.role) ? 'allowed' : 403;
}

function judge(operation: string, principal: Principal, expected: Expected | undefined, denial: 401 | 403 | null): string | null {
  if (expected === undefined) return `${operation}: not in this test's table`;
  const verdict = verdictOf(expected, principal);
  if (verdict === 'allowed' && denial !== null) return `${operation} as ${principal.name}: expected allowed, got ${denial}`;
  if (verdict !== 'allowed' && denial !== verdict) return `${operation} as ${principal.name}: expected ${verdict}, got ${denial ?? 'allowed'}`;
  return null;
}

/** Runs `tasks` at most `width` at a time. */
async function pooled<T>(tasks: (() => Promise<T>)[], width = 8): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < tasks.length) {
        const index = next++;
        results[index] = await tasks[index]!();
      }
    }),
  );
  return results;
}

// ---- REST ---------------------------------------------------------------------------------------

const DUMMY_PARAMS: Record<string, string> = {
  gtin: '09506000134352',
  serial: 'ACCESS1',
  lot: 'L1',
  // No such version: publishing one must not change which rule set decides lots.
  version: '999999',
  dimension: 'merchant',
  category: 'snacks',
  asset: 'no-such-asset.js',
  path: 'no-such-file.js',
  captureId: randomUUID(),
  eventId: `urn:uuid:${randomUUID()}`,
};

function concretePath(template: string): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(DUMMY_PARAMS[name] ?? randomUUID()));
}

async function restDenial(operation: string, key: string | null): Promise<401 | 403 | null> {
  const [method, template] = operation.split(' ') as [string, string];
  const body = method === 'POST' || method === 'PUT' ? '{}' : undefined;
  const response = await as(key, concretePath(template), { method, ...(body === undefined ? {} : { body, headers: { 'content-type': 'application/json' } }) });
  const text = await response.text();
  if (response.status !== 401 && response.status !== 403) return null;
  // A denial is the gateway's own problem, not an upstream's.
  expect(response.headers.get('content-type'), `${operation}: ${text}`).toContain('application/problem+json');
  return response.status;
}

describe('every REST operation under every role', () => {
  let documented: string[] = [];

  beforeAll(async () => {
    const document = (await (await fetch(`${platform.gatewayUrl}/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    documented = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((method) => ['get', 'put', 'post', 'delete', 'patch'].includes(method))
        .map((method) => `${method.toUpperCase()} ${path}`),
    );
  });

  it('has every documented operation in the table, and nothing in the table that is gone', () => {
    expect(documented.length).toBeGreaterThan(60);
    expect(documented.filter((operation) => REST[operation] === undefined), 'operations missing from this test’s table').toEqual([]);
    expect(Object.keys(REST).filter((operation) => !documented.includes(operation)), 'table entries no longer served').toEqual([]);
  });

  it('allows and denies exactly as the table says', async () => {
    const tasks = Object.entries(REST).flatMap(([operation, expected]) =>
      principals.map((principal) => async () => judge(operation, principal, expected, await restDenial(operation, principal.key))),
    );
    const wrong = (await pooled(tasks)).filter((problem) => problem !== null);
    expect(wrong).toEqual([]);
  }, 300_000);

  it('documents the key in /openapi.json: a bearer scheme, with public operations open', async () => {
    const document = (await (await fetch(`${platform.gatewayUrl}/openapi.json`)).json()) as {
      components: { securitySchemes: Record<string, { type: string; scheme: string }> };
      paths: Record<string, Record<string, { security?: unknown[]; responses: Record<string, unknown> }>>;
    };
    expect(Object.values(document.components.securitySchemes)).toContainEqual(expect.objectContaining({ type: 'http', scheme: 'bearer' }));
    expect(document.paths['/v1/proofs']!['get']!.security).toEqual([]);
    expect(document.paths['/v1/proofs']!['get']!.responses['429']).toBeDefined();
    expect(document.paths['/v1/merchants']!['post']!.security).toEqual([{ apiKey: [] }]);
    expect(document.paths['/v1/merchants']!['post']!.responses['401']).toBeDefined();
  });
});

// ---- gRPC ---------------------------------------------------------------------------------------

describe('every RPC under every role', () => {
  const reflection = new ReflectionSession(platform.gatewayGrpc);
  const client = new Client(platform.gatewayGrpc, credentials.createInsecure());
  let methods: [string, MethodDefinition<object, object>][] = [];
  let notServed: [string, MethodDefinition<object, object>][] = [];

  beforeAll(async () => {
    const services = (await reflection.listServices()).filter((name) => name.startsWith('traceport.'));
    const files = await reflection.descriptorsOf(services);
    const definition: PackageDefinition = loadFileDescriptorSetFromBuffer(fileDescriptorSet(files.values()), { keepCase: false, longs: Number, enums: String, defaults: true, oneofs: true });
    const methodsOf = (service: string) =>
      Object.entries(definition[service] as Record<string, MethodDefinition<object, object>>).map(([name, method]) => [`${service}/${name}`, method] as [string, MethodDefinition<object, object>]);
    methods = services.filter((service) => !NOT_SERVED.includes(service)).flatMap(methodsOf);
    notServed = services.filter((service) => NOT_SERVED.includes(service)).flatMap(methodsOf);
  });

  afterAll(() => {
    reflection.close();
    client.close();
  });

  /** The status a call ends with: 0 for OK. Streams count from their first error or their end. */
  function statusOf(method: MethodDefinition<object, object>, request: object, key: string | null): Promise<number> {
    const options = { deadline: Date.now() + 20_000 };
    return new Promise((resolve) => {
      if (method.responseStream) {
        const stream = client.makeServerStreamRequest(method.path, method.requestSerialize, method.responseDeserialize, request, metadataOf(key), options);
        stream.on('data', () => {
          // The first message means the call was admitted.
          stream.cancel();
          resolve(grpcStatus.OK);
        });
        stream.on('error', (error: ServiceError) => resolve(error.code));
        stream.on('end', () => resolve(grpcStatus.OK));
        return;
      }
      client.makeUnaryRequest(method.path, method.requestSerialize, method.responseDeserialize, request, metadataOf(key), options, (error) => resolve(error?.code ?? grpcStatus.OK));
    });
  }

  /** Requests that get past the scope checks of an admitted merchant or agency (and then fail on their content). */
  const REQUESTS: Record<string, object> = {
    'traceport.v1.StatisticsService/GetStatistics': { dimension: 'merchant' },
    // No such version: nothing may be published or changed by the matrix.
    'traceport.v1.RuleSetService/PublishRuleSet': { version: 999_999 },
    'traceport.v1.RuleSetService/UpdateDraft': { version: 999_999 },
  };

  it('has every reflected RPC in the table, and nothing in the table that is gone', () => {
    const listed = methods.map(([name]) => name);
    expect(listed.length).toBeGreaterThan(40);
    expect(listed.filter((name) => GRPC[name] === undefined), 'RPCs missing from this test’s table').toEqual([]);
    expect(Object.keys(GRPC).filter((name) => !listed.includes(name)), 'table entries no longer served').toEqual([]);
  });

  it('serves no internal RPC to anyone, not even a platform admin', async () => {
    expect(notServed.length).toBeGreaterThan(0);
    for (const [name, method] of notServed) {
      for (const key of [null, keys['platform-admin']]) expect(await statusOf(method, {}, key), name).toBe(grpcStatus.UNIMPLEMENTED);
    }
  });

  it('allows and denies exactly as the table says, with UNAUTHENTICATED and PERMISSION_DENIED', async () => {
    const tasks = methods.flatMap(([name, method]) =>
      principals.map((principal) => async () => {
        const code = await statusOf(method, REQUESTS[name] ?? {}, principal.key);
        const denial = code === grpcStatus.UNAUTHENTICATED ? 401 : code === grpcStatus.PERMISSION_DENIED ? 403 : null;
        return judge(name, principal, GRPC[name], denial);
      }),
    );
    const wrong = (await pooled(tasks)).filter((problem) => problem !== null);
    expect(wrong).toEqual([]);
  }, 300_000);
});

// ---- Keys ---------------------------------------------------------------------------------------

describe('API keys', () => {
  it('say who they are on /v1/auth/whoami; no, an unknown, an expired or a revoked key gets 401 problem+json', async () => {
    const me = await json<{ keyId: string; role: Role; organisation: { id: string; name: string; kind: Role }; expiresAt: string | null }>(await as(keys.merchant, '/v1/auth/whoami'), 200);
    expect(me).toMatchObject({ role: 'merchant', organisation: { kind: 'merchant', name: `merchant ${run}` }, expiresAt: null });
    expect(Object.keys(me).sort()).toEqual(['expiresAt', 'keyId', 'organisation', 'role']);
    const admin = await json<{ role: Role }>(await as(adminKey() ?? null, '/v1/auth/whoami'), 200);
    expect(admin.role).toBe('platform-admin');
    for (const [key, type] of [
      [null, '/problems/api-key-required'],
      ['hunter2', '/problems/invalid-api-key'],
      [`tp_${'0'.repeat(12)}_${'A'.repeat(43)}`, '/problems/invalid-api-key'],
      [expiredKey, '/problems/api-key-expired'],
      [revoked.key, '/problems/api-key-revoked'],
    ] as const) {
      const response = await as(key, '/v1/auth/whoami');
      expect(response.status, String(key)).toBe(401);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer /);
      const problem = (await response.json()) as { type: string; detail: string };
      expect(problem.type).toBe(type);
      // A key is never echoed back, not even a wrong one.
      if (key !== null && key.length > 16) expect(problem.detail).not.toContain(key.slice(16));
    }
  });

  it('are shown once: listed by prefix without their secret, stored only as a SHA-256', async () => {
    const organisation = await createOrganisation('service');
    const created = await createKey(organisation.id, { name: 'ERP', expiresAt: '2099-01-01T00:00:00Z' });
    expect(created.key).toMatch(new RegExp(`^tp_${created.prefix}_[A-Za-z0-9_-]{43}$`));
    expect(created).toMatchObject({ role: 'service', organisationId: organisation.id, expiresAt: '2099-01-01T00:00:00.000Z', revokedAt: null });
    const listed = await json<{ items: Record<string, unknown>[] }>(await gatewayFetch(`/v1/organisations/${organisation.id}/keys`), 200);
    expect(listed.items).toHaveLength(1);
    expect(listed.items[0]).toMatchObject({ id: created.id, prefix: created.prefix, name: 'ERP' });
    expect(JSON.stringify(listed)).not.toContain(created.key.slice(16));
    const database = new pg.Client({ connectionString: platform.databaseUrl });
    await database.connect();
    try {
      const rows = await database.query<Record<string, unknown>>(`SELECT * FROM "gateway"."api_keys" WHERE "id" = $1`, [created.id]);
      expect(rows.rows).toHaveLength(1);
      expect(rows.rows[0]!['key_hash']).toEqual(createHash('sha256').update(created.key).digest());
      expect(JSON.stringify(rows.rows[0])).not.toContain(created.key.slice(16));
    } finally {
      await database.end();
    }
    // Every key works at once and keeps working until it is revoked; revoking twice changes nothing.
    expect((await as(created.key, '/v1/merchants?page_size=1')).status).toBe(200);
    const revokedOnce = await json<{ revokedAt: string }>(await gatewayFetch(`/v1/keys/${created.id}/revoke`, { method: 'POST' }), 200);
    const revokedTwice = await json<{ revokedAt: string }>(await gatewayFetch(`/v1/keys/${created.id}/revoke`, { method: 'POST' }), 200);
    expect(revokedTwice.revokedAt).toBe(revokedOnce.revokedAt);
    expect((await as(created.key, '/v1/merchants?page_size=1')).status).toBe(401);
  });

  it('are never written to the gateway’s log', () => {
    const log = readFileSync(join(platform.logDir, 'interaction-gateway.log'), 'utf8');
    for (const key of [...Object.values(keys), merchantBKey, agencyBKey, expiredKey, revoked.key, adminKey() ?? 'none']) expect(log).not.toContain(key.slice(16));
  });

  it('refuse bad organisations and keys with every problem named, and create nothing', async () => {
    const before = (await json<{ items: unknown[] }>(await gatewayFetch('/v1/organisations'), 200)).items.length;
    const cases: [unknown, string][] = [
      [{ name: 'No merchants', kind: 'merchant' }, 'merchantIds'],
      [{ name: 'No agency', kind: 'inspection-agency' }, 'agencyId'],
      [{ name: 'Bound wrongly', kind: 'auditor', merchantIds: [merchants.a] }, 'merchantIds'],
      [{ name: 'Who?', kind: 'superuser' }, 'kind'],
      [{ kind: 'auditor' }, 'name'],
    ];
    for (const [body, field] of cases) {
      const response = await gatewayFetch('/v1/organisations', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const problem = await json<{ type: string; errors: { field: string }[] }>(response, 400);
      expect(problem.type).toBe('/problems/invalid-body');
      expect(problem.errors.map((error) => error.field)).toContain(field);
    }
    expect((await json<{ items: unknown[] }>(await gatewayFetch('/v1/organisations'), 200)).items).toHaveLength(before);
    const organisation = await createOrganisation('auditor');
    const past = await gatewayFetch(`/v1/organisations/${organisation.id}/keys`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ expiresAt: '2020-01-01T00:00:00Z' }) });
    expect((await json<{ errors: { field: string }[] }>(past, 400)).errors.map((error) => error.field)).toEqual(['expiresAt']);
    expect((await json<{ items: unknown[] }>(await gatewayFetch(`/v1/organisations/${organisation.id}/keys`), 200)).items).toEqual([]);
    expect((await gatewayFetch(`/v1/organisations/${randomUUID()}/keys`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(404);
    expect((await gatewayFetch(`/v1/keys/${randomUUID()}/revoke`, { method: 'POST' })).status).toBe(404);
  });
});

// ---- Scoping ------------------------------------------------------------------------------------

describe("a merchant's key", () => {
  const get = (path: string, key: string | null = keys.merchant) => as(key, path);

  it('reads its own merchant, brands, products and lots, and is refused the others’', async () => {
    const owned = [`/v1/merchants/${merchants.a}`, `/v1/lots/${lots.a}`, `/v1/lots/${lots.a}/versions`, `/v1/lots/${lots.a}/versions/1`, `/v1/products/gtin/${gtins.a}`];
    const others = [`/v1/merchants/${merchants.b}`, `/v1/lots/${lots.b}`, `/v1/lots/${lots.b}/versions`, `/v1/lots/${lots.b}/versions/1`, `/v1/products/gtin/${gtins.b}`];
    for (const path of owned) expect((await get(path)).status, path).toBe(200);
    for (const path of others) {
      const response = await get(path);
      expect(response.status, path).toBe(403);
      expect(((await response.json()) as { type: string }).type).toBe('/problems/out-of-scope');
    }
    // The other merchant sees the mirror image.
    expect((await get(`/v1/lots/${lots.b}`, merchantBKey)).status).toBe(200);
    expect((await get(`/v1/lots/${lots.a}`, merchantBKey)).status).toBe(403);
  });

  it('finds only its own records when it searches', async () => {
    type Page = { items: { record: { id: string; ownerMerchantId?: string } }[] };
    const ids = async (path: string, key?: string | null) => (await json<Page>(await get(path, key), 200)).items.map((item) => item.record.id);
    expect(await ids(`/v1/lots?productId=${products.a}`)).toContain(lots.a);
    // The other merchant's lots exist (the admin finds them) but are not in this merchant's answer.
    expect(await ids(`/v1/lots?productId=${products.b}`, adminKey() ?? null)).toContain(lots.b);
    expect(await ids(`/v1/lots?productId=${products.b}`)).toEqual([]);
    expect(await ids(`/v1/brands?ownerMerchantId=${merchants.b}`, adminKey() ?? null)).toHaveLength(1);
    expect(await ids(`/v1/brands?ownerMerchantId=${merchants.b}`)).toEqual([]);
    const brands = await json<Page>(await get('/v1/brands?page_size=100'), 200);
    expect(brands.items.every((item) => item.record.ownerMerchantId === merchants.a)).toBe(true);
    expect((await ids('/v1/merchants?page_size=100')).every((id) => id === merchants.a)).toBe(true);
  });

  it('reads the decisions on its own lots and its own statistics only', async () => {
    expect((await get(`/v1/lots/${lots.a}/decision`)).status).toBe(200);
    expect((await get(`/v1/lots/${lots.a}/decision`, merchantBKey)).status).toBe(403);
    const statistics = await json<{ groups: { key: string }[] }>(await get('/v1/statistics/merchant'), 200);
    expect(statistics.groups.every((group) => group.key === merchants.a)).toBe(true);
    expect((await get(`/v1/statistics/merchant?key=${merchants.b}`)).status).toBe(403);
    expect((await get('/v1/statistics/factory')).status).toBe(403);
  });

  it('is held to the same scope over gRPC', async () => {
    const client = new Client(platform.gatewayGrpc, credentials.createInsecure());
    const reflection = new ReflectionSession(platform.gatewayGrpc);
    try {
      const files = await reflection.descriptorsOf(['traceport.v1.ArchiveService']);
      const definition = loadFileDescriptorSetFromBuffer(fileDescriptorSet(files.values()), { keepCase: false, longs: Number, enums: String, defaults: true, oneofs: true });
      const getRecord = (definition['traceport.v1.ArchiveService'] as Record<string, MethodDefinition<object, object>>)['GetRecord']!;
      const codeOf = (id: string) =>
        new Promise<number>((resolve) =>
          client.makeUnaryRequest(getRecord.path, getRecord.requestSerialize, getRecord.responseDeserialize, { recordType: 'archive.lot', id }, metadataOf(keys.merchant), (error) => resolve(error?.code ?? grpcStatus.OK)),
        );
      expect(await codeOf(lots.a)).toBe(grpcStatus.OK);
      expect(await codeOf(lots.b)).toBe(grpcStatus.PERMISSION_DENIED);
    } finally {
      reflection.close();
      client.close();
    }
  });
});

describe("an inspection agency's key", () => {
  const ordersOf = async (key: string, query = '') => (await json<{ orders: { id: string; agency: string }[] }>(await as(key, `/v1/inspection-orders?page_size=100${query}`), 200)).orders;

  it('lists and reads only its own orders', async () => {
    const mine = await ordersOf(keys['inspection-agency']);
    expect(mine.map((order) => order.id)).toContain(orders.a);
    expect(mine.every((order) => order.agency === agencies.a)).toBe(true);
    expect((await ordersOf(agencyBKey)).map((order) => order.id)).toEqual([orders.b]);
    expect((await as(keys['inspection-agency'], `/v1/inspection-orders?agency=${encodeURIComponent(agencies.b)}`)).status).toBe(403);
    expect((await as(keys['inspection-agency'], `/v1/inspection-orders/${orders.a}`)).status).toBe(200);
    expect((await as(keys['inspection-agency'], `/v1/inspection-orders/${orders.b}`)).status).toBe(403);
    expect((await as(agencyBKey, `/v1/inspection-orders/${orders.a}`)).status).toBe(403);
  });

  it('submits results for its own orders only, and a refused result changes nothing', async () => {
    const result = (agency: string) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ agency, inspector: 'J. Tester', critical: 0, major: 0, minor: 0 }) });
    expect((await as(keys['inspection-agency'], `/v1/inspection-orders/${orders.b}/result`, result(agencies.a))).status).toBe(403);
    expect((await as(keys['inspection-agency'], `/v1/inspection-orders/${orders.b}/result`, result(agencies.b))).status).toBe(403);
    expect(((await (await gatewayFetch(`/v1/inspection-orders/${orders.b}`)).json()) as { status: string; result: unknown }).result).toBeNull();
    expect((await as(keys['inspection-agency'], `/v1/inspection-orders/${orders.a}/result`, result(agencies.a))).status).toBe(201);
    expect(((await (await gatewayFetch(`/v1/inspection-orders/${orders.a}`)).json()) as { result: unknown }).result).not.toBeNull();
  });
});

// ---- Rate limits --------------------------------------------------------------------------------

describe('the public rate limits', () => {
  /** A client of its own (the gateway believes X-Forwarded-For from loopback), so no other test shares its budget. */
  const clientAddress = (network: string) => `${network}.${Math.floor(Math.random() * 250) + 1}`;

  async function flood(path: string, group: string, headers: Record<string, string>): Promise<{ limit: number; statuses: number[]; limited: Response | undefined }> {
    const first = await fetch(`${platform.gatewayUrl}${path}`, { headers });
    const limit = Number(first.headers.get(`x-ratelimit-limit-${group}`));
    expect(limit).toBeGreaterThan(0);
    const statuses: number[] = [first.status];
    let limited: Response | undefined;
    const tasks = Array.from({ length: limit + 5 }, () => async () => {
      const response = await fetch(`${platform.gatewayUrl}${path}`, { headers });
      statuses.push(response.status);
      if (response.status === 429 && limited === undefined) limited = response;
      else await response.arrayBuffer();
    });
    await pooled(tasks, 16);
    return { limit, statuses, limited };
  }

  it('answer 429 problem+json with Retry-After once a client passes the proofs limit; others and keyed callers go on', async () => {
    const address = clientAddress('198.51.100');
    const path = '/v1/proofs?record_key=not-a-record-key';
    const { limit, statuses, limited } = await flood(path, 'proofs', { 'x-forwarded-for': address });
    expect(statuses.filter((status) => status !== 429)).toHaveLength(limit);
    expect(limited).toBeDefined();
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited!.headers.get('content-type')).toContain('application/problem+json');
    expect(((await limited!.json()) as { type: string }).type).toBe('/problems/rate-limited');
    // Another client is not held back, nor is the same address with a key.
    expect((await fetch(`${platform.gatewayUrl}${path}`, { headers: { 'x-forwarded-for': clientAddress('203.0.113') } })).status).not.toBe(429);
    expect((await fetch(`${platform.gatewayUrl}${path}`, { headers: { 'x-forwarded-for': address, ...bearer(keys.auditor) } })).status).not.toBe(429);
  }, 120_000);

  it('hold the scan page and resolver to their own limit', async () => {
    const address = clientAddress('192.0.2');
    const { limit, statuses, limited } = await flood(`/01/${gtins.a}/21/NOSUCHSERIAL`, 'scan', { 'x-forwarded-for': address, accept: 'application/json' });
    expect(statuses.filter((status) => status !== 429)).toHaveLength(limit);
    expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThan(0);
  }, 120_000);
});
