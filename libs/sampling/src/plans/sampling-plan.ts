import { AQL_VALUES } from '@traceport/contracts';
import {
  assertInspectionLevel,
  assertLotSize,
  sampleSizeCodeLetter,
  type Aql,
  type CodeLetter,
  type InspectionLevel,
} from './sample-size-code-letter.js';
import { followArrows, masterTable, SEVERITIES, STANDARD_EDITIONS, type Severity, type StandardEdition } from './single-sampling-tables.js';

/** The option's name for the edition: it matters most for the reduced table. */
export type ReducedVariant = StandardEdition;

export interface SamplingPlanRequest {
  readonly lotSize: number;
  readonly level: InspectionLevel;
  readonly aql: Aql;
  readonly severity: Severity;
  /**
   * Whose tables apply where ISO 2859-1:1999 and ANSI/ASQ Z1.4-2003 differ: the reduced table
   * (Z1.4 has a gap between Ac and Re) and one tightened cell. Defaults to ISO 2859-1:1999.
   */
  readonly reducedVariant?: ReducedVariant;
}

export interface SamplingPlan {
  /** From Table I (lot size × inspection level). */
  readonly codeLetter: CodeLetter;
  /** The row of the master table the arrows lead to; sample size, Ac and Re all come from it. */
  readonly planCodeLetter: CodeLetter;
  /** The number of units to inspect: the lot size when inspectAll. */
  readonly sampleSize: number;
  /** Accept the lot when the nonconforming count is at most ac. */
  readonly ac: number;
  /** Do not accept the lot when the count reaches re (re > ac + 1 only in Z1.4 reduced plans). */
  readonly re: number;
  /** The plan's sample is not smaller than the lot, so every unit is inspected (tables' footnote a). */
  readonly inspectAll: boolean;
}

export const DEFAULT_EDITION: StandardEdition = 'iso-2859-1-1999';

export function isAql(value: unknown): value is Aql {
  return (AQL_VALUES as readonly unknown[]).includes(value);
}

export function assertAql(aql: unknown): asserts aql is Aql {
  if (!isAql(aql)) throw new RangeError(`aql must be a value of the ISO 2859-1 preferred series (${AQL_VALUES.join(', ')}), got ${String(aql)}`);
}

export function assertSeverity(severity: unknown): asserts severity is Severity {
  if (!(SEVERITIES as readonly unknown[]).includes(severity)) {
    throw new RangeError(`severity must be one of ${SEVERITIES.join(', ')}, got ${String(severity)}`);
  }
}

export function assertStandardEdition(edition: unknown): asserts edition is StandardEdition {
  if (!(STANDARD_EDITIONS as readonly unknown[]).includes(edition)) {
    throw new RangeError(`reducedVariant must be one of ${STANDARD_EDITIONS.join(', ')}, got ${String(edition)}`);
  }
}

/** The single sampling plan for a lot: Table I, then the master table of the severity, arrows followed. */
export function samplingPlan(request: SamplingPlanRequest): SamplingPlan {
  const { lotSize, level, aql, severity, reducedVariant = DEFAULT_EDITION } = request;
  assertLotSize(lotSize);
  assertInspectionLevel(level);
  assertAql(aql);
  assertSeverity(severity);
  assertStandardEdition(reducedVariant);
  const codeLetter = sampleSizeCodeLetter(lotSize, level);
  const plan = followArrows(masterTable(severity, reducedVariant), codeLetter, AQL_VALUES.indexOf(aql));
  const inspectAll = plan.sampleSize >= lotSize;
  return { codeLetter, ...plan, sampleSize: inspectAll ? lotSize : plan.sampleSize, inspectAll };
}

/** The next tighter (smaller) AQL of the preferred series, or undefined below 0.010. */
export function tighterAql(aql: Aql): Aql | undefined {
  assertAql(aql);
  const index = AQL_VALUES.indexOf(aql);
  return index > 0 ? AQL_VALUES[index - 1] : undefined;
}

/**
 * Ac of the normal plan one AQL step tighter, drawn from the same row as `plan` so that the same
 * sample decides (the switching score, ISO 2859-1:1999 9.3.3.2 a 1). Defined for plans with Ac ≥ 2,
 * whose row always holds a plan one column to the left; undefined otherwise.
 */
export function acceptanceNumberOneStepTighter(plan: Pick<SamplingPlan, 'planCodeLetter' | 'ac'>, aql: Aql, edition: StandardEdition = DEFAULT_EDITION): number | undefined {
  const tighter = tighterAql(aql);
  if (plan.ac < 2 || tighter === undefined) return undefined;
  const table = masterTable('normal', edition);
  const tighterPlan = followArrows(table, plan.planCodeLetter, AQL_VALUES.indexOf(tighter));
  // Ac ≥ 2 plans lie right of the 1/2 diagonal, so the cell to their left is a plan of the same row.
  if (tighterPlan.planCodeLetter !== plan.planCodeLetter) return undefined;
  return tighterPlan.ac;
}
