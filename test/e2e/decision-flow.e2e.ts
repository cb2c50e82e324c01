import { uniformFromSeed } from '@traceport/sampling';
import { eventually, randomGtin } from '@traceport/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { createArchiveRecord } from '../support/archive-fixtures.js';
import { captureLotEvent } from '../support/lot-events.js';
import { gatewayFetch } from '../support/gateway-client.js';

// The decision engine end to end: archive records and EPCIS receiving events go in through the
// gateway, travel over Kafka to the engine, which decides each lot by the rule set this file
// publishes — one scenario per rule kind an operator writes, a whitelist entry and its expiry, and
// the ISO 2859-1 switching sequence driven by inspection results — all against the real platform.

const run = crypto.randomUUID().slice(0, 8);
/** Simulations replay only this file's decisions: other test files decide lots of their own under their own rules. */
const startedAt = new Date().toISOString();
const snacks = `snacks-${run}`;
const formula = `infant-formula-${run}`;
const tea = `tea-${run}`;

interface Reply<T = Record<string, unknown>> {
  readonly status: number;
  readonly body: T;
}

async function api<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<Reply<T>> {
  const response = await gatewayFetch(path, {
    method,
    headers: { 'content-type': 'application/json', 'x-traceport-actor': 'decision-flow-test' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: (text === '' ? {} : JSON.parse(text)) as T };
}

interface Decision {
  outcome: string;
  initial_outcome: string;
  rule_id: string;
  record: {
    id: string;
    seed: string;
    rule: { id: string; seen: Record<string, unknown> } | null;
    reason: string;
    whitelistApplied: { id: string }[];
    supplier: { state: string };
    plan: { severity: string; level: string; aql: number; sampleSize: number; ac: number; re: number; codeLetter: string } | null;
    sampleUnits: number[];
  };
  order: { id: string; status: string; agency: string; sample_units: number[]; plan: { sample_size: number; severity: string } } | null;
}

const ruleSet = {
  inspectionAgency: `Test Agency ${run}`,
  defaultAction: { kind: 'release' },
  tables: { hazard: { [`${formula}:US`]: 1.0, [`${tea}:JP`]: 1.0, [`${snacks}:FR`]: 0.0 } },
  rules: [
    { id: 'expired-certifications', priority: 100, owner: 'quality', description: 'Hold lots of factories with an expired certification', condition: 'factory.expiredCertifications > 0', action: { kind: 'hold' } },
    {
      id: 'weak-factory',
      priority: 90,
      owner: 'quality',
      description: 'Tighter plan for factories whose pass rate lower bound is below 50%',
      condition: 'factory.stats.lotsInspected >= 3 && factory.stats.passRateLowerBound < 0.5',
      action: { kind: 'inspect', level: 'III', aql: 1.0 },
    },
    { id: 'first-import', priority: 80, owner: 'operations', description: "Always inspect a merchant's first import", condition: 'merchant.stats.lotsReceived == 0', action: { kind: 'inspect', level: 'II', aql: 2.5 } },
    {
      id: 'hazard-table',
      priority: 70,
      owner: 'quality',
      description: 'Category × origin check frequency (EU 2019/1793 style)',
      condition: "(product.category + ':' + origin) in tables.hazard && random < tables.hazard[product.category + ':' + origin]",
      action: { kind: 'inspect', level: 'II', aql: 1.0 },
    },
    { id: 'minimum-rate', priority: 10, owner: 'operations', description: 'A random minimum selection rate of 5%', condition: 'random < 0.05', action: { kind: 'inspect', level: 'S-3', aql: 2.5 } },
  ],
};

let merchantId: string;
let brandId: string;
const products: Record<string, { id: string; gtin: string }> = {};
let goodFactoryId: string;
let teaFactoryId: string;
let publishedVersion: number;

async function factory(name: string, validTo: string): Promise<string> {
  const record = await createArchiveRecord('factories', {
    name: `${name} ${run}`,
    country: 'FR',
    address: '1 Rue de Test, Lyon',
    certifications: [{ type: 'ISO 9001', issuer: 'Bureau Veritas', number: `FR-${run}-${name}`, validFrom: '2019-01-01', validTo }],
  });
  return record.id;
}

async function product(key: string, fields: { category: string; originCountry: string; factoryId: string }): Promise<void> {
  const gtin = randomGtin();
  const record = await createArchiveRecord('products', { gtin, name: `${key} ${run}`, brandId, hsCode: '190110', ...fields });
  products[key] = { id: record.id, gtin };
}

let lotCounter = 0;
/** A lot of a product, received into the bonded warehouse: its record, then the receiving event. */
async function receiveLot(productKey: string, quantity = 500): Promise<{ lotId: string; decision: Decision }> {
  lotCounter += 1;
  const { id: productId, gtin } = products[productKey]!;
  const lotNumber = `D${run.slice(0, 4)}${lotCounter}`;
  const lot = await createArchiveRecord('lots', { productId, lotNumber, quantity, productionDate: '2026-10-01', expiryDate: '2028-10-01' });
  const capture = await captureLotEvent({ gtin, lot: lotNumber, quantity, bizStep: 'receiving', disposition: 'in_progress' });
  expect(capture.status).toBe(202);
  const decision = await eventually(`the decision on lot ${lotNumber}`, async () => {
    const reply = await api<Decision>('GET', `/v1/lots/${lot.id}/decision`);
    return reply.status === 200 ? reply.body : undefined;
  });
  return { lotId: lot.id, decision };
}

async function submitResult(decision: Decision, major: number, critical = 0) {
  const reply = await api<{ verdict: string; supplier?: { state: string } }>('POST', `/v1/inspection-orders/${decision.order!.id}/result`, {
    agency: decision.order!.agency,
    inspector: 'Inspector Test',
    critical,
    major,
    minor: 1,
    notes: 'e2e',
  });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return reply.body;
}

beforeAll(async () => {
  const merchant = await createArchiveRecord('merchants', { legalName: `Decision Importer ${run} Ltd.`, country: 'CN', registrationNumber: `91310000D${run}` });
  merchantId = merchant.id;
  brandId = (await createArchiveRecord('brands', { name: `Decision Brand ${run}`, ownerMerchantId: merchantId })).id;
  goodFactoryId = await factory('Good Factory', '2030-12-31');
  const expiredFactoryId = await factory('Lapsed Factory', '2021-12-31');
  teaFactoryId = await factory('Tea Factory', '2030-12-31');
  await product('snack', { category: snacks, originCountry: 'FR', factoryId: goodFactoryId });
  await product('formula', { category: formula, originCountry: 'US', factoryId: goodFactoryId });
  await product('exempt-formula', { category: formula, originCountry: 'US', factoryId: goodFactoryId });
  await product('lapsed', { category: snacks, originCountry: 'FR', factoryId: expiredFactoryId });
  await product('tea', { category: tea, originCountry: 'JP', factoryId: teaFactoryId });

  const draft = await api<{ version: number }>('POST', '/v1/rule-sets', { definition: ruleSet, note: 'decision-flow e2e' });
  expect(draft.status, JSON.stringify(draft.body)).toBe(201);
  const published = await api<{ version: number; active: boolean }>('POST', `/v1/rule-sets/${draft.body.version}/publish`, {});
  expect(published.status, JSON.stringify(published.body)).toBe(200);
  expect(published.body.active).toBe(true);
  publishedVersion = published.body.version;
});

describe('rules', () => {
  it('refuses a rule that does not compile, with its position, and saves nothing', async () => {
    const before = await api<{ versions: unknown[] }>('GET', '/v1/rule-sets');
    const broken = { ...ruleSet, rules: [...ruleSet.rules, { id: 'broken', priority: 5, owner: 'ops', description: 'typo', condition: 'lot.quantity > 10 &&\n  factory.stats.passRate < "high"', action: { kind: 'hold' } }] };
    const reply = await api<{ type: string; errors: { field: string; message: string; line: number; column: number }[] }>('POST', '/v1/rule-sets', { definition: broken });
    expect(reply.status).toBe(400);
    expect(reply.body.type).toMatch(/invalid-rule-set$/);
    expect(reply.body.errors[0]).toMatchObject({ field: 'rules[5].condition', line: 2 });
    expect(reply.body.errors[0]!.column).toBeGreaterThan(0);
    const after = await api<{ versions: unknown[] }>('GET', '/v1/rule-sets');
    expect(after.body.versions).toHaveLength(before.body.versions.length);
  });

  it("inspects a merchant's first import, and not its second", async () => {
    const first = await receiveLot('snack');
    expect(first.decision.record.rule?.id).toBe('first-import');
    expect(first.decision.outcome).toBe('inspection-ordered');
    // Lot of 500 at level II → code letter H; AQL 2.5 normal → n = 50, Ac 3, Re 4.
    expect(first.decision.record.plan).toMatchObject({ severity: 'normal', codeLetter: 'H', sampleSize: 50, ac: 3, re: 4 });
    expect(first.decision.record.sampleUnits).toHaveLength(50);
    expect(first.decision.order?.agency).toBe(ruleSet.inspectionAgency);
    // The decision is an anchored record, exactly as the API shows it.
    const anchored = await eventually(
      'the decision anchored on chain',
      async () => {
        const reply = await api<{ record: unknown; proof: { anchor: { block_number: number } | null } }>('GET', `/v1/proofs?record_key=decision.lot-decision/${first.decision.record.id}/v1`);
        return reply.status === 200 && reply.body.proof.anchor !== null ? reply.body : undefined;
      },
      60_000,
    );
    expect(anchored.record).toEqual(first.decision.record);

    const second = await receiveLot('snack');
    // The hazard table gives this category × origin a frequency of 0, so only the random minimum rate can select it.
    const random = uniformFromSeed(second.decision.record.seed, 'rules');
    expect(second.decision.record.rule?.id ?? null).toBe(random < 0.05 ? 'minimum-rate' : null);
    expect(second.decision.outcome).toBe(random < 0.05 ? 'inspection-ordered' : 'released');
  });

  it('checks a hazardous category × origin at its table frequency, and says what it saw', async () => {
    const { decision } = await receiveLot('formula', 1200);
    expect(decision.record.rule?.id).toBe('hazard-table');
    expect(decision.record.rule?.seen).toMatchObject({ 'product.category': formula, origin: 'US' });
    expect(decision.record.plan).toMatchObject({ level: 'II', aql: 1, codeLetter: 'J', sampleSize: 80, ac: 2, re: 3 });
  });

  it('holds lots of a factory whose certification has expired', async () => {
    const { decision } = await receiveLot('lapsed');
    expect(decision.record.rule?.id).toBe('expired-certifications');
    expect(decision.outcome).toBe('held');
    expect(decision.order).toBeNull();
  });
});

describe('whitelists', () => {
  it('exempts a whitelisted product until its entry expires, with the entry in the explanation', async () => {
    const expiresAt = new Date(Date.now() + 6_000).toISOString();
    const entry = await api<{ id: string; status: string }>('POST', '/v1/whitelist', {
      subject_type: 'product',
      subject_id: products['exempt-formula']!.id,
      effect: 'exempt',
      reason: 'Trusted brand programme',
      owner: 'ops-lead',
      expires_at: expiresAt,
    });
    expect(entry.status, JSON.stringify(entry.body)).toBe(201);
    expect(entry.body.status).toBe('active');

    const exempted = await receiveLot('exempt-formula');
    expect(exempted.decision.outcome).toBe('released');
    expect(exempted.decision.record.rule?.id).toBe('hazard-table');
    expect(exempted.decision.record.whitelistApplied.map((applied) => applied.id)).toEqual([entry.body.id]);

    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(expiresAt) - Date.now() + 200)));
    const afterExpiry = await receiveLot('exempt-formula');
    expect(afterExpiry.decision.outcome).toBe('inspection-ordered');
    expect(afterExpiry.decision.record.whitelistApplied).toEqual([]);
    const history = await api<{ events: { action: string; actor: string }[] }>('GET', `/v1/whitelist/${entry.body.id}/history`);
    expect(history.body.events.map((event) => [event.action, event.actor])).toEqual([['created', 'decision-flow-test']]);
  });
});

