import { describe, expect, it } from 'vitest';
import type { OrderPlan } from '../decision/decision-policy.js';
import { judgeInspection } from './inspection-verdict.js';

const plan = (overrides: Partial<OrderPlan> = {}): OrderPlan => ({
  lotSize: 2000, level: 'II', aql: 1, severity: 'normal', reducedVariant: 'iso-2859-1-1999', codeLetter: 'K', planCodeLetter: 'K',
  sampleSize: 125, ac: 3, re: 4, inspectAll: false, ...overrides,
});

describe('judgeInspection', () => {
  it('accepts up to Ac and rejects from Re', () => {
    expect(judgeInspection(plan(), { critical: 0, major: 3, minor: 9 }).accepted).toBe(true);
    expect(judgeInspection(plan(), { critical: 0, major: 4, minor: 0 }).accepted).toBe(false);
  });

  it('rejects on any critical nonconformity, whatever the plan', () => {
    const verdict = judgeInspection(plan(), { critical: 1, major: 0, minor: 0 });
    expect(verdict.accepted).toBe(false);
    expect(verdict.reason).toContain('critical');
  });

  it('accepts in a Z1.4 reduced gap, saying inspection returns to normal', () => {
    const verdict = judgeInspection(plan({ severity: 'reduced', reducedVariant: 'ansi-asq-z1.4', sampleSize: 50, ac: 1, re: 3 }), { critical: 0, major: 2, minor: 0 });
    expect(verdict).toMatchObject({ accepted: true, acceptedInReducedGap: true });
  });

  it('under 100% inspection accepts only a lot with no nonconforming unit', () => {
    const all = plan({ inspectAll: true, severity: 'all', sampleSize: 2000, ac: 0, re: 1 });
    expect(judgeInspection(all, { critical: 0, major: 0, minor: 2 }).accepted).toBe(true);
    expect(judgeInspection(all, { critical: 0, major: 1, minor: 0 }).accepted).toBe(false);
  });
});
