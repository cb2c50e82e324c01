import { AQL_VALUES } from '@traceport/contracts';
import { describe, expect, it } from 'vitest';
import { GBT_2828_1_2012_PLANS } from './fixtures/gbt-2828-1-2012-plans.js';
import { Z14_PLANS } from './fixtures/z14-aqlschemes-plans.js';
import { CODE_LETTERS, type CodeLetter } from './sample-size-code-letter.js';
import { followArrows, masterTable, SEVERITIES, STANDARD_EDITIONS, type Severity, type StandardEdition, type TablePlan } from './single-sampling-tables.js';

const TABLE_I_LETTERS = CODE_LETTERS.filter((letter) => letter !== 'S');

function cellsOf(row: string): string[] {
  return row.trim().split(/\s+/);
}

function resolved(edition: StandardEdition, severity: Severity, letter: CodeLetter, column: number): TablePlan {
  return followArrows(masterTable(severity, edition), letter, column);
}

describe('single sampling master tables', () => {
  it('have one cell per AQL in every row, and the rows and sample sizes in the printed order', () => {
    for (const edition of STANDARD_EDITIONS) {
      for (const severity of SEVERITIES) {
        const table = masterTable(severity, edition);
        expect(table.rows.map((row) => row.codeLetter).join('')).toBe(severity === 'tightened' ? 'ABCDEFGHJKLMNPQRS' : 'ABCDEFGHJKLMNPQR');
        for (const row of table.rows) expect(row.cells).toHaveLength(AQL_VALUES.length);
        const sizes = table.rows.map((row) => row.sampleSize);
        expect([...sizes].sort((a, b) => a - b)).toEqual(sizes);
      }
    }
    expect(masterTable('normal', 'iso-2859-1-1999').rows.map((row) => row.sampleSize)).toEqual([2, 3, 5, 8, 13, 20, 32, 50, 80, 125, 200, 315, 500, 800, 1250, 2000]);
    expect(masterTable('reduced', 'ansi-asq-z1.4').rows.map((row) => row.sampleSize)).toEqual([2, 2, 2, 3, 5, 8, 13, 20, 32, 50, 80, 125, 200, 315, 500, 800]);
    expect(masterTable('tightened', 'iso-2859-1-1999').rows.at(-1)).toMatchObject({ codeLetter: 'S', sampleSize: 3150 });
  });

  it('have Re = Ac + 1 everywhere except in the reduced plans of ANSI/ASQ Z1.4', () => {
    const gaps = new Set<string>();
    for (const edition of STANDARD_EDITIONS) {
      for (const severity of SEVERITIES) {
        for (const row of masterTable(severity, edition).rows) {
          for (const cell of row.cells) if (cell.kind === 'plan' && cell.re !== cell.ac + 1) gaps.add(`${edition} ${severity} ${cell.ac}/${cell.re}`);
        }
      }
    }
    expect([...gaps].every((gap) => gap.startsWith('ansi-asq-z1.4 reduced'))).toBe(true);
    expect([...gaps].map((gap) => gap.split(' ')[2]).sort()).toEqual(['0/2', '1/3', '1/4', '10/13', '14/17', '2/4', '2/5', '21/24', '3/5', '3/6', '5/8', '7/10'].sort());
  });

  it('reach the tightened row S (3150) only from Q and R at AQL 0.025', () => {
    for (const edition of STANDARD_EDITIONS) {
      const reachingS: string[] = [];
      for (const letter of TABLE_I_LETTERS) {
        AQL_VALUES.forEach((aql, column) => {
          if (resolved(edition, 'tightened', letter, column).planCodeLetter === 'S') reachingS.push(`${letter}@${aql}`);
        });
      }
      expect(reachingS).toEqual(['Q@0.025', 'R@0.025']);
      expect(resolved(edition, 'tightened', 'R', AQL_VALUES.indexOf(0.025))).toEqual({ planCodeLetter: 'S', sampleSize: 3150, ac: 1, re: 2 });
    }
  });

  it('follow arrows whole: the sample size comes with Ac and Re from the row the arrow leads to', () => {
    const column = AQL_VALUES.indexOf(0.065);
    // K (125) at 0.065 points down to L's 0/1 with 200; at 0.15 it points up to J's 0/1 with 80.
    expect(resolved('iso-2859-1-1999', 'normal', 'K', column)).toEqual({ planCodeLetter: 'L', sampleSize: 200, ac: 0, re: 1 });
    expect(resolved('iso-2859-1-1999', 'normal', 'K', AQL_VALUES.indexOf(0.15))).toEqual({ planCodeLetter: 'J', sampleSize: 80, ac: 0, re: 1 });
    // A long arrow: A at AQL 10 passes B and lands on C.
    expect(resolved('iso-2859-1-1999', 'normal', 'A', AQL_VALUES.indexOf(10))).toEqual({ planCodeLetter: 'C', sampleSize: 5, ac: 1, re: 2 });
    expect(() => followArrows(masterTable('tightened', 'iso-2859-1-1999'), 'S', 0)).toThrow(/no entry/);
  });
});

