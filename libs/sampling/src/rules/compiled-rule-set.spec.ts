import { Environment } from '@marcbachmann/cel-js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_ACTION_DESCRIPTION } from './compiled-rule-set.js';
import { aDecisionContext, aRandomDecisionContext, aRule, aRuleSet, certification, seededRandom, statistics } from './decision-context.fixture.js';
import { compileRuleSet } from './rule-condition.compiler.js';
import type { RuleDefinition, RuleSetDefinition } from './rule-set-definition.js';

/** Check frequencies by category × origin, in the style of the annexes of EU Implementing Regulation 2019/1793. */
const hazard = { 'dried-fruit:TR': 0.2, 'spices:IN': 0.3, 'spices:BD': 0.3, 'food-contact:CN': 0.2, 'toys:CN': 0.1 };

/** What operators write: each kind of rule once, at the priorities they would give them. */
const operatorRules: RuleDefinition[] = [
  aRule('expired-certification', 1000, 'factory.expiredCertifications > 0', { kind: 'hold' }),
  aRule('invalid-certification', 950, 'factory.certifications.exists(c, !c.valid)', { kind: 'hold' }),
  aRule('first-import', 700, 'merchant.stats.lotsReceived == 0', { kind: 'inspect', level: 'II', aql: 1 }),
  aRule('low-pass-rate', 600, 'factory.stats.lotsInspected >= 5 && factory.stats.passRateLowerBound < 0.9', { kind: 'inspect', level: 'III', aql: 1 }),
  aRule(
    'hazard-table',
    500,
    "(product.category + ':' + origin) in tables.hazard && random < tables.hazard[product.category + ':' + origin]",
    { kind: 'inspect', level: 'II', aql: 2.5 },
  ),
  aRule('random-minimum', 100, 'random < 0.05', { kind: 'inspect', level: 'I', aql: 2.5 }),
];
const operatorRuleSet: RuleSetDefinition = aRuleSet(operatorRules, { tables: { hazard } });
const compiled = compileRuleSet(operatorRuleSet);
const withHazard = { tables: { hazard } };

