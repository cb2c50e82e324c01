import { describe, expect, it } from 'vitest';
import { wilsonLowerBound } from './wilson-interval.js';

describe('wilsonLowerBound', () => {
  it('matches published values of the 95% Wilson interval', () => {
    // Wilson (1927) / Newcombe (1998) worked values.
    expect(wilsonLowerBound(1, 1)).toBeCloseTo(0.2065, 4);
    expect(wilsonLowerBound(81, 263)).toBeCloseTo(0.2553, 4);
    expect(wilsonLowerBound(15, 148)).toBeCloseTo(0.0624, 4);
    expect(wilsonLowerBound(0, 20)).toBe(0);
  });

  it('is 0 with no trials and rises with evidence at the same rate', () => {
    expect(wilsonLowerBound(0, 0)).toBe(0);
    expect(wilsonLowerBound(9, 10)).toBeLessThan(wilsonLowerBound(90, 100));
  });
});