describe('cross-check against GB/T 2828.1-2012 (= ISO 2859-1:1999), every cell', () => {
  for (const severity of SEVERITIES) {
    it(`Table 2-${{ normal: 'A', tightened: 'B', reduced: 'C' }[severity]} (${severity}) gives the plan the source lists`, () => {
      const expected = GBT_2828_1_2012_PLANS[severity] as Readonly<Record<string, string>>;
      let checked = 0;
      for (const letter of TABLE_I_LETTERS) {
        const cells = cellsOf(expected[letter]!);
        expect(cells).toHaveLength(AQL_VALUES.length);
        AQL_VALUES.forEach((aql, column) => {
          const plan = resolved('iso-2859-1-1999', severity, letter, column);
          expect(`${plan.planCodeLetter}/${plan.sampleSize}/${plan.ac}/${plan.re}`, `${letter} at AQL ${aql}`).toBe(cells[column]);
          checked++;
        });
      }
      expect(checked).toBe(16 * 26);
    });
  }

  it('prints row S of Table 2-B as the source does: a plan at 0.025 and nothing else', () => {
    const row = masterTable('tightened', 'iso-2859-1-1999').rows.find((candidate) => candidate.codeLetter === 'S')!;
    const printed = row.cells.map((cell) => (cell.kind === 'plan' ? `S/3150/${cell.ac}/${cell.re}` : cell.kind === 'none' ? '-' : cell.kind));
    expect(printed).toEqual(cellsOf(GBT_2828_1_2012_PLANS.tightened.S));
  });
});

describe('cross-check against ANSI/ASQ Z1.4 as coded in AQLSchemes, every cell', () => {
  for (const severity of SEVERITIES) {
    it(`Table II-${{ normal: 'A', tightened: 'B', reduced: 'C' }[severity]} (${severity}) gives the plan the source lists`, () => {
      const expected = Z14_PLANS[severity] as Readonly<Record<string, string>>;
      let checked = 0;
      for (const letter of TABLE_I_LETTERS) {
        const cells = cellsOf(expected[letter]!);
        expect(cells).toHaveLength(AQL_VALUES.length);
        AQL_VALUES.forEach((aql, column) => {
          const plan = resolved('ansi-asq-z1.4', severity, letter, column);
          expect(`${plan.sampleSize}:${plan.ac}/${plan.re}`, `${letter} at AQL ${aql}`).toBe(cells[column]);
          checked++;
        });
      }
      expect(checked).toBe(16 * 26);
    });
  }
});

describe('the two editions', () => {
  function differences(severity: Severity): string[] {
    const found: string[] = [];
    for (const letter of TABLE_I_LETTERS) {
      AQL_VALUES.forEach((aql, column) => {
        const iso = resolved('iso-2859-1-1999', severity, letter, column);
        const z14 = resolved('ansi-asq-z1.4', severity, letter, column);
        if (JSON.stringify(iso) !== JSON.stringify(z14)) found.push(`${letter}@${aql}`);
      });
    }
    return found;
  }

  it('share the normal table, and the tightened one but for A at AQL 10, where the sources disagree', () => {
    expect(differences('normal')).toEqual([]);
    expect(differences('tightened')).toEqual(['A@10']);
    const column = AQL_VALUES.indexOf(10);
    expect(resolved('iso-2859-1-1999', 'tightened', 'A', column)).toEqual({ planCodeLetter: 'A', sampleSize: 2, ac: 0, re: 1 });
    expect(resolved('ansi-asq-z1.4', 'tightened', 'A', column)).toEqual({ planCodeLetter: 'D', sampleSize: 8, ac: 1, re: 2 });
  });

});
