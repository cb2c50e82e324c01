import type { Aql, InspectionLevel } from './sample-size-code-letter.js';
import { acceptanceNumberOneStepTighter, assertStandardEdition, DEFAULT_EDITION, samplingPlan, type ReducedVariant, type SamplingPlan } from './sampling-plan.js';
import type { StandardEdition } from './single-sampling-tables.js';
import { SwitchingStateConflictException } from './switching-state-conflict.exception.js';

// The switching rules of ISO 2859-1:1999 clause 9 (ANSI/ASQ Z1.4-2003 has the same rules and
// switching score, except where noted), kept per supplier as a pure state machine over lots on original inspection.
// Resubmitted lots do not count (9.3.1), so callers pass only original inspections here.

export const SUPPLIER_INSPECTION_STATES = ['normal', 'tightened', 'reduced', 'discontinued'] as const;
export type SupplierInspectionState = (typeof SUPPLIER_INSPECTION_STATES)[number];
export type LotOutcome = 'accepted' | 'not-accepted';

/** What the caller stores per supplier (as JSON): everything the next decision needs, nothing more. */
export interface SwitchingState {
  readonly state: SupplierInspectionState;
  /** Outcomes of the latest lots on normal inspection (at most five, oldest first), for 9.3.1. */
  readonly recentResults: readonly LotOutcome[];
  /** Lots accepted in a row on tightened inspection, for 9.3.2. */
  readonly consecutiveAccepted: number;
  /** The switching score of 9.3.3.2, kept while on normal inspection. */
  readonly switchingScore: number;
  /** Lots not accepted since tightened inspection began, for 9.4. */
  readonly notAcceptedWhileTightened: number;
}

export interface InspectionResult {
  readonly lotSize: number;
  readonly level: InspectionLevel;
  readonly aql: Aql;
  /** Nonconforming items (or nonconformities) found in the sample. */
  readonly defectsFound: number;
  /** 9.3.3 b: production is at a steady rate. Reduced inspection needs true; false ends it (9.3.4 b). */
  readonly productionSteady?: boolean;
  /** 9.3.3 c: the responsible authority considers reduced inspection desirable. */
  readonly reducedApproved?: boolean;
  /** 9.3.4 c: other conditions warrant reinstating normal inspection. */
  readonly reinstateNormal?: boolean;
  readonly reducedVariant?: ReducedVariant;
}

export interface StateTransition {
  readonly from: SupplierInspectionState;
  readonly to: SupplierInspectionState;
  /** Human-readable, e.g. "two of the last five lots not accepted". */
  readonly reason: string;
}

export interface InspectionOutcome {
  readonly state: SwitchingState;
  readonly accepted: boolean;
  /** The plan of the severity in force when the lot was inspected. */
  readonly plan: SamplingPlan;
  readonly transition?: StateTransition;
}

/** 9.3.3.1 a: the score that allows reduced inspection. */
export const REDUCED_SWITCHING_SCORE = 30;
const WINDOW = 5;

/** 9.1: inspection starts at normal, with the switching score at zero (9.3.3.2). */
export function initialSwitchingState(): SwitchingState {
  return enter('normal');
}

function enter(state: SupplierInspectionState, notAcceptedWhileTightened = 0): SwitchingState {
  return { state, recentResults: [], consecutiveAccepted: 0, switchingScore: 0, notAcceptedWhileTightened };
}

function isCount(value: unknown, max: number): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) <= max;
}

/** Checks a state read back from storage; throws a TypeError naming the first bad field. */
export function parseSwitchingState(value: unknown): SwitchingState {
  if (typeof value !== 'object' || value === null) throw new TypeError('switching state must be an object');
  const candidate = value as Record<string, unknown>;
  const { state, recentResults, consecutiveAccepted, switchingScore, notAcceptedWhileTightened } = candidate;
  if (!(SUPPLIER_INSPECTION_STATES as readonly unknown[]).includes(state)) throw new TypeError(`switching state: unknown state ${String(state)}`);
  if (!Array.isArray(recentResults) || recentResults.length > WINDOW || !recentResults.every((result) => result === 'accepted' || result === 'not-accepted')) {
    throw new TypeError('switching state: recentResults must hold at most five of "accepted" / "not-accepted"');
  }
  if (!isCount(consecutiveAccepted, WINDOW - 1)) throw new TypeError('switching state: consecutiveAccepted must be an integer from 0 to 4');
  if (!isCount(switchingScore, Number.MAX_SAFE_INTEGER)) throw new TypeError('switching state: switchingScore must be a non-negative integer');
  if (!isCount(notAcceptedWhileTightened, WINDOW)) throw new TypeError('switching state: notAcceptedWhileTightened must be an integer from 0 to 5');
  return {
    state: state as SupplierInspectionState,
    recentResults: [...(recentResults as LotOutcome[])],
    consecutiveAccepted,
    switchingScore,
    notAcceptedWhileTightened,
  };
}

function assertDefectsFound(defectsFound: number): void {
  // Counts of nonconformities per 100 items may exceed the sample size, so only the sign is checked.
  if (!Number.isSafeInteger(defectsFound) || defectsFound < 0) {
    throw new RangeError(`defectsFound must be a non-negative integer, got ${String(defectsFound)}`);
  }
}

