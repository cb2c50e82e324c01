import { z } from 'zod';
import { anchorableRecordSchema } from '../anchorable-record.js';
import { Topics } from '../topics.js';

/** The decision engine's anchorable records. Each is anchored exactly as the API shows it. */
export const DecisionRecordTypes = {
  /** A lot's decision on receipt: outcome, rule set version, the rule and the values it saw, whitelist entries, plan, switching state, seed. */
  lotDecision: 'decision.lot-decision',
  /** An agency's inspection result and its verdict by the order's plan. */
  inspectionResult: 'decision.inspection-result',
  /** A supplier's ISO 2859-1 switching state change (normal, tightened, reduced, discontinued). */
  supplierState: 'decision.supplier-state',
  /** A published sampling rule set version. */
  ruleSet: 'decision.rule-set',
  /** A version of a whitelist entry (created, updated, revoked). */
  whitelistEntry: 'decision.whitelist-entry',
} as const;
export type DecisionRecordType = (typeof DecisionRecordTypes)[keyof typeof DecisionRecordTypes];
export const DECISION_RECORD_TYPES = Object.values(DecisionRecordTypes);

export const decisionRecordVersionedV1 = {
  topic: Topics.decisionRecordVersioned.name,
  type: 'io.traceport.decision.record.versioned.v1',
  schema: anchorableRecordSchema.extend({
    recordType: z.enum(DECISION_RECORD_TYPES),
    record: z.object({ id: z.string().min(1) }).catchall(z.unknown()),
  }),
} as const;
export type DecisionRecordVersionedV1 = z.infer<typeof decisionRecordVersionedV1.schema>;
