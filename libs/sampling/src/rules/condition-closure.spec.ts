import { describe, expect, it } from 'vitest';
import { celContextOf, celEnvironment } from './cel-environment.js';
import { closureOf } from './condition-closure.js';
import type { DecisionContext } from './decision-context.js';
import { aRandomDecisionContext, seededRandom } from './decision-context.fixture.js';

/** Parsed and type-checked, as the compiler does before either evaluator sees a condition. */
function checked(condition: string) {
  const parsed = celEnvironment.parse(condition);
  const result = parsed.check();
  if (!result.valid) throw new Error(`${condition}: ${result.error?.message ?? 'invalid'}`);
  return parsed;
}

type Outcome = { readonly value: unknown } | { readonly error: string };

function outcome(run: () => unknown): Outcome {
  try {
    return { value: run() };
  } catch (error) {
    const summary = (error as { summary?: unknown }).summary;
    return { error: typeof summary === 'string' ? summary : String(error) };
  }
}

/** Conditions in the compiled subset, with errors where they matter (table misses inside &&, ||, quantifiers). */
const fastConditions = [
  'merchant.stats.lotsReceived == 0',
  'random < 0.05',
  'lot.quantity > 1000',
  'lot.quantity > 1000.5',
  'lot.quantity <= 999',
  'lot.daysToExpiry < -1',
  '-lot.daysToExpiry > 0',
  'factory.stats.passRate >= 1',
  'factory.stats.lotsInspected >= 5 && factory.stats.passRateLowerBound < 0.9',
  'factory.expiredCertifications > 0 || customs.importStatus == "rejected"',
  "(product.category + ':' + origin) in tables.hazard && random < tables.hazard[product.category + ':' + origin]",
  "random < tables.hazard[product.category + ':' + origin]",
  "random < tables.hazard[product.category + ':' + origin] || random < 0.05",
  "tables.hazard[product.category + ':' + origin] > 0.1 && random < 0.05",
  'tables.hazard[product.category] > 0.1 || tables.hazard[origin] > 0.1',
  "tables['hazard']['spices:IN'] > random",
  "tables.hazard['toys:CN'] * 2.0 - random / 3.0 + 0.1 > 0.25",
  'factory.certifications.exists(c, !c.valid)',
  'factory.certifications.all(c, c.validTo >= today)',
  'factory.certifications.exists(c, tables.hazard[c.type] > 0.1)',
  'factory.certifications.all(c, tables.hazard[c.type] > 0.1 || c.valid)',
  'factory.certifications.exists(c, factory.certifications.all(d, d.validTo >= c.validTo))',
  'factory.certifications.exists(lot, lot.valid) && lot.quantity > 10',
  "origin in ['CN', 'VN', 'BD'] && !(supplier.state in ['normal', 'reduced'])",
  "supplier.state == 'tightened' ? random < 0.5 : random < 0.1",
  'customs.importDeclared == true && customs.quarantineCertificateNumber == ""',
  'customs.importDeclared != customs.exportDeclared',
  'false < customs.importDeclared',
  "lot.lotNumber < 'X' && product.category != ''",
  'true',
];

/** Conditions the closures leave to cel-js. */
const celJsConditions = [
  'has(lot.quantity)',
  'size(factory.certifications) > 1',
  "product.hsCode.startsWith('9503')",
  'factory.stats.failed * 10 > factory.stats.lotsInspected',
  'double(factory.stats.failed) > 0.5',
  "factory.certifications.exists_one(c, c.type == 'BSCI')",
  'factory.certifications.map(c, c.valid).exists(v, !v)',
  "cel.bind(key, product.category + ':' + origin, key in tables.hazard)",
  'lot.quantity % 2 == 0',
];

describe('closureOf', () => {
  it.each(fastConditions)('compiles %s', (condition) => {
    expect(closureOf(checked(condition).ast)).toBeDefined();
  });

  it.each(celJsConditions)('leaves %s to cel-js', (condition) => {
    expect(closureOf(checked(condition).ast)).toBeUndefined();
  });

  // The closures reimplement CEL for their subset, so cel-js itself is the reference.
  it.each(fastConditions)('agrees with cel-js, value or error, on 400 random contexts: %s', (condition) => {
    const parsed = checked(condition);
    const { run, frame } = closureOf(parsed.ast)!;
    const random = seededRandom(1793);
    const outcomes = new Set<string>();
    for (let n = 0; n < 400; n++) {
      const context: DecisionContext = aRandomDecisionContext(random);
      const expected = outcome(() => parsed(celContextOf(context)));
      expect(outcome(() => run(context, frame)), `context ${n}: ${JSON.stringify(context)}`).toEqual(expected);
      outcomes.add(JSON.stringify(expected));
    }
    // The contexts vary enough for every condition to take more than one outcome (except the constant).
    if (condition !== 'true') expect(outcomes.size).toBeGreaterThan(1);
  });

  it('reports a value of the wrong type as cel-js does', () => {
    const context = aRandomDecisionContext(seededRandom(1));
    const { run, frame } = closureOf(checked('lot.quantity > 10').ast)!;
    expect(outcome(() => run({ ...context, lot: { ...context.lot, quantity: '12' as unknown as number } }, frame))).toEqual({ error: "Field 'quantity' is not of type 'int', got 'string'" });
    expect(outcome(() => run({ ...context, lot: undefined as never }, frame))).toEqual({ error: 'Unknown variable: lot' });
  });
});
