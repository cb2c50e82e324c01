import { applyInspectionResult, resumeAfterCorrectiveAction, type ReducedVariant, type SwitchingState } from '@traceport/sampling';
import type { OrderPlan } from '../decision/decision-policy.js';
import type { InspectionVerdict } from './inspection-verdict.js';

export interface SwitchingStep {
  readonly next: SwitchingState;
  readonly change: { readonly from: string; readonly to: string; readonly reason: string } | null;
}

/**
 * Moves a supplier's ISO 2859-1 switching state on one lot's result (clause 9). A critical
 * nonconformity counts as a lot not accepted. A result for a lot ordered before the supplier's
 * inspection was discontinued leaves the state alone: only corrective action resumes it. When the
 * state moved between the order and its result (results arrive out of order), the lot is counted
 * under the state's current plan, as the standard counts lots in sequence; the lot itself is
 * still judged by the plan it was sampled under.
 */
export function advanceSwitching(
  before: SwitchingState,
  input: { plan: OrderPlan; major: number; critical: number; reducedApproved: boolean; reducedVariant: ReducedVariant; verdict: InspectionVerdict },
): SwitchingStep {
  if (before.state === 'discontinued' || input.plan.inspectAll) return { next: before, change: null };
  const defectsFound = input.critical > 0 ? input.major + input.plan.lotSize + 1 : input.major;
  const outcome = applyInspectionResult(before, {
    lotSize: input.plan.lotSize,
    level: input.plan.level as Parameters<typeof applyInspectionResult>[1]['level'],
    aql: input.plan.aql as Parameters<typeof applyInspectionResult>[1]['aql'],
    defectsFound,
    productionSteady: true,
    reducedApproved: input.reducedApproved,
    reducedVariant: input.reducedVariant,
  });
  return { next: outcome.state, change: outcome.transition ?? null };
}

/** Ends a discontinuation: inspection resumes under tightened inspection (clause 9.4). */
export function resumeSwitching(before: SwitchingState): SwitchingState {
  return resumeAfterCorrectiveAction(before);
}
