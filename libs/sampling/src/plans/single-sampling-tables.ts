import { AQL_VALUES } from '@traceport/contracts';
import { CODE_LETTERS, type CodeLetter } from './sample-size-code-letter.js';

// Single sampling master tables of ISO 2859-1:1999 (Tables 2-A, 2-B, 2-C) and ANSI/ASQ Z1.4-2003
// (Tables II-A, II-B, II-C, the same as MIL-STD-105E's), in their printed form: one string per code
// letter, one cell per AQL column, "Ac/Re" for a plan, ↓ for "use the first sampling plan below the
// arrow", ↑ for "use the first sampling plan above the arrow", - where the table has no entry.
//
// Sources and checks: once the arrows are followed, every cell of the normal and tightened tables
// equals the plan listed by two independent public transcriptions (plans/fixtures/): GB/T 2828.1-2012
// (identical to ISO 2859-1:1999) from github.com/nihantao-crosis/quality-platform, and ANSI/ASQ Z1.4
// as coded in John Lawson's R package AQLSchemes; each reduced table is checked, cell by cell, against
// the source of its edition. single-sampling-tables.spec.ts holds the cross-check, so a typo here fails.

export const SEVERITIES = ['normal', 'tightened', 'reduced'] as const;
export type Severity = (typeof SEVERITIES)[number];

/**
 * The two standards share Table I and the normal table. They differ in the reduced table (Z1.4
 * keeps a gap between Ac and Re, ISO 2859-1:1999 has Re = Ac + 1) and, per the sources above, in
 * one tightened cell (code letter A at AQL 10, see TIGHTENED_Z14).
 */
export const STANDARD_EDITIONS = ['iso-2859-1-1999', 'ansi-asq-z1.4'] as const;
export type StandardEdition = (typeof STANDARD_EDITIONS)[number];

export type TableCell =
  | { readonly kind: 'plan'; readonly ac: number; readonly re: number }
  | { readonly kind: 'down' }
  | { readonly kind: 'up' }
  | { readonly kind: 'none' };

export interface MasterTableRow {
  readonly codeLetter: CodeLetter;
  readonly sampleSize: number;
  /** One cell per AQL, in AQL_VALUES order. */
  readonly cells: readonly TableCell[];
}

export interface MasterTable {
  /** The table's number in ISO 2859-1:1999 or ANSI/ASQ Z1.4-2003. */
  readonly name: string;
  /** In code letter order, top to bottom as printed. */
  readonly rows: readonly MasterTableRow[];
}

type PrintedRows = Readonly<Partial<Record<CodeLetter, string>>>;

const NORMAL_SAMPLE_SIZES = { A: 2, B: 3, C: 5, D: 8, E: 13, F: 20, G: 32, H: 50, J: 80, K: 125, L: 200, M: 315, N: 500, P: 800, Q: 1250, R: 2000 };
// The tightened table repeats the normal sample sizes and adds S, reachable only by the ↓ at Q and R (AQL 0.025).
const TIGHTENED_SAMPLE_SIZES = { ...NORMAL_SAMPLE_SIZES, S: 3150 };
const REDUCED_SAMPLE_SIZES = { A: 2, B: 2, C: 2, D: 3, E: 5, F: 8, G: 13, H: 20, J: 32, K: 50, L: 80, M: 125, N: 200, P: 315, Q: 500, R: 800 };