describe('inspection results and ISO 2859-1 switching', () => {
  it('tightens after two rejections in five lots, tightens the rule for the weak factory, and returns to normal after five acceptances', async () => {
    const states: string[] = [];
    const lot = async (major: number) => {
      const { decision } = await receiveLot('tea', 1200);
      expect(decision.outcome).toBe('inspection-ordered');
      const result = await submitResult(decision, major);
      states.push(result.supplier!.state);
      return { decision, result };
    };
    // J at level II: n = 80; AQL 1.0 normal Ac 2 / Re 3.
    const first = await lot(5);
    expect(first.result.verdict).toBe('rejected');
    expect(first.decision.record.plan).toMatchObject({ severity: 'normal', sampleSize: 80, ac: 2, re: 3 });
    await lot(0);
    const third = await lot(4);
    expect(third.result.verdict).toBe('rejected');
    expect(states).toEqual(['normal', 'normal', 'tightened']);

    // Three inspected, one passed: the factory's pass-rate lower bound is far below 50%.
    const fourth = await lot(0);
    expect(fourth.decision.record.rule?.id).toBe('weak-factory');
    expect(fourth.decision.record.supplier.state).toBe('tightened');
    expect(fourth.decision.record.plan).toMatchObject({ severity: 'tightened', level: 'III' });
    for (let accepted = 2; accepted <= 5; accepted += 1) await lot(0);
    expect(states.slice(3)).toEqual(['tightened', 'tightened', 'tightened', 'tightened', 'normal']);

    const supplier = await api<{ state: string; changes: { from: string; to: string; reason: string }[] }>('GET', `/v1/suppliers/${teaFactoryId}/${tea}`);
    expect(supplier.body.state).toBe('normal');
    expect(supplier.body.changes.map((change) => [change.from, change.to])).toEqual([
      ['normal', 'tightened'],
      ['tightened', 'normal'],
    ]);
  });

  it('refuses a second, different result for an order', async () => {
    const { lotId, decision } = await receiveLot('formula');
    await submitResult(decision, 0);
    const again = await api('POST', `/v1/inspection-orders/${decision.order!.id}/result`, { agency: decision.order!.agency, inspector: 'x', critical: 0, major: 9, minor: 0, notes: '' });
    expect(again.status).toBe(409);
    const lotDecision = await api<Decision>('GET', `/v1/lots/${lotId}/decision`);
    expect(lotDecision.body).toMatchObject({ outcome: 'released', initial_outcome: 'inspection-ordered' });
    expect(lotDecision.body.order?.status).toBe('accepted');
  });
});