describe('CompiledRuleSet.decide: the rules operators write', () => {
  it('releases an unremarkable lot by the default action', () => {
    const verdict = compiled.decide(aDecisionContext(withHazard));
    expect(verdict).toEqual({ ruleId: null, action: { kind: 'release' }, description: DEFAULT_ACTION_DESCRIPTION, seen: {}, errors: [] });
  });

  it("always inspects a merchant's first import", () => {
    const verdict = compiled.decide(aDecisionContext({ ...withHazard, merchant: { stats: statistics({ lotsReceived: 0, lotsInspected: 0, passed: 0, passRate: 0, passRateLowerBound: 0 }) } }));
    expect(verdict).toMatchObject({ ruleId: 'first-import', action: { kind: 'inspect', level: 'II', aql: 1 }, seen: { 'merchant.stats.lotsReceived': 0 } });
    expect(compiled.decide(aDecisionContext({ ...withHazard, merchant: { stats: { lotsReceived: 1 } } })).ruleId).toBeNull();
  });

  it('selects a minimum share of lots at random, reproducibly from the seed-derived number', () => {
    // Made in Germany: no hazard-table entry, so only the random rule can select it.
    const german = { ...withHazard, product: { originCountry: 'DE' }, origin: 'DE' };
    expect(compiled.decide(aDecisionContext({ ...german, random: 0.0499 }))).toMatchObject({ ruleId: 'random-minimum', seen: { random: 0.0499 } });
    expect(compiled.decide(aDecisionContext({ ...german, random: 0.05 })).ruleId).toBeNull();
  });

  describe('category × origin hazard table', () => {
    const lot = (category: string, origin: string, random: number) => aDecisionContext({ ...withHazard, product: { category, originCountry: origin }, origin, random });

    it('checks a listed pair at its frequency', () => {
      expect(compiled.decide(lot('spices', 'IN', 0.29))).toMatchObject({
        ruleId: 'hazard-table',
        action: { kind: 'inspect', level: 'II', aql: 2.5 },
        seen: { 'product.category': 'spices', origin: 'IN', 'tables.hazard["spices:IN"]': 0.3, random: 0.29 },
      });
      expect(compiled.decide(lot('spices', 'IN', 0.31)).ruleId).toBeNull();
      expect(compiled.decide(lot('dried-fruit', 'TR', 0.19)).ruleId).toBe('hazard-table');
    });

    it('leaves an unlisted pair to the other rules, without an error', () => {
      const verdict = compiled.decide(lot('spices', 'DE', 0.06));
      expect(verdict).toMatchObject({ ruleId: null, errors: [] });
    });
  });

  it('tightens the plan for a factory whose pass-rate lower bound is below the threshold', () => {
    const weak = statistics({ lotsReceived: 40, lotsInspected: 8, passed: 7, failed: 1, passRate: 0.875, passRateLowerBound: 0.5291 });
    expect(compiled.decide(aDecisionContext({ ...withHazard, factory: { stats: weak } }))).toMatchObject({
      ruleId: 'low-pass-rate',
      action: { kind: 'inspect', level: 'III', aql: 1 },
      seen: { 'factory.stats.lotsInspected': 8, 'factory.stats.passRateLowerBound': 0.5291 },
    });
    // Too few inspections for the bound to mean much: not tightened yet.
    const young = statistics({ lotsReceived: 6, lotsInspected: 4, passed: 4, failed: 0, passRate: 1, passRateLowerBound: 0.5101 });
    expect(compiled.decide(aDecisionContext({ ...withHazard, factory: { stats: young } })).ruleId).toBeNull();
  });

  it('holds a lot whose factory has an expired certification', () => {
    const expired = certification({ validTo: '2025-03-31', valid: false });
    const verdict = compiled.decide(aDecisionContext({ ...withHazard, factory: { certifications: [certification(), expired], expiredCertifications: 1 } }));
    expect(verdict).toMatchObject({ ruleId: 'expired-certification', action: { kind: 'hold' }, seen: { 'factory.expiredCertifications': 1 } });
  });

  it('holds a lot whose factory has a certification not valid today, by a quantifier over the list', () => {
    const suspended = certification({ type: 'BSCI', valid: false });
    const verdict = compiled.decide(aDecisionContext({ ...withHazard, factory: { certifications: [certification(), suspended] } }));
    expect(verdict).toMatchObject({ ruleId: 'invalid-certification', action: { kind: 'hold' } });
    expect(verdict.seen).toEqual({ 'factory.certifications': [certification(), suspended] });
  });

  it('lets the highest-priority rule that holds decide', () => {
    const everything = aDecisionContext({
      ...withHazard,
      merchant: { stats: { lotsReceived: 0 } },
      factory: { expiredCertifications: 2, stats: { lotsInspected: 9, passRateLowerBound: 0.4 } },
      random: 0.01,
    });
    expect(compiled.decide(everything).ruleId).toBe('expired-certification');
    expect(compiled.decide({ ...everything, factory: { ...everything.factory, expiredCertifications: 0 } }).ruleId).toBe('first-import');
  });

  it('breaks priority ties by the order the rules are listed', () => {
    const tied = compileRuleSet(aRuleSet([aRule('listed-first', 5, 'random < 0.5'), aRule('listed-second', 5, 'random < 0.9')]));
    expect(tied.decide(aDecisionContext({ random: 0.1 })).ruleId).toBe('listed-first');
    expect(tied.decide(aDecisionContext({ random: 0.7 })).ruleId).toBe('listed-second');
  });

  it('applies a default action other than release', () => {
    const cautious = compileRuleSet(aRuleSet([aRule('trusted', 1, "merchant.id == 'merchant-9'", { kind: 'release' })], { defaultAction: { kind: 'inspect-all' } }));
    expect(cautious.decide(aDecisionContext()).action).toEqual({ kind: 'release' });
    expect(cautious.decide(aDecisionContext({ merchant: { id: 'merchant-10' } }))).toMatchObject({ ruleId: null, action: { kind: 'inspect-all' } });
  });
});

