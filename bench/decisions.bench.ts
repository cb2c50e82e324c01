// `./traceport bench decisions`: the decision engine's rule evaluation, in one process on one
// thread: the same rule set (the rule kinds operators write, with a category × origin hazard table)
// decides the same pre-generated lots with @traceport/sampling's compiled CEL rules and with
// json-rules-engine, the most used rules engine on npm. Both must make the same decision on every
// lot before anything is timed. Runs on the built libs (Node type stripping), like the rest of
// ./traceport.
import { compileRuleSet, wilsonLowerBound, type CompiledRuleSet, type DecisionContext, type PartyStatistics, type RuleSetDefinition } from '@traceport/sampling';
import { Engine, type Almanac, type RuleProperties } from 'json-rules-engine';
import { availableParallelism, loadavg } from 'node:os';
import pg from 'pg';
import type { Bench } from 'tinybench';
import { gatewayFetch } from '../deploy/local/cli/admin-key.ts';
import { startPlatform, stopPlatform } from '../deploy/local/cli/platform.ts';
import { gatewayUrl, loadProfile } from '../deploy/local/cli/profile.ts';

/** What bench-command renders besides tinybench results: a table this module timed itself. */
export interface Table {
  readonly name: string;
  readonly header: string[];
  readonly rows: string[][];
  readonly notes?: string[];
}

const CONTEXTS = 10_000;
const SEED = 2859;
/** Whole passes over the contexts per sample of ours: about half a second each; one pass for json-rules-engine. */
const CLOSURE_PASSES = 40;
const CEL_JS_PASSES = 10;
const ROUNDS = 5;

const fmt = (value: number, digits = 2) => value.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const count = (value: number) => Math.round(value).toLocaleString('en');
const progress = (message: string) => process.stderr.write(`  decisions bench: ${message}\n`);

// ---------------------------------------------------------------------------------------------
// The rule set and the lots it decides

const CATEGORIES = ['toys', 'food-contact', 'cosmetics', 'electronics', 'textiles', 'dried-fruit', 'spices', 'footwear'];
const ORIGINS = ['CN', 'VN', 'IN', 'TR', 'BD', 'EG', 'US', 'DE', 'BR', 'TH'];

/**
 * Check frequencies by product category × origin, in the style of the annexes of EU Implementing
 * Regulation 2019/1793 (e.g. dried fruit from Türkiye checked at 20%, spices from India at 30%).
 */
const HAZARD: Record<string, number> = {
  'dried-fruit:TR': 0.2,
  'dried-fruit:EG': 0.1,
  'dried-fruit:CN': 0.05,
  'spices:IN': 0.3,
  'spices:VN': 0.1,
  'spices:CN': 0.2,
  'spices:BD': 0.3,
  'spices:EG': 0.2,
  'food-contact:CN': 0.2,
  'food-contact:IN': 0.1,
  'food-contact:VN': 0.1,
  'toys:CN': 0.1,
  'toys:BD': 0.2,
  'toys:VN': 0.05,
  'cosmetics:CN': 0.1,
  'cosmetics:IN': 0.15,
  'cosmetics:TR': 0.05,
  'electronics:CN': 0.05,
  'textiles:BD': 0.05,
  'footwear:IN': 0.05,
};

const rule = (id: string, priority: number, condition: string, action: RuleSetDefinition['defaultAction'], description: string) => ({
  id,
  priority,
  condition,
  action,
  description,
  owner: 'bench',
});

