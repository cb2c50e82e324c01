import type { OrderPlan } from '../decision/decision-policy.js';

export interface NonconformingUnits {
  readonly critical: number;
  readonly major: number;
  readonly minor: number;
}

export interface InspectionVerdict {
  readonly accepted: boolean;
  readonly reason: string;
  /** ANSI/ASQ Z1.4 reduced plans: more than ac but fewer than re — the lot is accepted, but inspection returns to normal. */
  readonly acceptedInReducedGap: boolean;
}

/**
 * Judges a lot by the plan its order carried (the plan the agency sampled by, whatever the supplier's
 * state is by the time the result arrives). A critical nonconformity rejects the lot whatever the
 * plan; major nonconforming units are compared with ac and re; minor ones are recorded, not judged.
 * Under 100% inspection the lot is accepted only when no unit is nonconforming.
 */
export function judgeInspection(plan: OrderPlan, found: NonconformingUnits): InspectionVerdict {
  if (found.critical > 0) {
    return { accepted: false, reason: `${found.critical} critical nonconforming unit${found.critical === 1 ? '' : 's'}: a critical nonconformity rejects the lot`, acceptedInReducedGap: false };
  }
  if (plan.inspectAll) {
    return found.major === 0
      ? { accepted: true, reason: 'every unit inspected, none nonconforming', acceptedInReducedGap: false }
      : { accepted: false, reason: `every unit inspected, ${found.major} nonconforming`, acceptedInReducedGap: false };
  }
  const of = `in a sample of ${plan.sampleSize} (${plan.severity} inspection, code letter ${plan.planCodeLetter}, Ac ${plan.ac}, Re ${plan.re})`;
  if (found.major <= plan.ac) return { accepted: true, reason: `${found.major} major nonconforming ${of}: not more than Ac`, acceptedInReducedGap: false };
  if (found.major >= plan.re) return { accepted: false, reason: `${found.major} major nonconforming ${of}: at least Re`, acceptedInReducedGap: false };
  return { accepted: true, reason: `${found.major} major nonconforming ${of}: between Ac and Re, accepted, and inspection returns to normal`, acceptedInReducedGap: true };
}
