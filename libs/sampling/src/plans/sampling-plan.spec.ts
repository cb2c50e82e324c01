import { AQL_VALUES } from '@traceport/contracts';
import { describe, expect, it } from 'vitest';
import type { Aql, InspectionLevel } from './sample-size-code-letter.js';
import { acceptanceNumberOneStepTighter, samplingPlan, tighterAql, type SamplingPlanRequest } from './sampling-plan.js';
import { followArrows, masterTable, STANDARD_EDITIONS, type Severity, type StandardEdition } from './single-sampling-tables.js';

function plan(lotSize: number, level: InspectionLevel, aql: Aql, severity: Severity = 'normal', reducedVariant?: StandardEdition) {
  return samplingPlan({ lotSize, level, aql, severity, ...(reducedVariant ? { reducedVariant } : {}) });
}

describe('samplingPlan, normal inspection', () => {
  it('gives the textbook examples: lot 2000, level II', () => {
    expect(plan(2000, 'II', 1)).toEqual({ codeLetter: 'K', planCodeLetter: 'K', sampleSize: 125, ac: 3, re: 4, inspectAll: false });
    expect(plan(2000, 'II', 2.5)).toMatchObject({ sampleSize: 125, ac: 7, re: 8 });
    expect(plan(2000, 'II', 4)).toMatchObject({ sampleSize: 125, ac: 10, re: 11 });
    expect(plan(2000, 'II', 0.65)).toMatchObject({ sampleSize: 125, ac: 2, re: 3 });
    expect(plan(2000, 'II', 0.4)).toMatchObject({ sampleSize: 125, ac: 1, re: 2 });
  });

  it('gives other published examples', () => {
    expect(plan(5000, 'II', 2.5)).toMatchObject({ codeLetter: 'L', sampleSize: 200, ac: 10, re: 11 });
    expect(plan(1000, 'II', 4)).toMatchObject({ codeLetter: 'J', sampleSize: 80, ac: 7, re: 8 });
    expect(plan(3000, 'II', 1.5)).toMatchObject({ codeLetter: 'K', sampleSize: 125, ac: 5, re: 6 });
    expect(plan(150, 'II', 2.5)).toMatchObject({ codeLetter: 'F', sampleSize: 20, ac: 1, re: 2 });
    expect(plan(150, 'II', 1.5)).toMatchObject({ codeLetter: 'F', planCodeLetter: 'G', sampleSize: 32, ac: 1, re: 2 });
  });

  it('follows an arrow down to a larger sample (K at 0.065 uses L, 200)', () => {
    expect(plan(2000, 'II', 0.065)).toEqual({ codeLetter: 'K', planCodeLetter: 'L', sampleSize: 200, ac: 0, re: 1, inspectAll: false });
    expect(plan(2000, 'II', 0.25)).toMatchObject({ planCodeLetter: 'L', sampleSize: 200, ac: 1, re: 2 });
  });

  it('follows an arrow up to a smaller sample (K at 0.15 uses J, 80; R at 0.010 uses Q, 1250)', () => {
    expect(plan(2000, 'II', 0.15)).toEqual({ codeLetter: 'K', planCodeLetter: 'J', sampleSize: 80, ac: 0, re: 1, inspectAll: false });
    expect(plan(600_000, 'III', 0.01)).toEqual({ codeLetter: 'R', planCodeLetter: 'Q', sampleSize: 1250, ac: 0, re: 1, inspectAll: false });
    expect(plan(600_000, 'II', 25)).toMatchObject({ codeLetter: 'Q', planCodeLetter: 'H', sampleSize: 50, ac: 21, re: 22 });
  });

  it('inspects every unit when the plan sample is not smaller than the lot, keeping the plan Ac/Re', () => {
    expect(plan(10, 'II', 0.065)).toEqual({ codeLetter: 'B', planCodeLetter: 'L', sampleSize: 10, ac: 0, re: 1, inspectAll: true });
    expect(plan(5, 'II', 10)).toEqual({ codeLetter: 'A', planCodeLetter: 'C', sampleSize: 5, ac: 1, re: 2, inspectAll: true });
    expect(plan(6, 'II', 10)).toMatchObject({ sampleSize: 5, inspectAll: false });
  });
});