describe('CompiledRuleSet.decide: rules outside the compiled fast path (evaluated by cel-js)', () => {
  const decide = (condition: string, context = aDecisionContext()) =>
    compileRuleSet(aRuleSet([aRule('under-test', 1, condition)], { tables: { hazard } })).decide(context);

  it.each([
    ['a string function', "product.hsCode.startsWith('9503')", true],
    ['size of a list', 'size(factory.certifications) < 2', false],
    ['int arithmetic', 'factory.stats.failed * 100 > factory.stats.lotsInspected', true],
    ['converted counts', 'double(factory.stats.failed) / double(factory.stats.lotsInspected) > 0.01', true],
    ['exists_one', "factory.certifications.exists_one(c, c.type == 'BSCI')", true],
    ['has() on a field', 'has(lot.quantity)', true],
    ['a bound value', "cel.bind(key, product.category + ':' + origin, key in tables.hazard && random < tables.hazard[key] + 0.4)", true],
  ])('%s: %s', (_, condition, holds) => {
    const verdict = decide(condition);
    expect(verdict.errors).toEqual([]);
    expect(verdict.ruleId).toBe(holds ? 'under-test' : null);
  });

  it('records what a cel-js rule read', () => {
    expect(decide('factory.stats.failed * 100 > factory.stats.lotsInspected').seen).toEqual({ 'factory.stats.failed': 1, 'factory.stats.lotsInspected': 62 });
  });
});

describe('CompiledRuleSet.decide: seen', () => {
  const seenBy = (condition: string, context = aDecisionContext()) =>
    compileRuleSet(aRuleSet([aRule('under-test', 1, condition)], { tables: { hazard } })).decide(context).seen;

  it('names each value once, by dotted path, JSON-safe', () => {
    const seen = seenBy('lot.quantity > 1000 && lot.quantity < 5000 && factory.stats.passRateLowerBound > 0.9');
    expect(seen).toEqual({ 'lot.quantity': 2400, 'factory.stats.passRateLowerBound': 0.9142 });
    expect(JSON.parse(JSON.stringify(seen))).toEqual(seen);
  });

  it('records a table entry by its computed key, and null for an absent one', () => {
    expect(seenBy("tables.hazard[product.category + ':' + origin] > 0.05")).toEqual({ 'tables.hazard["toys:CN"]': 0.1, 'product.category': 'toys', origin: 'CN' });
    expect(seenBy("!((product.category + ':DE') in tables.hazard)")).toEqual({ 'tables.hazard["toys:DE"]': null, 'product.category': 'toys' });
    expect(seenBy("tables.hazard['spices:IN'] > 0.05")).toEqual({ 'tables.hazard["spices:IN"]': 0.3 });
  });

  it('does not take iteration or bound variables for context values', () => {
    expect(seenBy("factory.certifications.exists(lot, lot.issuer == 'amfori')")).toEqual({ 'factory.certifications': aDecisionContext().factory.certifications });
    expect(seenBy('cel.bind(random, 2.0, random < lot.quantity)')).toEqual({ 'lot.quantity': 2400 });
  });
});