/** Nine rules, each at its own priority so that json-rules-engine tries them in the same order. */
export const decisionRuleSet: RuleSetDefinition = {
  defaultAction: { kind: 'release' },
  inspectionAgency: 'Bonded Warehouse Inspection Agency',
  tables: { hazard: HAZARD },
  rules: [
    rule('expired-certification', 1000, 'factory.expiredCertifications > 0', { kind: 'hold' }, 'The factory has an expired certification.'),
    rule('invalid-certification', 950, 'factory.certifications.exists(c, !c.valid)', { kind: 'hold' }, 'A factory certification is not valid on the decision date.'),
    rule('customs-rejected', 900, "customs.importStatus == 'rejected'", { kind: 'hold' }, 'Customs rejected the import declaration.'),
    rule('supplier-discontinued', 850, "supplier.state == 'discontinued'", { kind: 'hold' }, 'ISO 2859-1: inspection of this supplier is discontinued.'),
    rule('first-import', 700, 'merchant.stats.lotsReceived == 0', { kind: 'inspect', level: 'II', aql: 1 }, 'A merchant’s first import is always inspected.'),
    rule(
      'low-pass-rate',
      600,
      'factory.stats.lotsInspected >= 5 && factory.stats.passRateLowerBound < 0.9',
      { kind: 'inspect', level: 'III', aql: 1 },
      'The factory’s pass-rate lower bound is below 90%: tighter plan.',
    ),
    rule(
      'hazard-table',
      500,
      "(product.category + ':' + origin) in tables.hazard && random < tables.hazard[product.category + ':' + origin]",
      { kind: 'inspect', level: 'II', aql: 2.5 },
      'Category × origin check frequency (EU Reg. 2019/1793 style).',
    ),
    rule('near-expiry-bulk', 400, 'lot.daysToExpiry < 90 && lot.quantity > 1000', { kind: 'inspect', level: 'S-3', aql: 2.5 }, 'A large lot close to expiry.'),
    rule('random-minimum', 100, 'random < 0.05', { kind: 'inspect', level: 'I', aql: 2.5 }, 'A 5% minimum random selection.'),
  ],
};