describe('samplingPlan, tightened and reduced inspection', () => {
  it('uses Table 2-B for tightened inspection', () => {
    expect(plan(2000, 'II', 1, 'tightened')).toEqual({ codeLetter: 'K', planCodeLetter: 'K', sampleSize: 125, ac: 2, re: 3, inspectAll: false });
    expect(plan(2000, 'II', 2.5, 'tightened')).toMatchObject({ sampleSize: 125, ac: 5, re: 6 });
  });

  it('reaches the tightened-only row S (3150) from Q and R at AQL 0.025', () => {
    expect(plan(600_000, 'III', 0.025, 'tightened')).toEqual({ codeLetter: 'R', planCodeLetter: 'S', sampleSize: 3150, ac: 1, re: 2, inspectAll: false });
    expect(plan(600_000, 'II', 0.025, 'tightened')).toMatchObject({ codeLetter: 'Q', planCodeLetter: 'S', sampleSize: 3150 });
    expect(plan(600_000, 'III', 0.025, 'normal')).toMatchObject({ planCodeLetter: 'R', sampleSize: 2000, ac: 1, re: 2 });
    expect(plan(2000, 'II', 0.01, 'tightened')).toEqual({ codeLetter: 'K', planCodeLetter: 'R', sampleSize: 2000, ac: 0, re: 1, inspectAll: true });
  });

  it('uses ISO 2859-1:1999 Table 2-C for reduced inspection by default (Re = Ac + 1)', () => {
    expect(plan(2000, 'II', 1, 'reduced')).toEqual({ codeLetter: 'K', planCodeLetter: 'K', sampleSize: 50, ac: 2, re: 3, inspectAll: false });
    expect(plan(2000, 'II', 0.25, 'reduced')).toMatchObject({ planCodeLetter: 'M', sampleSize: 125, ac: 1, re: 2 });
    expect(plan(2000, 'II', 6.5, 'reduced')).toMatchObject({ sampleSize: 50, ac: 8, re: 9 });
  });

  it('uses the ANSI/ASQ Z1.4 Table II-C, with its gap between Ac and Re, when asked', () => {
    expect(plan(2000, 'II', 1, 'reduced', 'ansi-asq-z1.4')).toEqual({ codeLetter: 'K', planCodeLetter: 'K', sampleSize: 50, ac: 1, re: 4, inspectAll: false });
    expect(plan(2000, 'II', 0.25, 'reduced', 'ansi-asq-z1.4')).toMatchObject({ planCodeLetter: 'L', sampleSize: 80, ac: 0, re: 2 });
    expect(plan(2000, 'II', 6.5, 'reduced', 'ansi-asq-z1.4')).toMatchObject({ sampleSize: 50, ac: 7, re: 10 });
    expect(plan(2000, 'II', 10, 'reduced', 'ansi-asq-z1.4')).toMatchObject({ sampleSize: 50, ac: 10, re: 13 });
  });
});

describe('samplingPlan input checks', () => {
  const valid: SamplingPlanRequest = { lotSize: 2000, level: 'II', aql: 1, severity: 'normal' };

  it.each([
    [{ lotSize: 1 }, /lotSize must be an integer of at least 2 .*got 1$/],
    [{ lotSize: 100.5 }, /lotSize must be an integer/],
    [{ level: 'G-2' }, /level must be one of/],
    [{ aql: 0.3 }, /aql must be a value of the ISO 2859-1 preferred series .*got 0.3/],
    [{ severity: 'lenient' }, /severity must be one of normal, tightened, reduced/],
    [{ reducedVariant: 'iso-2859-1-1989' }, /reducedVariant must be one of/],
  ])('throws a RangeError for %o', (change, message) => {
    expect(() => samplingPlan({ ...valid, ...change } as SamplingPlanRequest)).toThrow(RangeError);
    expect(() => samplingPlan({ ...valid, ...change } as SamplingPlanRequest)).toThrow(message);
  });
});

describe('tighterAql and the switching score comparison', () => {
  it('steps one value down the preferred series', () => {
    expect(tighterAql(1)).toBe(0.65);
    expect(tighterAql(0.015)).toBe(0.01);
    expect(tighterAql(1000)).toBe(650);
    expect(tighterAql(0.01)).toBeUndefined();
    expect(() => tighterAql(0.3 as Aql)).toThrow(RangeError);
  });

  it('finds, for every normal plan with Ac ≥ 2, the tighter plan in the same row (same sample)', () => {
    for (const edition of STANDARD_EDITIONS) {
      const table = masterTable('normal', edition);
      let compared = 0;
      for (const row of table.rows) {
        AQL_VALUES.forEach((aql, column) => {
          const normal = followArrows(table, row.codeLetter, column);
          const tighterAc = acceptanceNumberOneStepTighter(normal, aql, edition);
          if (normal.ac < 2) {
            expect(tighterAc).toBeUndefined();
            return;
          }
          const tighter = followArrows(table, normal.planCodeLetter, column - 1);
          expect(tighter.sampleSize).toBe(normal.sampleSize);
          expect(tighterAc).toBe(tighter.ac);
          expect(tighterAc).toBeLessThan(normal.ac);
          compared++;
        });
      }
      expect(compared).toBeGreaterThan(100);
    }
  });
});
