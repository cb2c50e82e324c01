import { describe, expect, it, vi } from 'vitest';
import { aDecisionContext, aRule, aRuleSet } from './decision-context.fixture.js';
import type { RuleSetDefinition } from './rule-set-definition.js';
import { RuleSetInvalidException } from './rule-set-invalid.exception.js';
import { RuleSetCache } from './rule-set.cache.js';

const definition = (condition: string): RuleSetDefinition => aRuleSet([aRule('only', 1, condition)]);

describe('RuleSetCache', () => {
  it('compiles a version once and serves it after', () => {
    const cache = new RuleSetCache();
    const load = vi.fn(() => definition('random < 0.05'));
    const first = cache.getOrCompile({ ruleSetId: 'hamburg', version: 3 }, load);
    const again = cache.getOrCompile({ ruleSetId: 'hamburg', version: 3 }, load);
    expect(again).toBe(first);
    expect(load).toHaveBeenCalledTimes(1);
    expect(cache.get({ ruleSetId: 'hamburg', version: 3 })).toBe(first);
    expect(first.decide(aDecisionContext({ random: 0.01 })).ruleId).toBe('only');
  });

  it('keeps versions and rule sets apart', () => {
    const cache = new RuleSetCache();
    const v3 = cache.getOrCompile({ ruleSetId: 'hamburg', version: 3 }, () => definition('random < 0.05'));
    const v4 = cache.getOrCompile({ ruleSetId: 'hamburg', version: 4 }, () => definition('random < 0.5'));
    const other = cache.getOrCompile({ ruleSetId: 'rotterdam', version: 3 }, () => definition('random < 0.9'));
    expect(new Set([v3, v4, other]).size).toBe(3);
    expect(v4.decide(aDecisionContext({ random: 0.2 })).ruleId).toBe('only');
    expect(v3.decide(aDecisionContext({ random: 0.2 })).ruleId).toBeNull();
  });

  it('drops the least recently used version beyond its capacity', () => {
    const cache = new RuleSetCache(2);
    const key = (version: number) => ({ ruleSetId: 'hamburg', version });
    cache.getOrCompile(key(1), () => definition('true'));
    cache.getOrCompile(key(2), () => definition('true'));
    cache.get(key(1)); // 2 is now the least recently used
    cache.getOrCompile(key(3), () => definition('true'));
    expect(cache.size).toBe(2);
    expect(cache.get(key(2))).toBeUndefined();
    expect(cache.get(key(1))).toBeDefined();
    expect(cache.get(key(3))).toBeDefined();
  });

  it('caches nothing for an invalid definition', () => {
    const cache = new RuleSetCache();
    expect(() => cache.getOrCompile({ ruleSetId: 'hamburg', version: 5 }, () => definition('lot.nope'))).toThrow(RuleSetInvalidException);
    expect(cache.size).toBe(0);
  });

  it('refuses a capacity below one', () => {
    expect(() => new RuleSetCache(0)).toThrow(RangeError);
  });
});
