import { INSPECTION_LEVELS } from '@traceport/contracts';
import { describe, expect, it } from 'vitest';
import { Z14_CODE_LETTERS } from './fixtures/z14-aqlschemes-plans.js';
import { sampleSizeCodeLetter, type InspectionLevel } from './sample-size-code-letter.js';

const LOT_SIZE_RANGES: ReadonlyArray<readonly [number, number]> = [
  [2, 8], [9, 15], [16, 25], [26, 50], [51, 90], [91, 150], [151, 280], [281, 500], [501, 1200],
  [1201, 3200], [3201, 10000], [10001, 35000], [35001, 150000], [150001, 500000], [500001, Number.MAX_SAFE_INTEGER],
];

describe('sampleSizeCodeLetter (ISO 2859-1 Table 1)', () => {
  it('gives the worked examples', () => {
    expect(sampleSizeCodeLetter(2000, 'II')).toBe('K');
    expect(sampleSizeCodeLetter(5000, 'II')).toBe('L');
    expect(sampleSizeCodeLetter(1000, 'I')).toBe('G');
    expect(sampleSizeCodeLetter(1_000_000, 'III')).toBe('R');
    expect(sampleSizeCodeLetter(300, 'S-4')).toBe('E');
    expect(sampleSizeCodeLetter(2, 'S-1')).toBe('A');
  });

  it('matches the second source at both ends of every lot size range, for every level', () => {
    LOT_SIZE_RANGES.forEach(([from, to], index) => {
      const expected = Z14_CODE_LETTERS[index]!.split(' ');
      INSPECTION_LEVELS.forEach((level, column) => {
        expect(sampleSizeCodeLetter(from, level), `${from} ${level}`).toBe(expected[column]);
        expect(sampleSizeCodeLetter(to, level), `${to} ${level}`).toBe(expected[column]);
      });
    });
  });

  it('rejects lots that are not an integer of at least 2, and unknown levels', () => {
    for (const lotSize of [1, 0, -5, 2.5, Number.NaN, Infinity, 2 ** 53]) {
      expect(() => sampleSizeCodeLetter(lotSize, 'II')).toThrow(RangeError);
    }
    expect(() => sampleSizeCodeLetter(1, 'II')).toThrow(/lotSize must be an integer of at least 2/);
    expect(() => sampleSizeCodeLetter(100, 'IV' as InspectionLevel)).toThrow(/level must be one of S-1, S-2, S-3, S-4, I, II, III/);
  });
});