// Table 2-A / II-A, normal inspection. Row A at AQL 10 is printed as part of the diagonal band of
// arrows; with no row above A, it can only lead down (to C, 1/2), as both sources resolve it.
const NORMAL: PrintedRows = {
  //  0.010 0.015 0.025 0.040 0.065 0.10  0.15  0.25  0.40  0.65  1.0   1.5   2.5   4.0   6.5   10    15    25    40    65    100   150   250   400   650   1000
  A: '↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     0/1   ↓     ↓     1/2   2/3   3/4   5/6   7/8   10/11 14/15 21/22 30/31',
  B: '↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     0/1   ↑     ↓     1/2   2/3   3/4   5/6   7/8   10/11 14/15 21/22 30/31 44/45',
  C: '↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     0/1   ↑     ↓     1/2   2/3   3/4   5/6   7/8   10/11 14/15 21/22 30/31 44/45 ↑',
  D: '↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     0/1   ↑     ↓     1/2   2/3   3/4   5/6   7/8   10/11 14/15 21/22 30/31 44/45 ↑     ↑',
  E: '↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     0/1   ↑     ↓     1/2   2/3   3/4   5/6   7/8   10/11 14/15 21/22 30/31 44/45 ↑     ↑     ↑',
  F: '↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     0/1   ↑     ↓     1/2   2/3   3/4   5/6   7/8   10/11 14/15 21/22 ↑     ↑     ↑     ↑     ↑     ↑',
  G: '↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     0/1   ↑     ↓     1/2   2/3   3/4   5/6   7/8   10/11 14/15 21/22 ↑     ↑     ↑     ↑     ↑     ↑     ↑',
  H: '↓     ↓     ↓     ↓     ↓     ↓     ↓     0/1   ↑     ↓     1/2   2/3   3/4   5/6   7/8   10/11 14/15 21/22 ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑',
  J: '↓     ↓     ↓     ↓     ↓     ↓     0/1   ↑     ↓     1/2   2/3   3/4   5/6   7/8   10/11 14/15 21/22 ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑',
  K: '↓     ↓     ↓     ↓     ↓     0/1   ↑     ↓     1/2   2/3   3/4   5/6   7/8   10/11 14/15 21/22 ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑',
  L: '↓     ↓     ↓     ↓     0/1   ↑     ↓     1/2   2/3   3/4   5/6   7/8   10/11 14/15 21/22 ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑',
  M: '↓     ↓     ↓     0/1   ↑     ↓     1/2   2/3   3/4   5/6   7/8   10/11 14/15 21/22 ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑',
  N: '↓     ↓     0/1   ↑     ↓     1/2   2/3   3/4   5/6   7/8   10/11 14/15 21/22 ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑',
  P: '↓     0/1   ↑     ↓     1/2   2/3   3/4   5/6   7/8   10/11 14/15 21/22 ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑',
  Q: '0/1   ↑     ↓     1/2   2/3   3/4   5/6   7/8   10/11 14/15 21/22 ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑',
  R: '↑     ↑     1/2   2/3   3/4   5/6   7/8   10/11 14/15 21/22 ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑',
};

// Table 2-B / II-B, tightened inspection, as GB/T 2828.1-2012 prints it (0/1 at A, AQL 10).
const TIGHTENED_ISO: PrintedRows = {
  //  0.010 0.015 0.025 0.040 0.065 0.10  0.15  0.25  0.40  0.65  1.0   1.5   2.5   4.0   6.5   10    15    25    40    65    100   150   250   400   650   1000
  A: '↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     0/1   ↓     ↓     1/2   2/3   3/4   5/6   8/9   12/13 18/19 27/28',
  B: '↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     0/1   ↓     ↓     1/2   2/3   3/4   5/6   8/9   12/13 18/19 27/28 41/42',
  C: '↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     0/1   ↓     ↓     1/2   2/3   3/4   5/6   8/9   12/13 18/19 27/28 41/42 ↑',
  D: '↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     0/1   ↓     ↓     1/2   2/3   3/4   5/6   8/9   12/13 18/19 27/28 41/42 ↑     ↑',
  E: '↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     0/1   ↓     ↓     1/2   2/3   3/4   5/6   8/9   12/13 18/19 27/28 41/42 ↑     ↑     ↑',
  F: '↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     0/1   ↓     ↓     1/2   2/3   3/4   5/6   8/9   12/13 18/19 ↑     ↑     ↑     ↑     ↑     ↑',
  G: '↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     0/1   ↓     ↓     1/2   2/3   3/4   5/6   8/9   12/13 18/19 ↑     ↑     ↑     ↑     ↑     ↑     ↑',
  H: '↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     0/1   ↓     ↓     1/2   2/3   3/4   5/6   8/9   12/13 18/19 ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑',
  J: '↓     ↓     ↓     ↓     ↓     ↓     ↓     0/1   ↓     ↓     1/2   2/3   3/4   5/6   8/9   12/13 18/19 ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑',
  K: '↓     ↓     ↓     ↓     ↓     ↓     0/1   ↓     ↓     1/2   2/3   3/4   5/6   8/9   12/13 18/19 ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑',
  L: '↓     ↓     ↓     ↓     ↓     0/1   ↓     ↓     1/2   2/3   3/4   5/6   8/9   12/13 18/19 ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑',
  M: '↓     ↓     ↓     ↓     0/1   ↓     ↓     1/2   2/3   3/4   5/6   8/9   12/13 18/19 ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑',
  N: '↓     ↓     ↓     0/1   ↓     ↓     1/2   2/3   3/4   5/6   8/9   12/13 18/19 ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑',
  P: '↓     ↓     0/1   ↓     ↓     1/2   2/3   3/4   5/6   8/9   12/13 18/19 ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑',
  Q: '↓     0/1   ↓     ↓     1/2   2/3   3/4   5/6   8/9   12/13 18/19 ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑',
  R: '0/1   ↑     ↓     1/2   2/3   3/4   5/6   8/9   12/13 18/19 ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑',
  S: '-     -     1/2   -     -     -     -     -     -     -     -     -     -     -     -     -     -     -     -     -     -     -     -     -     -     -',
};

