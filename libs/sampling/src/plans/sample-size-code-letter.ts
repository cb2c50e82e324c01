import { AQL_VALUES, INSPECTION_LEVELS } from '@traceport/contracts';

export type InspectionLevel = (typeof INSPECTION_LEVELS)[number];
export type Aql = (typeof AQL_VALUES)[number];

/**
 * Sample size code letters in the standard's order (I and O are skipped to avoid misreading).
 * Table I yields A–R; S exists only as the last row of the tightened table (II-B).
 */
export const CODE_LETTERS = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'J', 'K', 'L', 'M', 'N', 'P', 'Q', 'R', 'S'] as const;
export type CodeLetter = (typeof CODE_LETTERS)[number];

interface LotSizeRow {
  readonly from: number;
  /** Inclusive upper bound; Infinity for "500 001 and over". */
  readonly to: number;
  /** Code letters for S-1, S-2, S-3, S-4, I, II, III, in INSPECTION_LEVELS order. */
  readonly letters: string;
}

// ISO 2859-1:1999 Table 1 (= ANSI/ASQ Z1.4-2003 Table I, MIL-STD-105E Table I), one row per lot
// size range as printed: special levels S-1…S-4, then general levels I, II, III.
const TABLE_I: readonly LotSizeRow[] = [
  { from: 2, to: 8, letters: 'AAAA AAB' },
  { from: 9, to: 15, letters: 'AAAA ABC' },
  { from: 16, to: 25, letters: 'AABB BCD' },
  { from: 26, to: 50, letters: 'ABBC CDE' },
  { from: 51, to: 90, letters: 'BBCC CEF' },
  { from: 91, to: 150, letters: 'BBCD DFG' },
  { from: 151, to: 280, letters: 'BCDE EGH' },
  { from: 281, to: 500, letters: 'BCDE FHJ' },
  { from: 501, to: 1200, letters: 'CCEF GJK' },
  { from: 1201, to: 3200, letters: 'CDEG HKL' },
  { from: 3201, to: 10000, letters: 'CDFG JLM' },
  { from: 10001, to: 35000, letters: 'CDFH KMN' },
  { from: 35001, to: 150000, letters: 'DEGJ LNP' },
  { from: 150001, to: 500000, letters: 'DEGJ MPQ' },
  { from: 500001, to: Infinity, letters: 'DEHK NQR' },
];

export function isInspectionLevel(value: unknown): value is InspectionLevel {
  return (INSPECTION_LEVELS as readonly unknown[]).includes(value);
}

export function assertLotSize(lotSize: number): void {
  if (!Number.isSafeInteger(lotSize) || lotSize < 2) {
    throw new RangeError(`lotSize must be an integer of at least 2 (ISO 2859-1 Table 1 starts at 2), got ${String(lotSize)}`);
  }
}

export function assertInspectionLevel(level: unknown): asserts level is InspectionLevel {
  if (!isInspectionLevel(level)) {
    throw new RangeError(`level must be one of ${INSPECTION_LEVELS.join(', ')}, got ${String(level)}`);
  }
}

/** ISO 2859-1 Table 1: the sample size code letter for a lot size and inspection level. */
export function sampleSizeCodeLetter(lotSize: number, level: InspectionLevel): CodeLetter {
  assertLotSize(lotSize);
  assertInspectionLevel(level);
  // The last row is open-ended, so the fallback is only there for the type checker.
  const row = TABLE_I.find((candidate) => lotSize <= candidate.to) ?? TABLE_I[TABLE_I.length - 1];
  const letters = row.letters.replace(' ', '');
  return letters[INSPECTION_LEVELS.indexOf(level)] as CodeLetter;
}