/**
 * Decides one lot on original inspection with the plan of the supplier's current severity, and
 * applies the switching rules to give the state for the next lot.
 */
export function applyInspectionResult(current: SwitchingState, result: InspectionResult): InspectionOutcome {
  const state = parseSwitchingState(current);
  const { lotSize, level, aql, defectsFound, reducedVariant = DEFAULT_EDITION } = result;
  assertDefectsFound(defectsFound);
  assertStandardEdition(reducedVariant);
  if (state.state === 'discontinued') {
    throw new SwitchingStateConflictException(
      'inspection-discontinued',
      'inspection of this supplier is discontinued (ISO 2859-1 9.4): record corrective action before submitting lots',
    );
  }
  const plan = samplingPlan({ lotSize, level, aql, severity: state.state, reducedVariant });
  // Clause 11: at most Ac accepts, at least Re does not; Z1.4's reduced plans also accept in between.
  const accepted = defectsFound < plan.re;
  const outcome = (next: SwitchingState, transition?: StateTransition): InspectionOutcome =>
    transition ? { state: next, accepted, plan, transition } : { state: next, accepted, plan };

  switch (state.state) {
    case 'normal': {
      const latest: LotOutcome = accepted ? 'accepted' : 'not-accepted';
      const recentResults = [...state.recentResults, latest].slice(-WINDOW);
      // 9.3.1: two lots not accepted within five or fewer consecutive lots.
      if (recentResults.filter((lot) => lot === 'not-accepted').length >= 2) {
        return outcome(enter('tightened'), { from: 'normal', to: 'tightened', reason: 'two of the last five lots not accepted' });
      }
      const switchingScore = nextSwitchingScore(state.switchingScore, plan, defectsFound, aql, reducedVariant);
      // 9.3.3.1: score at least 30, steady production, and the responsible authority's approval.
      if (switchingScore >= REDUCED_SWITCHING_SCORE && result.productionSteady === true && result.reducedApproved === true) {
        return outcome(enter('reduced'), {
          from: 'normal',
          to: 'reduced',
          reason: `switching score reached ${switchingScore}, production steady and reduced inspection approved`,
        });
      }
      return outcome({ ...state, recentResults, switchingScore });
    }
    case 'tightened': {
      if (accepted) {
        const consecutiveAccepted = state.consecutiveAccepted + 1;
        // 9.3.2: five consecutive lots accepted.
        if (consecutiveAccepted >= WINDOW) {
          return outcome(enter('normal'), { from: 'tightened', to: 'normal', reason: 'five consecutive lots accepted on tightened inspection' });
        }
        return outcome({ ...state, consecutiveAccepted });
      }
      const notAcceptedWhileTightened = state.notAcceptedWhileTightened + 1;
      // 9.4: the cumulative count of lots not accepted on tightened inspection reaches five.
      if (notAcceptedWhileTightened >= WINDOW) {
        return outcome(enter('discontinued', notAcceptedWhileTightened), {
          from: 'tightened',
          to: 'discontinued',
          reason: 'five lots not accepted while on tightened inspection',
        });
      }
      return outcome({ ...state, consecutiveAccepted: 0, notAcceptedWhileTightened });
    }
    case 'reduced': {
      const reason = reducedToNormalReason(defectsFound, plan, result);
      return reason ? outcome(enter('normal'), { from: 'reduced', to: 'normal', reason }) : outcome(state);
    }
  }
}

/** 9.3.4, with ANSI/ASQ Z1.4's extra case: why a lot on reduced inspection sends the supplier back to normal, if it does. */
function reducedToNormalReason(defectsFound: number, plan: SamplingPlan, result: InspectionResult): string | undefined {
  if (defectsFound >= plan.re) return 'a lot was not accepted on reduced inspection';
  // Z1.4 only: accepted between Ac and Re, but normal inspection resumes with the next lot.
  if (defectsFound > plan.ac) return `lot accepted with ${defectsFound} nonconforming, between Ac ${plan.ac} and Re ${plan.re}`;
  if (result.productionSteady === false) return 'production irregular or delayed';
  if (result.reinstateNormal === true) return 'other conditions warrant normal inspection';
  return undefined;
}

/**
 * 9.3.3.2 a, single sampling (Z1.4-2003 uses the same score): with Ac ≥ 2, add 3 if the lot would
 * have been accepted at the AQL one step tighter, else reset; with Ac 0 or 1, add 2 if the lot is
 * accepted, else reset.
 */
function nextSwitchingScore(score: number, plan: SamplingPlan, defectsFound: number, aql: Aql, edition: StandardEdition): number {
  if (plan.ac >= 2) {
    const tighterAc = acceptanceNumberOneStepTighter(plan, aql, edition);
    return tighterAc !== undefined && defectsFound <= tighterAc ? score + 3 : 0;
  }
  return defectsFound <= plan.ac ? score + 2 : 0;
}

/**
 * 9.4: after the supplier has acted to improve quality, inspection resumes at tightened, as if
 * 9.3.1 had just been invoked. Only a discontinued supplier can resume.
 */
export function resumeAfterCorrectiveAction(current: SwitchingState): SwitchingState {
  const state = parseSwitchingState(current);
  if (state.state !== 'discontinued') {
    throw new SwitchingStateConflictException('not-discontinued', `inspection is ${state.state}, not discontinued: there is nothing to resume`);
  }
  return enter('tightened');
}