// ANSI/ASQ Z1.4 (and MIL-STD-105E) print no plan at A, AQL 10: a ↓ runs from A down to D (1/2).
const TIGHTENED_Z14: PrintedRows = {
  ...TIGHTENED_ISO,
  //  0.010 0.015 0.025 0.040 0.065 0.10  0.15  0.25  0.40  0.65  1.0   1.5   2.5   4.0   6.5   10    15    25    40    65    100   150   250   400   650   1000
  A: '↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     1/2   2/3   3/4   5/6   8/9   12/13 18/19 27/28',
};

// Table 2-C of ISO 2859-1:1999, reduced inspection: Re = Ac + 1 throughout.
const REDUCED_ISO: PrintedRows = {
  //  0.010 0.015 0.025 0.040 0.065 0.10  0.15  0.25  0.40  0.65  1.0   1.5   2.5   4.0   6.5   10    15    25    40    65    100   150   250   400   650   1000
  A: '↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     0/1   ↓     ↓     1/2   2/3   3/4   5/6   7/8   10/11 14/15 21/22 30/31',
  B: '↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     0/1   ↑     ↓     ↓     1/2   2/3   3/4   5/6   7/8   10/11 14/15 21/22 30/31',
  C: '↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     0/1   ↑     ↓     ↓     1/2   2/3   3/4   5/6   6/7   8/9   10/11 14/15 21/22 ↑',
  D: '↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     0/1   ↑     ↓     ↓     1/2   2/3   3/4   5/6   6/7   8/9   10/11 14/15 21/22 ↑     ↑',
  E: '↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     0/1   ↑     ↓     ↓     1/2   2/3   3/4   5/6   6/7   8/9   10/11 14/15 21/22 ↑     ↑     ↑',
  F: '↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     0/1   ↑     ↓     ↓     1/2   2/3   3/4   5/6   6/7   8/9   10/11 ↑     ↑     ↑     ↑     ↑     ↑',
  G: '↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     0/1   ↑     ↓     ↓     1/2   2/3   3/4   5/6   6/7   8/9   10/11 ↑     ↑     ↑     ↑     ↑     ↑     ↑',
  H: '↓     ↓     ↓     ↓     ↓     ↓     ↓     0/1   ↑     ↓     ↓     1/2   2/3   3/4   5/6   6/7   8/9   10/11 ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑',
  J: '↓     ↓     ↓     ↓     ↓     ↓     0/1   ↑     ↓     ↓     1/2   2/3   3/4   5/6   6/7   8/9   10/11 ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑',
  K: '↓     ↓     ↓     ↓     ↓     0/1   ↑     ↓     ↓     1/2   2/3   3/4   5/6   6/7   8/9   10/11 ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑',
  L: '↓     ↓     ↓     ↓     0/1   ↑     ↓     ↓     1/2   2/3   3/4   5/6   6/7   8/9   10/11 ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑',
  M: '↓     ↓     ↓     0/1   ↑     ↓     ↓     1/2   2/3   3/4   5/6   6/7   8/9   10/11 ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑',
  N: '↓     ↓     0/1   ↑     ↓     ↓     1/2   2/3   3/4   5/6   6/7   8/9   10/11 ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑',
  P: '↓     0/1   ↑     ↓     ↓     1/2   2/3   3/4   5/6   6/7   8/9   10/11 ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑',
  Q: '0/1   ↑     ↑     ↓     1/2   2/3   3/4   5/6   6/7   8/9   10/11 ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑',
  R: '↑     ↑     ↑     1/2   2/3   3/4   5/6   6/7   8/9   10/11 ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑',
};

