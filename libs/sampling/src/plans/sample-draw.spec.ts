import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { drawSample, newDecisionSeed, uniformFromSeed } from './sample-draw.js';

const SEED = '00112233445566778899aabbccddeeff';
// Pinned outputs for SEED (also reproduced by an independent Python implementation of the same
// SHA-256 counter stream): a change here would silently change every stored decision's redraw.
const GOLDEN_SAMPLE = [133, 185, 330, 378, 409, 435, 701, 851];
const GOLDEN_UNIFORM = 0.07844978182962525;

/** Fixed, well-spread seeds so that the statistical checks below can never flake. */
function seedNumber(index: number): string {
  return createHash('sha256').update(`sample-draw.spec seed ${index}`).digest('hex').slice(0, 32);
}

function chiSquare(counts: readonly number[], expected: number): number {
  return counts.reduce((sum, count) => sum + (count - expected) ** 2 / expected, 0);
}

describe('drawSample', () => {
  it('draws the same sample from the same seed, and pins it so a change of algorithm shows', () => {
    const request = { seed: SEED, populationSize: 1000, sampleSize: 8 };
    expect(drawSample(request)).toEqual(drawSample(request));
    expect(drawSample(request)).toEqual(GOLDEN_SAMPLE);
    expect(drawSample({ ...request, seed: SEED.toUpperCase() })).toEqual(GOLDEN_SAMPLE);
  });

  it('draws different samples from different seeds', () => {
    const samples = new Set(Array.from({ length: 50 }, (_, index) => drawSample({ seed: seedNumber(index), populationSize: 10_000, sampleSize: 20 }).join(',')));
    expect(samples.size).toBe(50);
  });

  it('returns distinct indices in [0, populationSize), sorted ascending', () => {
    for (let index = 0; index < 200; index++) {
      const populationSize = 1 + (index % 37) * 3;
      const sampleSize = index % (populationSize + 1);
      const sample = drawSample({ seed: seedNumber(index), populationSize, sampleSize });
      expect(sample).toHaveLength(sampleSize);
      expect(new Set(sample).size).toBe(sampleSize);
      expect(sample.every((unit) => Number.isInteger(unit) && unit >= 0 && unit < populationSize)).toBe(true);
      expect(sample).toEqual([...sample].sort((a, b) => a - b));
    }
  });

  it('returns every unit when the sample is the whole lot, and none for an empty sample', () => {
    expect(drawSample({ seed: SEED, populationSize: 5, sampleSize: 5 })).toEqual([0, 1, 2, 3, 4]);
    expect(drawSample({ seed: SEED, populationSize: 5, sampleSize: 0 })).toEqual([]);
  });

  it('chooses every unit about equally often over many seeds (chi-square, 19 degrees of freedom)', () => {
    const populationSize = 20;
    const sampleSize = 5;
    const draws = 4000;
    const counts = Array<number>(populationSize).fill(0);
    for (let index = 0; index < draws; index++) {
      for (const unit of drawSample({ seed: seedNumber(index), populationSize, sampleSize })) counts[unit]!++;
    }
    // The 99.999th percentile of chi-square with 19 degrees of freedom is about 52.
    expect(chiSquare(counts, (draws * sampleSize) / populationSize)).toBeLessThan(52);
  });

  it('draws from a lot of 1,000,000 units quickly, in proportion to the sample', () => {
    const started = performance.now();
    const sample = drawSample({ seed: SEED, populationSize: 1_000_000, sampleSize: 3150 });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(new Set(sample).size).toBe(3150);
    expect(sample[sample.length - 1]).toBeLessThan(1_000_000);
    expect(drawSample({ seed: SEED, populationSize: Number.MAX_SAFE_INTEGER, sampleSize: 3 })).toHaveLength(3);
  });

  it.each([
    [{ seed: 'abc' }, /seed must be an even number of hex digits, at least 32/],
    [{ seed: `${SEED}0` }, /seed must be/],
    [{ seed: `${SEED.slice(0, 31)}g` }, /seed must be/],
    [{ populationSize: 0 }, /populationSize must be a positive integer/],
    [{ populationSize: 10.5 }, /populationSize must be a positive integer/],
    [{ sampleSize: 11 }, /sampleSize must be an integer from 0 to populationSize \(10\)/],
    [{ sampleSize: -1 }, /sampleSize must be/],
  ])('throws a RangeError for %o', (change, message) => {
    expect(() => drawSample({ seed: SEED, populationSize: 10, sampleSize: 3, ...change })).toThrow(RangeError);
    expect(() => drawSample({ seed: SEED, populationSize: 10, sampleSize: 3, ...change })).toThrow(message);
  });
});

describe('uniformFromSeed', () => {
  it('is a reproducible double in [0, 1), pinned, and different for each label', () => {
    expect(uniformFromSeed(SEED, 'random')).toBe(uniformFromSeed(SEED, 'random'));
    expect(uniformFromSeed(SEED, 'random')).toBe(GOLDEN_UNIFORM);
    expect(uniformFromSeed(SEED, 'random')).not.toBe(uniformFromSeed(SEED, 'other'));
    expect(uniformFromSeed(SEED, '')).not.toBe(uniformFromSeed(SEED, 'random'));
  });

  it('spreads evenly over [0, 1) across seeds (chi-square, 9 degrees of freedom)', () => {
    const counts = Array<number>(10).fill(0);
    for (let index = 0; index < 5000; index++) {
      const value = uniformFromSeed(seedNumber(index), 'random');
      expect(value >= 0 && value < 1).toBe(true);
      counts[Math.floor(value * 10)]!++;
    }
    // The 99.999th percentile of chi-square with 9 degrees of freedom is about 35.
    expect(chiSquare(counts, 500)).toBeLessThan(35);
  });

  it('rejects a short seed', () => {
    expect(() => uniformFromSeed('abcd', 'random')).toThrow(RangeError);
  });
});

describe('newDecisionSeed', () => {
  it('gives 32 lowercase hex digits, fresh each time, usable as a seed', () => {
    const seeds = new Set(Array.from({ length: 20 }, () => newDecisionSeed()));
    expect(seeds.size).toBe(20);
    for (const seed of seeds) {
      expect(seed).toMatch(/^[0-9a-f]{32}$/);
      expect(drawSample({ seed, populationSize: 100, sampleSize: 10 })).toHaveLength(10);
    }
  });
});