/** mulberry32: a small seeded generator, so every run decides the same lots. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** `count` varied lots: mostly unremarkable (released), each rule holding for a few percent of them. */
export function decisionContexts(total = CONTEXTS, seed = SEED): DecisionContext[] {
  const random = generator(seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
  const int = (max: number) => Math.floor(random() * max);
  // A party with a long clean record clears a 0.9 lower bound; a new or weak one does not.
  const statistics = (rarelyNew: boolean, weak: number): PartyStatistics => {
    const lotsReceived = rarelyNew && random() < 0.04 ? 0 : random() < 0.05 ? 1 + int(30) : 30 + int(2_000);
    const lotsInspected = Math.min(lotsReceived, Math.round(lotsReceived * (0.1 + random() * 0.15)));
    const failed = Math.round(lotsInspected * (random() < weak ? 0.05 + random() * 0.25 : random() * 0.01));
    const passed = lotsInspected - failed;
    const passRate = lotsInspected === 0 ? 0 : passed / lotsInspected;
    return { lotsReceived, lotsInspected, passed, failed, passRate, passRateLowerBound: wilsonLowerBound(passed, lotsInspected) };
  };
  return Array.from({ length: total }, (_, n) => {
    const category = pick(CATEGORIES);
    const origin = pick(ORIGINS);
    const expired = random() < 0.02 ? 1 : 0;
    const certifications = Array.from({ length: 1 + int(3) }, (_, c) => ({
      type: pick(['ISO 9001', 'ISO 22000', 'BSCI', 'GMP']),
      issuer: pick(['TÜV SÜD', 'SGS', 'Bureau Veritas', 'Intertek']),
      number: `C-${n}-${c}`,
      validFrom: '2023-01-01',
      validTo: expired && c === 0 ? '2024-12-31' : '2027-12-31',
      valid: !(expired && c === 0) && random() > 0.01,
    }));
    const quantity = 50 + int(5_000);
    const daysToExpiry = random() < 0.1 ? int(90) : 90 + int(700);
    return {
      lot: { id: `lot-${n}`, lotNumber: `L${n}`, quantity, productionDate: '2025-03-01', expiryDate: '2026-09-01', daysToExpiry },
      product: { id: `product-${n % 500}`, gtin: String(9_507_000_000_000 + (n % 500)).padStart(14, '0'), name: `Item ${n % 500}`, category, hsCode: '950300', originCountry: origin },
      brand: { id: `brand-${n % 50}`, name: `Brand ${n % 50}` },
      merchant: { id: `merchant-${n % 200}`, legalName: `Merchant ${n % 200} GmbH`, country: 'DE', stats: statistics(true, 0.02) },
      factory: { id: `factory-${n % 300}`, name: `Factory ${n % 300}`, country: origin, certifications, expiredCertifications: expired, stats: statistics(false, 0.1) },
      origin,
      category: { name: category, stats: statistics(false, 0.05) },
      customs: {
        exportDeclared: true,
        importDeclared: true,
        importStatus: random() < 0.01 ? 'rejected' : pick(['declared', 'under-inspection', 'cleared']),
        port: pick(['Hamburg', 'Rotterdam', 'Antwerp']),
        quarantineCertificateNumber: random() < 0.5 ? `Q-${n}` : '',
      },
      supplier: { state: random() < 0.01 ? 'discontinued' : pick(['normal', 'normal', 'normal', 'tightened', 'reduced']) },
      random: random(),
      today: '2025-06-01',
      tables: decisionRuleSet.tables,
    };
  });
}

// ---------------------------------------------------------------------------------------------
// json-rules-engine: the same rules as its JSON conditions

/**
 * The same nine rules for json-rules-engine 7.3.1. It has no list quantifier, so "a certification
 * is not valid" is a custom operator; the hazard lookup, which needs string concatenation, is a
 * dynamic fact (cached per run by the almanac). Facts are the context's top-level fields, passed to
 * run() as they are. Rules have distinct priorities and a success handler calls engine.stop(), so
 * the engine, which runs priority levels in order, stops at the first rule that holds, as ours does.
 * `dottedPaths` replaces the default JSONPath resolver (jsonpath-plus) with a plain property walk,
 * the fastest configuration the engine documents.
 */
function jsonRulesEngine(dottedPaths: boolean): Engine {
  const engine = new Engine([], dottedPaths ? { pathResolver: (value, path) => path.split('.').reduce<unknown>((at, key) => (at as Record<string, unknown> | undefined)?.[key], value) } : {});
  const path = (dotted: string) => (dottedPaths ? dotted : `$.${dotted}`);
  engine.addOperator('someNotValid', (certifications: readonly { valid: boolean }[], expected: boolean) => certifications.some((c) => !c.valid) === expected);
  engine.addFact('hazardFrequency', async (_params: Record<string, unknown>, almanac: Almanac) => {
    const [product, origin, tables] = await Promise.all([
      almanac.factValue<DecisionContext['product']>('product'),
      almanac.factValue<string>('origin'),
      almanac.factValue<DecisionContext['tables']>('tables'),
    ]);
    const key = `${product.category}:${origin}`;
    return Object.hasOwn(tables.hazard!, key) ? tables.hazard![key] : undefined;
  });
  const rules: RuleProperties[] = [
    { name: 'expired-certification', priority: 1000, conditions: { all: [{ fact: 'factory', path: path('expiredCertifications'), operator: 'greaterThan', value: 0 }] }, event: { type: 'expired-certification' } },
    { name: 'invalid-certification', priority: 950, conditions: { all: [{ fact: 'factory', path: path('certifications'), operator: 'someNotValid', value: true }] }, event: { type: 'invalid-certification' } },
    { name: 'customs-rejected', priority: 900, conditions: { all: [{ fact: 'customs', path: path('importStatus'), operator: 'equal', value: 'rejected' }] }, event: { type: 'customs-rejected' } },
    { name: 'supplier-discontinued', priority: 850, conditions: { all: [{ fact: 'supplier', path: path('state'), operator: 'equal', value: 'discontinued' }] }, event: { type: 'supplier-discontinued' } },
    { name: 'first-import', priority: 700, conditions: { all: [{ fact: 'merchant', path: path('stats.lotsReceived'), operator: 'equal', value: 0 }] }, event: { type: 'first-import' } },
    {
      name: 'low-pass-rate',
      priority: 600,
      conditions: {
        all: [
          { fact: 'factory', path: path('stats.lotsInspected'), operator: 'greaterThanInclusive', value: 5 },
          { fact: 'factory', path: path('stats.passRateLowerBound'), operator: 'lessThan', value: 0.9 },
        ],
      },
      event: { type: 'low-pass-rate' },
    },
    {
      name: 'hazard-table',
      priority: 500,
      conditions: {
        all: [
          { fact: 'hazardFrequency', operator: 'greaterThanInclusive', value: 0 },
          { fact: 'random', operator: 'lessThan', value: { fact: 'hazardFrequency' } },
        ],
      },
      event: { type: 'hazard-table' },
    },
    {
      name: 'near-expiry-bulk',
      priority: 400,
      conditions: {
        all: [
          { fact: 'lot', path: path('daysToExpiry'), operator: 'lessThan', value: 90 },
          { fact: 'lot', path: path('quantity'), operator: 'greaterThan', value: 1000 },
        ],
      },
      event: { type: 'near-expiry-bulk' },
    },
    { name: 'random-minimum', priority: 100, conditions: { all: [{ fact: 'random', operator: 'lessThan', value: 0.05 }] }, event: { type: 'random-minimum' } },
  ];
  for (const definition of rules) engine.addRule(definition);
  engine.on('success', () => {
    engine.stop();
  });
  return engine;
}

/** The id of the rule that decides, or 'default'. */
async function jsonRulesDecision(engine: Engine, context: DecisionContext): Promise<string> {
  const { events } = await engine.run(context as unknown as Record<string, unknown>);
  if (events.length > 1) throw new Error(`json-rules-engine fired ${events.length} rules on one lot: ${events.map((event) => event.type).join(', ')}`);
  return events[0]?.type ?? 'default';
}

// ---------------------------------------------------------------------------------------------
// Timing

interface Contender {
  readonly name: string;
  readonly decisionsPerSample: number;
  /** Runs one timed sample; resolves to its wall-clock seconds. */
  sample(): Promise<number>;
}

interface Measurement {
  readonly name: string;
  /** Seconds of each sample. */
  readonly seconds: number[];
  readonly decisionsPerSample: number;
}

const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
const rate = (m: Measurement) => m.decisionsPerSample / mean(m.seconds);

function compiledContender(name: string, compiled: CompiledRuleSet, contexts: readonly DecisionContext[], passes: number): Contender {
  let released = 0; // read below, so the verdicts cannot be optimised away
  return {
    name,
    decisionsPerSample: passes * contexts.length,
    sample: () => {
      const started = performance.now();
      for (let n = 0; n < passes; n++) for (const context of contexts) if (compiled.decide(context).ruleId === null) released++;
      const seconds = (performance.now() - started) / 1000;
      if (released === 0) throw new Error('no lot was ever released');
      return Promise.resolve(seconds);
    },
  };
}

function jsonRulesContender(name: string, engine: Engine, contexts: readonly DecisionContext[]): Contender {
  return {
    name,
    decisionsPerSample: contexts.length,
    sample: async () => {
      const started = performance.now();
      for (const context of contexts) await jsonRulesDecision(engine, context);
      return (performance.now() - started) / 1000;
    },
  };
}

/**
 * One untimed sample of each contender to warm it up, then ROUNDS rounds of one sample each, in
 * turn: the machine's load changes over a run, and interleaving lets it weigh on every contender
 * alike instead of on whichever ran while it was high.
 */
async function measure(contenders: readonly Contender[]): Promise<Measurement[]> {
  for (const contender of contenders) {
    progress(`warming up: ${contender.name}`);
    await contender.sample();
  }
  const seconds = contenders.map((): number[] => []);
  for (let round = 1; round <= ROUNDS; round++) {
    progress(`round ${round}/${ROUNDS}`);
    for (const [n, contender] of contenders.entries()) seconds[n]!.push(await contender.sample());
  }
  return contenders.map((contender, n) => ({ name: contender.name, seconds: seconds[n]!, decisionsPerSample: contender.decisionsPerSample }));
}

/** Untimed: both engines must make the same decision on every lot. Returns how often each rule decided. */
async function checkSameDecisions(compiled: readonly CompiledRuleSet[], engines: readonly Engine[], contexts: readonly DecisionContext[]): Promise<Map<string, number>> {
  const decided = new Map<string, number>();
  for (const [n, context] of contexts.entries()) {
    const [verdict, ...others] = compiled.map((set) => set.decide(context));
    if (verdict!.errors.length > 0) throw new Error(`lot ${n}: a rule failed: ${JSON.stringify(verdict!.errors)}`);
    const ours = verdict!.ruleId ?? 'default';
    for (const other of others) if ((other.ruleId ?? 'default') !== ours) throw new Error(`lot ${n}: closures decided ${ours}, cel-js ${other.ruleId ?? 'default'}`);
    for (const engine of engines) {
      const theirs = await jsonRulesDecision(engine, context);
      if (theirs !== ours) throw new Error(`lot ${n}: @traceport/sampling decided ${ours}, json-rules-engine ${theirs}; context ${JSON.stringify(context)}`);
    }
    decided.set(ours, (decided.get(ours) ?? 0) + 1);
  }
  return decided;
}

/** The in-process comparison: decisions per second of each contender over the same lots. */
export async function inEngineDecisions(): Promise<Table> {
  const load = loadavg()[0]!;
  progress(`generating ${count(CONTEXTS)} lots (untimed)`);
  const contexts = decisionContexts();
  const compileStarted = performance.now();
  const compiled = compileRuleSet(decisionRuleSet);
  const compileMs = performance.now() - compileStarted;
  const celJsOnly = compileRuleSet(decisionRuleSet, { closures: false });
  const closureRules = Object.values(compiled.evaluatedBy).filter((by) => by === 'closures').length;
  const engines = { jsonPath: jsonRulesEngine(false), dotted: jsonRulesEngine(true) };

  progress('checking that both engines decide every lot the same way (untimed)');
  const decided = await checkSameDecisions([compiled, celJsOnly], [engines.jsonPath, engines.dotted], contexts);

  const [ours, celJs, jsonPath, dotted] = (await measure([
    compiledContender('@traceport/sampling: compileRuleSet once, then decide(context) per lot', compiled, contexts, CLOSURE_PASSES),
    compiledContender('@traceport/sampling with { closures: false }: every condition evaluated by cel-js 8.0.0', celJsOnly, contexts, CEL_JS_PASSES),
    jsonRulesContender('json-rules-engine 7.3.1: await engine.run(context) per lot, default JSONPath paths', engines.jsonPath, contexts),
    jsonRulesContender('json-rules-engine 7.3.1: await engine.run(context) per lot, dotted pathResolver', engines.dotted, contexts),
  ])) as [Measurement, Measurement, Measurement, Measurement];
  const loadAtEnd = loadavg()[0]!;
  const fastestPeer = rate(dotted) > rate(jsonPath) ? dotted : jsonPath;
  const ratio = rate(ours) / rate(fastestPeer);
  const measurements = [ours, celJs, jsonPath, dotted];
  const distribution = [...decided].sort((a, b) => b[1] - a[1]).map(([ruleId, times]) => `${ruleId} ${fmt((100 * times) / contexts.length, 1)}%`);

  return {
    name: `decide ${count(CONTEXTS)} lots with the same ${decisionRuleSet.rules.length}-rule set, one thread`,
    header: ['contender', 'samples', 'decisions per sample', 'mean s', 'decisions/s', 'vs fastest json-rules-engine'],
    rows: measurements.map((m) => [m.name, String(m.seconds.length), count(m.decisionsPerSample), fmt(mean(m.seconds), 3), count(rate(m)), `${fmt(rate(m) / rate(fastestPeer))}×`]),
    notes: [
      `Every contender decides the same ${count(CONTEXTS)} pre-generated lots (seed ${SEED}); before timing, all four were checked to make the same decision on every lot. Decided by: ${distribution.join(', ')}.`,
      `Rules: ${decisionRuleSet.rules.map((r) => `\`${r.id}\``).join(', ')} (the CEL conditions are in bench/decisions.bench.ts), with a ${Object.keys(HAZARD).length}-entry category × origin hazard table. Rules are tried by descending priority and the first that holds decides; most lots are released by default, so most decisions try all ${decisionRuleSet.rules.length} rules.`,
      `Ours: each decision is a full verdict (rule, action, the values its condition read, rule errors). compileRuleSet took ${fmt(compileMs, 1)} ms for the set (once per rule set version; cached by RuleSetCache).`,
      `cel-js parses and type-checks every condition. By default a checked condition made of field reads, comparisons, && || !, table lookups and exists/all runs as compiled closures over the plain context (here ${closureRules} of ${decisionRuleSet.rules.length} rules); anything else (function calls, int arithmetic, other macros) runs in cel-js, which reads the context through BigInt views. The unit specs check the closures against cel-js value for value and error for error; the second row is the same rule set compiled with { closures: false }.`,
      'json-rules-engine: distinct priorities and engine.stop() on the first success, so it too stops at the first rule that holds; a custom operator for "a certification is not valid" and a dynamic fact for the hazard lookup (it has neither a list quantifier nor string concatenation). Each run is awaited before the next, as one consumer would.',
      `Goals: ≥ 50× json-rules-engine — ${ratio >= 50 ? 'met' : 'not met'} (${fmt(ratio, 1)}×); ≥ 100,000 decisions/s on one core — ${rate(ours) >= 100_000 ? 'met' : 'not met'} (${count(rate(ours))}/s).`,
      `Sequential, single-threaded JavaScript (V8 may use helper threads for garbage collection); ${ROUNDS} rounds, each timing one sample of every contender in turn, after one warm-up sample each. 1-minute load average ${fmt(load)} when the run started and ${fmt(loadAtEnd)} when it ended, on ${availableParallelism()} cores: other work on the machine slows every row.`,
    ],
  };
}

export const benchmarks = {
  title: 'Decisions: CEL rule evaluation vs json-rules-engine, and end to end through Kafka',
  run: async (): Promise<(Table | Bench)[]> => [await inEngineDecisions(), await endToEndDecisions()],
};

// ---------------------------------------------------------------------------------------------
// End to end: archive lots, EPCIS receiving events through the gateway, decisions over Kafka

const E2E_LOTS = 2_000;
const E2E_PRODUCTS = 40;
const EVENTS_PER_DOCUMENT = 100;

function withCheckDigit(body: string): string {
  let sum = 0;
  for (let position = 0; position < body.length; position += 1) sum += Number(body[body.length - 1 - position]) * (position % 2 === 0 ? 3 : 1);
  return `${body}${(10 - (sum % 10)) % 10}`;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

async function post(url: string, body: unknown): Promise<{ id: string; version: number } & Record<string, unknown>> {
  const response = await gatewayFetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = (await response.json()) as { record?: { id: string; version: number }; detail?: string } & Record<string, unknown>;
  if (!response.ok) throw new Error(`${url} answered ${response.status}: ${json.detail ?? ''}`);
  return (json.record ?? json) as { id: string; version: number } & Record<string, unknown>;
}

/** Runs `work` over `items` with `concurrency` in flight. */
async function pool<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < items.length) await work(items[next++]!);
  }));
}

/**
 * The same rule set published on the bench profile's platform; 2,000 lots of 40 products
 * registered through the gateway; then their receiving events captured in 100-event EPCIS
 * documents, and the clock runs until the engine has decided every lot: capture → data-service →
 * Kafka → decision engine (facts, statistics, rules, whitelists, plan, draw, outbox) → committed.
 */
export async function endToEndDecisions(): Promise<Table> {
  const profile = loadProfile('bench', new URL('..', import.meta.url).pathname.replace(/\/$/, ''));
  await stopPlatform(profile);
  await startPlatform(profile, { fresh: true });
  const database = new pg.Client({ connectionString: profile.databaseUrl });
  await database.connect();
  try {
    const base = gatewayUrl(profile);
    const draft = await post(`${base}/v1/rule-sets`, { definition: decisionRuleSet, note: 'bench' });
    await post(`${base}/v1/rule-sets/${String(draft['version'])}/publish`, {});
    progress(`end to end: registering ${count(E2E_LOTS)} lots of ${E2E_PRODUCTS} products through the gateway`);
    const merchant = await post(`${base}/v1/merchants`, { legalName: 'Bench Importer Ltd.', country: 'CN', registrationNumber: '91310000BENCH0001' });
    const brand = await post(`${base}/v1/brands`, { name: 'Bench Brand', ownerMerchantId: merchant.id });
    const factory = await post(`${base}/v1/factories`, {
      name: 'Bench Factory', country: 'VN', address: 'Bench Road 1',
      certifications: [{ type: 'ISO 22000', issuer: 'Bench Cert', number: 'B-1', validFrom: '2024-01-01', validTo: '2030-01-01' }],
    });
    const products: { id: string; gtin: string }[] = [];
    for (let n = 0; n < E2E_PRODUCTS; n += 1) {
      const gtin = withCheckDigit(`09506009${String(n).padStart(5, '0')}`);
      const product = await post(`${base}/v1/products`, {
        gtin, name: `Bench product ${n}`, brandId: brand.id, factoryId: factory.id,
        category: CATEGORIES[n % CATEGORIES.length], hsCode: '190110', originCountry: ORIGINS[n % ORIGINS.length],
      });
      products.push({ id: product.id, gtin });
    }
    const lots = Array.from({ length: E2E_LOTS }, (_, n) => ({ product: products[n % products.length]!, lotNumber: `BENCH${n}`, quantity: 200 + (n % 50) * 100 }));
    await pool(lots, 8, async (lot) => {
      await post(`${base}/v1/lots`, { productId: lot.product.id, lotNumber: lot.lotNumber, quantity: lot.quantity, productionDate: '2026-09-01', expiryDate: '2028-09-01' });
    });
    // The engine's copy of the archive must hold every lot, or receipts would be parked instead of decided.
    for (;;) {
      const { rows } = await database.query(`SELECT count(*)::int AS "n" FROM "decision_engine"."archive_projection" WHERE "record_type" = 'archive.lot'`);
      if ((rows[0] as { n: number }).n >= E2E_LOTS) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }

    progress(`end to end: capturing ${count(E2E_LOTS)} receiving events in ${E2E_LOTS / EVENTS_PER_DOCUMENT} documents`);
    const documents = Array.from({ length: E2E_LOTS / EVENTS_PER_DOCUMENT }, (_, d) =>
      JSON.stringify({
        '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
        type: 'EPCISDocument',
        schemaVersion: '2.0',
        creationDate: new Date().toISOString(),
        epcisBody: {
          eventList: lots.slice(d * EVENTS_PER_DOCUMENT, (d + 1) * EVENTS_PER_DOCUMENT).map((lot) => ({
            type: 'ObjectEvent',
            eventID: `urn:uuid:${crypto.randomUUID()}`,
            eventTime: new Date().toISOString(),
            eventTimeZoneOffset: '+08:00',
            quantityList: [{ epcClass: `https://id.gs1.org/01/${lot.product.gtin}/10/${lot.lotNumber}`, quantity: lot.quantity, uom: 'EA' }],
            action: 'OBSERVE',
            bizStep: 'receiving',
            disposition: 'in_progress',
          })),
        },
      }),
    );
    const started = performance.now();
    await pool(documents, 4, async (document) => {
      const response = await gatewayFetch(`${base}/epcis/capture`, { method: 'POST', headers: { 'content-type': 'application/ld+json' }, body: document });
      if (response.status !== 202) throw new Error(`capture answered ${response.status}: ${await response.text()}`);
    });
    const captured = performance.now();
    let decided = 0;
    while (decided < E2E_LOTS) {
      const { rows } = await database.query(`SELECT count(*)::int AS "n" FROM "decision_engine"."decisions"`);
      decided = (rows[0] as { n: number }).n;
      if (performance.now() - started > 600_000) throw new Error(`only ${decided} of ${E2E_LOTS} lots decided after 10 minutes`);
      if (decided < E2E_LOTS) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const finished = performance.now();
    // The engine's own histogram: time inside the decision (reads, rules, plan, writes), not queueing.
    const metricsText = await (await fetch(`http://127.0.0.1:${profile.ports.decisionEngineHttp}/metrics`)).text();
    const metric = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+-]+)$`, 'm').exec(metricsText)?.[1] ?? Number.NaN);
    const inEngineMs = (metric('traceport_lot_decision_seconds_sum') / metric('traceport_lot_decision_seconds_count')) * 1000;
    const { rows: latencyRows } = await database.query(
      `SELECT extract(epoch FROM d."decided_at" - e."record_time") * 1000 AS "ms"
       FROM "decision_engine"."decisions" d JOIN "data_service"."epcis_events" e ON e."event_id" = d."record"->>'receivedEventId'`,
    );
    const latencies = (latencyRows as { ms: string }[]).map((row) => Number(row.ms)).sort((a, b) => a - b);
    const { rows: outcomeRows } = await database.query(`SELECT "initial_outcome" AS "outcome", count(*)::int AS "n" FROM "decision_engine"."decisions" GROUP BY 1 ORDER BY 1`);
    const seconds = (finished - started) / 1000;
    return {
      name: `End to end through Kafka: ${count(E2E_LOTS)} lots received → decided (bench profile, one engine instance)`,
      header: ['measure', 'value'],
      rows: [
        ['decisions/s (first capture → last decision committed)', fmt(E2E_LOTS / seconds, 0)],
        ['capture of all receiving events (s)', fmt((captured - started) / 1000)],
        ['all lots decided (s)', fmt(seconds)],
        ['receipt recorded → decision committed, p50 / p95 / p99 (ms)', `${fmt(percentile(latencies, 50), 0)} / ${fmt(percentile(latencies, 95), 0)} / ${fmt(percentile(latencies, 99), 0)}`],
        ['time inside the engine per decision, mean (ms)', fmt(inEngineMs)],
        ['outcomes', (outcomeRows as { outcome: string; n: number }[]).map((row) => `${row.outcome} ${count(row.n)}`).join(', ')],
      ],
      notes: [
        'The whole platform runs on this machine (Kafka, PostgreSQL, chain, four services), so the engine shares the two cores with the data-service capturing and the ledger anchoring.',
        'Each decision reads the lot\'s archive facts and statistics, runs the rules, applies whitelists and the switching state, draws the sample, and commits the decision, its order and its anchorable record in one transaction per event.',
        `Load average at the end: ${loadavg().map((value) => value.toFixed(2)).join(' ')} on ${availableParallelism()} cores.`,
      ],
    };
  } finally {
    await database.end();
    await stopPlatform(profile);
  }
}