// Table II-C of ANSI/ASQ Z1.4-2003 (as ISO 2859-1:1989 and MIL-STD-105E): a gap between Ac and Re;
// a lot with more than Ac but fewer than Re nonconforming is accepted, and normal inspection resumes.
// The source lists plans, not arrows: the arrows of rows A and B (all three of A, B, C sample 2) are
// placed to give its plans.
const REDUCED_Z14: PrintedRows = {
  //  0.010 0.015 0.025 0.040 0.065 0.10  0.15  0.25  0.40  0.65  1.0   1.5   2.5   4.0   6.5   10    15    25    40    65    100   150   250   400   650   1000
  A: '↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     0/1   ↓     ↓     1/2   2/3   3/4   5/6   7/8   10/11 14/15 21/22 30/31',
  B: '↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     0/1   ↑     ↓     0/2   1/3   2/4   3/5   5/6   7/8   10/11 14/15 21/22 30/31',
  C: '↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     0/1   ↑     ↓     0/2   1/3   1/4   2/5   3/6   5/8   7/10  10/13 14/17 21/24 ↑',
  D: '↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     0/1   ↑     ↓     0/2   1/3   1/4   2/5   3/6   5/8   7/10  10/13 14/17 21/24 ↑     ↑',
  E: '↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     0/1   ↑     ↓     0/2   1/3   1/4   2/5   3/6   5/8   7/10  10/13 14/17 21/24 ↑     ↑     ↑',
  F: '↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     0/1   ↑     ↓     0/2   1/3   1/4   2/5   3/6   5/8   7/10  10/13 ↑     ↑     ↑     ↑     ↑     ↑',
  G: '↓     ↓     ↓     ↓     ↓     ↓     ↓     ↓     0/1   ↑     ↓     0/2   1/3   1/4   2/5   3/6   5/8   7/10  10/13 ↑     ↑     ↑     ↑     ↑     ↑     ↑',
  H: '↓     ↓     ↓     ↓     ↓     ↓     ↓     0/1   ↑     ↓     0/2   1/3   1/4   2/5   3/6   5/8   7/10  10/13 ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑',
  J: '↓     ↓     ↓     ↓     ↓     ↓     0/1   ↑     ↓     0/2   1/3   1/4   2/5   3/6   5/8   7/10  10/13 ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑',
  K: '↓     ↓     ↓     ↓     ↓     0/1   ↑     ↓     0/2   1/3   1/4   2/5   3/6   5/8   7/10  10/13 ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑',
  L: '↓     ↓     ↓     ↓     0/1   ↑     ↓     0/2   1/3   1/4   2/5   3/6   5/8   7/10  10/13 ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑',
  M: '↓     ↓     ↓     0/1   ↑     ↓     0/2   1/3   1/4   2/5   3/6   5/8   7/10  10/13 ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑',
  N: '↓     ↓     0/1   ↑     ↓     0/2   1/3   1/4   2/5   3/6   5/8   7/10  10/13 ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑',
  P: '↓     0/1   ↑     ↓     0/2   1/3   1/4   2/5   3/6   5/8   7/10  10/13 ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑',
  Q: '0/1   ↑     ↓     0/2   1/3   1/4   2/5   3/6   5/8   7/10  10/13 ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑',
  R: '↑     ↑     0/2   1/3   1/4   2/5   3/6   5/8   7/10  10/13 ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑     ↑',
};