describe('simulation', () => {
  it('shows which decisions a draft would change, and the inspection volume before and after', async () => {
    const lenient = { ...ruleSet, tables: { hazard: { [`${formula}:US`]: 0.0, [`${tea}:JP`]: 0.0, [`${snacks}:FR`]: 0.0 } } };
    const draft = await api<{ version: number; status: string }>('POST', '/v1/rule-sets', { definition: lenient, note: 'what if the hazard table were empty' });
    expect(draft.body.status).toBe('draft');
    const report = await api<{ lots: number; changed: number; inspections_before: number; inspections_after: number; changes: { lot_id: string; before_rule: string; after_rule: string | null; after_outcome: string }[] }>(
      'POST',
      '/v1/rule-sets/simulate',
      { version: draft.body.version, from: startedAt, max_changes: 10_000 },
    );
    expect(report.status, JSON.stringify(report.body)).toBe(200);
    expect(report.body.changed).toBeGreaterThanOrEqual(2);
    expect(report.body.inspections_after).toBeLessThan(report.body.inspections_before);
    // Without the hazard table a hazard-table lot is released, unless its random number falls under the 5% minimum rate.
    const hazardLots = report.body.changes.filter((change) => change.before_rule === 'hazard-table');
    expect(hazardLots.length).toBeGreaterThan(0);
    for (const change of hazardLots) expect(change.after_outcome === 'released' || change.after_rule === 'minimum-rate', JSON.stringify(change)).toBe(true);
    // Still the published version decides.
    const active = await api<{ version: number }>('GET', '/v1/rule-sets/active');
    expect(active.body.version).toBe(publishedVersion);
  });
});