describe('CompiledRuleSet.decide: a condition that fails at run time', () => {
  const withError = compileRuleSet(
    aRuleSet([aRule('needs-key', 9, "tables.hazard[product.category + ':' + origin] > 0.05", { kind: 'hold' }), aRule('fallback', 1, 'random < 0.5')], { tables: { hazard } }),
  );

  it('does not hold: the next rule decides, and the failure is named in the verdict', () => {
    const verdict = withError.decide(aDecisionContext({ ...withHazard, product: { category: 'cosmetics' }, random: 0.2 }));
    expect(verdict).toMatchObject({ ruleId: 'fallback', errors: [{ ruleId: 'needs-key', message: 'No such key: cosmetics:CN' }] });
    expect(withError.decide(aDecisionContext({ ...withHazard, product: { category: 'cosmetics' }, random: 0.7 }))).toMatchObject({ ruleId: null, errors: [{ ruleId: 'needs-key' }] });
  });

  it('is absorbed where CEL absorbs it: a side of && or || that decides alone', () => {
    const guarded = compileRuleSet(aRuleSet([aRule('guarded', 1, "random < 0.5 || tables.hazard['cosmetics:CN'] > 0.1")], { tables: { hazard } }));
    expect(guarded.decide(aDecisionContext({ ...withHazard, random: 0.2 }))).toMatchObject({ ruleId: 'guarded', errors: [] });
    expect(guarded.decide(aDecisionContext({ ...withHazard, random: 0.7 }))).toMatchObject({ ruleId: null, errors: [{ ruleId: 'guarded', message: 'No such key: cosmetics:CN' }] });
  });

  it('names a malformed context value (a fractional count) instead of crashing the decision', () => {
    const verdict = compiled.decide(aDecisionContext({ ...withHazard, merchant: { stats: { lotsReceived: 2.5 } } }));
    expect(verdict.errors).toEqual([{ ruleId: 'first-import', message: "Field 'lotsReceived' is not of type 'int', got 'double'" }]);
  });
});

describe('CompiledRuleSet.decide: closures and cel-js', () => {
  it('runs the rules operators write as closures, and the rest in cel-js', () => {
    const mixed = compileRuleSet(aRuleSet([...operatorRules, aRule('string-function', 1, "product.hsCode.startsWith('9503')")], { tables: { hazard } }));
    expect(mixed.evaluatedBy).toEqual({ ...Object.fromEntries(operatorRules.map((rule) => [rule.id, 'closures'])), 'string-function': 'cel-js' });
    expect(Object.values(compileRuleSet(operatorRuleSet, { closures: false }).evaluatedBy)).toEqual(operatorRules.map(() => 'cel-js'));
  });

  it('decides 2,000 random lots exactly as cel-js alone does: rule, action, seen and errors', () => {
    const rules = [
      ...operatorRules,
      aRule('needs-key', 800, "tables.hazard[product.category + ':' + origin] > 0.25", { kind: 'hold' }),
      aRule('many-certifications', 50, 'size(factory.certifications) > 2 && lot.quantity >= 1000', { kind: 'inspect-all' }),
    ];
    const definition = aRuleSet(rules, { tables: { hazard } });
    const [fast, reference] = [compileRuleSet(definition), compileRuleSet(definition, { closures: false })];
    const random = seededRandom(2019);
    const decided = new Set<string | null>();
    for (let n = 0; n < 2_000; n++) {
      const context = { ...aRandomDecisionContext(random), tables: { hazard } };
      const verdict = fast.decide(context);
      expect(verdict, `lot ${n}`).toEqual(reference.decide(context));
      decided.add(verdict.ruleId);
    }
    expect(decided).toEqual(new Set([null, ...rules.map((rule) => rule.id)]));
  });
});

describe('CompiledRuleSet: compiled once', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('never parses, type-checks or evaluates through the environment when deciding', () => {
    const parse = vi.spyOn(Environment.prototype, 'parse');
    const check = vi.spyOn(Environment.prototype, 'check');
    const evaluate = vi.spyOn(Environment.prototype, 'evaluate');
    const withFallback = compileRuleSet({ ...operatorRuleSet, rules: [...operatorRules, aRule('cel-js', 1, 'size(factory.certifications) > 5')] });
    expect(parse).toHaveBeenCalled();
    parse.mockClear();
    for (let n = 0; n < 1_000; n++) withFallback.decide(aDecisionContext({ ...withHazard, random: n / 1_000 }));
    expect(parse).not.toHaveBeenCalled();
    expect(check).not.toHaveBeenCalled();
    expect(evaluate).not.toHaveBeenCalled();
  });
});
