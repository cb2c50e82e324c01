import { describe, expect, it } from 'vitest';
import { aRule, aRuleSet } from './decision-context.fixture.js';
import { compileRuleSet, validateRuleSet } from './rule-condition.compiler.js';
import type { RuleDefinition, RuleSetDefinition } from './rule-set-definition.js';
import { RuleSetInvalidException } from './rule-set-invalid.exception.js';

const ruleSet = (rules: RuleDefinition[], tables: RuleSetDefinition['tables'] = { hazard: { 'toys:CN': 0.1 } }): RuleSetDefinition => aRuleSet(rules, { tables });
const problemsOf = (condition: string) => validateRuleSet(ruleSet([aRule('under-test', 1, condition)]));

describe('validateRuleSet', () => {
  it.each([
    ['an int count against an int', 'lot.quantity > 1000'],
    ['an int count against a double', 'lot.quantity > 1000.5'],
    ['a count equal to zero', 'merchant.stats.lotsReceived == 0'],
    ['a rate against a double', 'factory.stats.passRateLowerBound < 0.9'],
    ['a rate against an int', 'factory.stats.passRate >= 1'],
    ['the random number', 'random < 0.05'],
    ['a table entry by a concatenated key', "(product.category + ':' + origin) in tables.hazard && random < tables.hazard[product.category + ':' + origin]"],
    ['a table by bracket name', "tables['hazard']['toys:CN'] > 0.0"],
    ['a quantifier over certifications', 'factory.certifications.exists(c, !c.valid)'],
    ['dates compared as text', 'factory.certifications.all(c, c.validTo >= today)'],
    ['a string function', "product.hsCode.startsWith('9503')"],
    ['int arithmetic', 'factory.stats.failed * 10 > factory.stats.lotsInspected'],
    ['double arithmetic on converted counts', 'double(factory.stats.failed) / double(factory.stats.lotsInspected) > 0.1'],
    ['membership in a literal list', "origin in ['CN', 'VN', 'BD']"],
    ['a ternary', "supplier.state == 'tightened' ? random < 0.5 : random < 0.1"],
    ['a bound value', "cel.bind(key, product.category + ':' + origin, key in tables.hazard)"],
  ])('accepts %s: %s', (_, condition) => {
    expect(problemsOf(condition)).toEqual([]);
  });

  it('rejects comparing an int with a string, at the comparison', () => {
    expect(problemsOf('lot.quantity > "x"')).toEqual([{ ruleId: 'under-test', field: 'condition', message: 'no such overload: int > string', line: 1, column: 1 }]);
  });

  it('rejects an unknown field, at the field, naming the fields there are', () => {
    expect(problemsOf('lot.nope')).toEqual([
      { ruleId: 'under-test', field: 'condition', message: 'No such key: nope (Lot has id, lotNumber, quantity, productionDate, expiryDate, daysToExpiry)', line: 1, column: 5 },
    ]);
  });

  it('rejects an unknown field of a list element inside a quantifier', () => {
    expect(problemsOf('factory.certifications.exists(c, c.expired)')).toEqual([
      expect.objectContaining({ message: 'No such key: expired (Certification has type, issuer, number, validFrom, validTo, valid)', line: 1, column: 36 }),
    ]);
  });

  it('rejects an unknown variable, naming the variables there are', () => {
    const [problem] = problemsOf('lot.quantity > 10 && shipment.weight > 3.0');
    expect(problem).toMatchObject({ line: 1, column: 22 });
    expect(problem!.message).toBe('Unknown variable: shipment (the variables are lot, product, brand, merchant, factory, origin, category, customs, supplier, random, today, tables)');
  });

  it('rejects a syntax error where the parser stopped', () => {
    expect(problemsOf('random < 0.05 &&')).toEqual([{ ruleId: 'under-test', field: 'condition', message: 'Unexpected token: EOF', line: 1, column: 17 }]);
    expect(problemsOf("supplier.state == 'normal")).toEqual([expect.objectContaining({ message: expect.stringMatching(/unterminated|string/i), line: 1 })]);
  });

  it('rejects a condition that is not a bool', () => {
    expect(problemsOf('lot.quantity + 1')).toEqual([
      { ruleId: 'under-test', field: 'condition', message: 'a condition must be a bool (true or false), but this one is int', line: 1, column: 1 },
    ]);
    expect(problemsOf("tables.hazard['toys:CN']")).toEqual([expect.objectContaining({ message: expect.stringContaining('but this one is double') })]);
  });

  it('rejects mixing int and double in arithmetic, with a hint', () => {
    const [problem] = problemsOf('lot.quantity * 0.5 > 100.0');
    expect(problem!.message).toMatch(/^no such overload: int \* double \(CEL compares int with double but does not mix them/);
  });

  it('rejects comparing a count with a double for equality (CEL has no int == double)', () => {
    expect(problemsOf('merchant.stats.lotsReceived == 0.0')[0]!.message).toMatch(/^no such overload: int == double/);
  });

  it('locates an error on a later line of a multi-line condition', () => {
    const condition = ['factory.stats.lotsInspected >= 5', '  && factory.stats.passRateLowerBound < "0.9"'].join('\n');
    expect(problemsOf(condition)).toEqual([{ ruleId: 'under-test', field: 'condition', message: 'no such overload: double < string', line: 2, column: 6 }]);
  });

  it('rejects a table the rule set does not define, at its name', () => {
    expect(problemsOf("random < tables.hazards['toys:CN']")).toEqual([
      { ruleId: 'under-test', field: 'condition', message: 'Unknown table: hazards (this rule set has hazard)', line: 1, column: 17 },
    ]);
    expect(validateRuleSet(ruleSet([aRule('under-test', 1, "'toys:CN' in tables.hazard")], {}))).toEqual([
      expect.objectContaining({ message: 'Unknown table: hazard (this rule set has no tables)' }),
    ]);
  });

  it('reports every invalid rule, in the order they are listed', () => {
    const problems = validateRuleSet(
      ruleSet([aRule('low', 1, 'random <'), aRule('fine', 5, 'random < 0.05'), aRule('high', 9, 'lot.colour == "red"')]),
    );
    expect(problems.map((problem) => problem.ruleId)).toEqual(['low', 'high']);
  });
});

describe('compileRuleSet', () => {
  it('throws RuleSetInvalidException carrying the problems', () => {
    const definition = ruleSet([aRule('broken', 1, 'lot.nope > 1'), aRule('fine', 2, 'random < 0.05')]);
    let thrown: unknown;
    try {
      compileRuleSet(definition);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(RuleSetInvalidException);
    expect((thrown as RuleSetInvalidException).problems).toEqual(validateRuleSet(definition));
    expect((thrown as Error).message).toBe('the rule set has an invalid condition: broken 1:5 No such key: nope (Lot has id, lotNumber, quantity, productionDate, expiryDate, daysToExpiry)');
  });

  it('tries rules by descending priority, ties in the order listed', () => {
    const compiled = compileRuleSet(
      ruleSet([aRule('b-tie', 5, 'random < 0.5'), aRule('lowest', 1, 'random < 0.5'), aRule('highest', 9, 'random < 0.5'), aRule('a-tie', 5, 'random < 0.5')]),
    );
    expect(compiled.order).toEqual(['highest', 'b-tie', 'a-tie', 'lowest']);
  });

  it('does not follow later changes to the definition', () => {
    const definition = ruleSet([aRule('inspect', 1, 'true', { kind: 'inspect', level: 'II', aql: 1 })]);
    const compiled = compileRuleSet(definition);
    (definition.rules[0]!.action as { aql: number }).aql = 4;
    expect(compiled.decide({} as never).action).toEqual({ kind: 'inspect', level: 'II', aql: 1 });
  });
});
