import type { CertificationFacts, DecisionContext, PartyStatistics } from './decision-context.js';
import type { RuleDefinition, RuleSetDefinition } from './rule-set-definition.js';

// Spec helper: realistic decision contexts and rules, for the rule specs.

type Overrides<T> = { readonly [K in keyof T]?: T[K] extends readonly unknown[] ? T[K] : T[K] extends object ? Overrides<T[K]> : T[K] };

export const statistics = (overrides: Partial<PartyStatistics> = {}): PartyStatistics => ({
  lotsReceived: 48,
  lotsInspected: 12,
  passed: 12,
  failed: 0,
  passRate: 1,
  passRateLowerBound: 0.7575,
  ...overrides,
});

export const certification = (overrides: Partial<CertificationFacts> = {}): CertificationFacts => ({
  type: 'ISO 9001',
  issuer: 'TÜV SÜD',
  number: 'QM-2024-0117',
  validFrom: '2024-02-01',
  validTo: '2027-01-31',
  valid: true,
  ...overrides,
});

/**
 * A lot of wooden toys from a Chinese factory with a clean record, received on 2025-06-02 at
 * Hamburg by a German merchant's 49th import; nothing about it should stop it. Overrides replace
 * fields at any depth (lists as a whole).
 */
export function aDecisionContext(overrides: Overrides<DecisionContext> = {}): DecisionContext {
  const base: DecisionContext = {
    lot: { id: 'lot-7f3a', lotNumber: 'WT2505A', quantity: 2400, productionDate: '2025-05-12', expiryDate: '2030-05-11', daysToExpiry: 1804 },
    product: { id: 'product-12', gtin: '09506000134352', name: 'Wooden stacking rings', category: 'toys', hsCode: '950300', originCountry: 'CN' },
    brand: { id: 'brand-3', name: 'Holzwerk' },
    merchant: { id: 'merchant-9', legalName: 'Spielwaren Nord GmbH', country: 'DE', stats: statistics() },
    factory: {
      id: 'factory-41',
      name: 'Ningbo Yinzhou Wooden Toys Co.',
      country: 'CN',
      certifications: [certification(), certification({ type: 'BSCI', issuer: 'amfori', number: 'BSCI-88213' })],
      expiredCertifications: 0,
      stats: statistics({ lotsReceived: 310, lotsInspected: 62, passed: 61, failed: 1, passRate: 0.9839, passRateLowerBound: 0.9142 }),
    },
    origin: 'CN',
    category: { name: 'toys', stats: statistics({ lotsReceived: 5210, lotsInspected: 830, passed: 801, failed: 29, passRate: 0.9651, passRateLowerBound: 0.9503 }) },
    customs: { exportDeclared: true, importDeclared: true, importStatus: 'declared', port: 'Hamburg', quarantineCertificateNumber: '' },
    supplier: { state: 'normal' },
    random: 0.4172,
    today: '2025-06-02',
    tables: { hazard: { 'toys:CN': 0.1, 'spices:IN': 0.3, 'dried-fruit:TR': 0.2 } },
  };
  return merge(base, overrides);
}

function merge<T>(base: T, overrides: Overrides<T>): T {
  const merged = { ...base } as Record<string, unknown>;
  for (const [key, value] of Object.entries(overrides)) {
    const current = merged[key];
    const nested = value !== null && typeof value === 'object' && !Array.isArray(value) && current !== null && typeof current === 'object' && !Array.isArray(current);
    // A table is replaced as a whole: its keys are data, not a shape to merge into.
    merged[key] = nested && key !== 'tables' ? merge(current, value as Overrides<unknown>) : value;
  }
  return merged as T;
}

/** A rule with the fields a condition spec does not care about filled in. */
export const aRule = (id: string, priority: number, condition: string, action: RuleDefinition['action'] = { kind: 'hold' }): RuleDefinition => ({
  id,
  priority,
  condition,
  action,
  description: `Rule ${id}.`,
  owner: 'sampling-specs',
});

/** A rule set releasing by default, without tables unless given. */
export const aRuleSet = (rules: RuleDefinition[], overrides: Partial<RuleSetDefinition> = {}): RuleSetDefinition => ({
  rules,
  defaultAction: { kind: 'release' },
  inspectionAgency: 'Bonded Warehouse Inspection Agency',
  tables: {},
  ...overrides,
});

/** A seeded generator (mulberry32), so property-style specs are reproducible. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** A context with every field drawn at random around the values rules test (small counts, rates near thresholds, some table misses). */
export function aRandomDecisionContext(random: () => number): DecisionContext {
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
  const count = (max: number) => Math.floor(random() * max);
  const stats = (): PartyStatistics => {
    const lotsReceived = random() < 0.2 ? 0 : 1 + count(40);
    const lotsInspected = Math.min(lotsReceived, count(12));
    const failed = count(Math.min(3, lotsInspected + 1));
    return statistics({ lotsReceived, lotsInspected, passed: lotsInspected - failed, failed, passRate: pick([0, 1, random()]), passRateLowerBound: pick([0, 0.5, 0.89, 0.9, 0.91, random()]) });
  };
  return aDecisionContext({
    lot: { quantity: pick([0, 999, 1000, 1001, count(5000)]), daysToExpiry: pick([-3, 0, 29, 30, 89, 90, count(900)]), lotNumber: pick(['WT2505A', 'X-1', '']) },
    product: { category: pick(['toys', 'spices', 'dried-fruit', 'cosmetics', '']) },
    merchant: { stats: stats() },
    factory: {
      certifications: Array.from({ length: count(4) }, () => certification({ valid: random() < 0.8, validTo: pick(['2024-12-31', '2025-06-02', '2027-01-31']) })),
      expiredCertifications: count(3),
      stats: stats(),
    },
    origin: pick(['CN', 'IN', 'TR', 'DE', '']),
    customs: { importStatus: pick(['', 'declared', 'under-inspection', 'cleared', 'rejected']), importDeclared: random() < 0.7, quarantineCertificateNumber: pick(['', 'Q-1']) },
    supplier: { state: pick(['normal', 'tightened', 'reduced', 'discontinued']) },
    random: pick([0, 0.05, random(), random()]),
  });
}