function parseCell(token: string, where: string): TableCell {
  if (token === '↓') return { kind: 'down' };
  if (token === '↑') return { kind: 'up' };
  if (token === '-') return { kind: 'none' };
  const match = /^(\d+)\/(\d+)$/.exec(token);
  if (!match) throw new Error(`single sampling table ${where}: unreadable cell "${token}"`);
  return { kind: 'plan', ac: Number(match[1]), re: Number(match[2]) };
}

function masterTableOf(name: string, sampleSizes: Readonly<Partial<Record<CodeLetter, number>>>, printed: PrintedRows): MasterTable {
  const rows: MasterTableRow[] = [];
  for (const codeLetter of CODE_LETTERS) {
    const row = printed[codeLetter];
    const sampleSize = sampleSizes[codeLetter];
    if (row === undefined || sampleSize === undefined) continue;
    const tokens = row.trim().split(/\s+/);
    if (tokens.length !== AQL_VALUES.length) throw new Error(`single sampling table ${name} row ${codeLetter}: ${tokens.length} cells, expected ${AQL_VALUES.length}`);
    rows.push({ codeLetter, sampleSize, cells: tokens.map((token, column) => parseCell(token, `${name} ${codeLetter}/${AQL_VALUES[column]}`)) });
  }
  return { name, rows };
}

const TABLES: Readonly<Record<StandardEdition, Readonly<Record<Severity, MasterTable>>>> = {
  'iso-2859-1-1999': {
    normal: masterTableOf('ISO 2859-1:1999 Table 2-A', NORMAL_SAMPLE_SIZES, NORMAL),
    tightened: masterTableOf('ISO 2859-1:1999 Table 2-B', TIGHTENED_SAMPLE_SIZES, TIGHTENED_ISO),
    reduced: masterTableOf('ISO 2859-1:1999 Table 2-C', REDUCED_SAMPLE_SIZES, REDUCED_ISO),
  },
  'ansi-asq-z1.4': {
    normal: masterTableOf('ANSI/ASQ Z1.4-2003 Table II-A', NORMAL_SAMPLE_SIZES, NORMAL),
    tightened: masterTableOf('ANSI/ASQ Z1.4-2003 Table II-B', TIGHTENED_SAMPLE_SIZES, TIGHTENED_Z14),
    reduced: masterTableOf('ANSI/ASQ Z1.4-2003 Table II-C', REDUCED_SAMPLE_SIZES, REDUCED_Z14),
  },
};

export function masterTable(severity: Severity, edition: StandardEdition): MasterTable {
  return TABLES[edition][severity];
}

export interface TablePlan {
  /** The row the arrows lead to (the cell's own row when it holds a plan). */
  readonly planCodeLetter: CodeLetter;
  readonly sampleSize: number;
  readonly ac: number;
  readonly re: number;
}

/**
 * The plan a cell stands for: its own, or the first plan below (↓) or above (↑) it in the same
 * column, taken whole: sample size, Ac and Re all come from the row the arrow leads to (the
 * tables' footnotes a and b).
 */
export function followArrows(table: MasterTable, codeLetter: CodeLetter, aqlColumn: number): TablePlan {
  const start = table.rows.findIndex((row) => row.codeLetter === codeLetter);
  const first = table.rows[start]?.cells[aqlColumn];
  if (first === undefined || first.kind === 'none') {
    throw new Error(`${table.name} has no entry for code letter ${codeLetter} at AQL ${String(AQL_VALUES[aqlColumn])}`);
  }
  const step = first.kind === 'up' ? -1 : 1;
  for (let index = start; index >= 0 && index < table.rows.length; index += step) {
    const row = table.rows[index];
    const cell = row?.cells[aqlColumn];
    if (row !== undefined && cell?.kind === 'plan') return { planCodeLetter: row.codeLetter, sampleSize: row.sampleSize, ac: cell.ac, re: cell.re };
  }
  throw new Error(`${table.name}: the arrow at ${codeLetter}, AQL ${String(AQL_VALUES[aqlColumn])} leads to no plan`);
}
