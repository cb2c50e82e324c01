import { samplingPlan, type Aql, type ReducedVariant, type RuleAction, type Severity } from '@traceport/sampling';
import { assertUnreachable } from '@traceport/errors';

export type DecisionOutcome = 'released' | 'inspection-ordered' | 'held';

export interface AppliedWhitelistEntry {
  readonly id: string;
  readonly version: number;
  readonly subjectType: string;
  readonly subjectId: string;
  readonly effect: 'exempt' | 'reduced';
  readonly reason: string;
}

/** The plan an inspection order carries: ISO 2859-1's, or every unit when the rule says 100%. */
export interface OrderPlan {
  readonly lotSize: number;
  /** Empty for 100% inspection. */
  readonly level: string;
  readonly aql: number;
  readonly severity: Severity | 'all';
  readonly reducedVariant: ReducedVariant;
  readonly codeLetter: string;
  readonly planCodeLetter: string;
  readonly sampleSize: number;
  readonly ac: number;
  readonly re: number;
  readonly inspectAll: boolean;
}

export interface DecisionResolution {
  readonly outcome: DecisionOutcome;
  readonly plan: OrderPlan | null;
  /** Why, in words: what the rule asked, and what whitelists and the switching state made of it. */
  readonly reason: string;
  readonly whitelistApplied: readonly AppliedWhitelistEntry[];
}

/**
 * Turns the rule's action into the decision, by one policy for live decisions and simulations:
 * a hold always stands; a supplier whose inspection is discontinued (ISO 2859-1 §9.4) is held until
 * its corrective action; an exempting whitelist entry releases what a rule would inspect; an
 * inspection runs under the supplier's switching state (tightened wins over a reducing whitelist
 * entry, since the supplier's record is worse than the entry assumed).
 */
export function resolveDecision(input: {
  action: RuleAction;
  ruleLabel: string;
  lotSize: number;
  supplierState: string;
  whitelist: readonly AppliedWhitelistEntry[];
  reducedVariant: ReducedVariant;
}): DecisionResolution {
  const { action, ruleLabel, lotSize, supplierState, whitelist, reducedVariant } = input;
  const exempting = whitelist.filter((entry) => entry.effect === 'exempt');
  const reducing = whitelist.filter((entry) => entry.effect === 'reduced');
  if (action.kind === 'hold') return { outcome: 'held', plan: null, reason: `${ruleLabel} holds the lot`, whitelistApplied: [] };
  if (supplierState === 'discontinued') {
    return { outcome: 'held', plan: null, reason: 'inspection of this supplier is discontinued (ISO 2859-1 §9.4) until its corrective action is accepted', whitelistApplied: [] };
  }
  switch (action.kind) {
    case 'release':
      return { outcome: 'released', plan: null, reason: `${ruleLabel} releases the lot`, whitelistApplied: [] };
    case 'inspect-all':
    case 'inspect': {
      if (exempting.length > 0) {
        return { outcome: 'released', plan: null, reason: `${ruleLabel} asks for inspection; whitelist entry ${exempting.map((entry) => entry.id).join(', ')} exempts it`, whitelistApplied: exempting };
      }
      if (action.kind === 'inspect-all' || lotSize < 2) {
        const plan: OrderPlan = { lotSize, level: '', aql: 0, severity: 'all', reducedVariant, codeLetter: '', planCodeLetter: '', sampleSize: lotSize, ac: 0, re: 1, inspectAll: true };
        return { outcome: 'inspection-ordered', plan, reason: `${ruleLabel} asks for every unit to be inspected`, whitelistApplied: [] };
      }
      const severity: Severity = supplierState === 'tightened' ? 'tightened' : supplierState === 'reduced' || reducing.length > 0 ? 'reduced' : 'normal';
      const applied = severity === 'reduced' && supplierState !== 'reduced' ? reducing : [];
      const plan = samplingPlan({ lotSize, level: action.level, aql: action.aql as Aql, severity, reducedVariant });
      const why = severity === 'normal' ? '' : supplierState === severity ? ` under ${severity} inspection (the supplier's switching state)` : ` under reduced inspection (whitelist entry ${applied.map((entry) => entry.id).join(', ')})`;
      return {
        outcome: 'inspection-ordered',
        plan: { lotSize, level: action.level, aql: action.aql, severity, reducedVariant, ...plan },
        reason: `${ruleLabel} asks for inspection at level ${action.level}, AQL ${action.aql}${why}`,
        whitelistApplied: applied,
      };
    }
    default:
      return assertUnreachable(action);
  }
}
