import type {
  InspectionOrderMessage,
  InspectionResultMessage,
  LotDecisionMessage,
  RuleSetValidationMessage,
  RuleSetVersionMessage,
  SamplingPlanMessage,
  SimulationReportMessage,
  SupplierStateMessage,
  WhitelistAuditEventMessage,
  WhitelistEntryMessage,
} from './decision-messages.js';

// The decision engine's messages as the REST API shows them: the proto's fields in snake_case (lists
// under the proto's names too), JSON carried as text in gRPC shown as JSON, and empty strings of
// things that did not happen (yet) shown as null.

const orNull = (text: string): string | null => (text === '' ? null : text);
const jsonOf = (text: string): unknown => (text === '' ? null : JSON.parse(text));

/** `n` is BRIEF §4's name for the sample size; `sample_size` the proto's. Both are given. */
export function samplingPlanJson(plan: SamplingPlanMessage) {
  return {
    code_letter: plan.codeLetter,
    plan_code_letter: plan.planCodeLetter,
    sample_size: plan.sampleSize,
    n: plan.sampleSize,
    ac: plan.ac,
    re: plan.re,
    inspect_all: plan.inspectAll,
    lot_size: plan.lotSize,
    level: plan.level,
    aql: plan.aql,
    severity: plan.severity,
    reduced_variant: plan.reducedVariant,
  };
}

export function ruleSetVersionJson(version: RuleSetVersionMessage) {
  return {
    version: version.version,
    status: version.status,
    active: version.active,
    definition: jsonOf(version.definitionJson),
    note: version.note,
    created_by: version.createdBy,
    created_at: version.createdAt,
    published_by: orNull(version.publishedBy),
    published_at: orNull(version.publishedAt),
    effective_from: orNull(version.effectiveFrom),
  };
}

/** line and column are positions inside a rule's condition, null for problems elsewhere. */
export function ruleSetValidationJson(validation: RuleSetValidationMessage) {
  return {
    valid: validation.valid,
    problems: validation.problems.map((problem) => ({
      rule_id: orNull(problem.ruleId),
      field: problem.field,
      message: problem.message,
      line: problem.line === 0 ? null : problem.line,
      column: problem.column === 0 ? null : problem.column,
    })),
  };
}

export function simulationReportJson(report: SimulationReportMessage) {
  const counts = (outcomes: { outcome: string; lots: number }[]) => outcomes.map((count) => ({ outcome: count.outcome, lots: count.lots }));
  return {
    lots: report.lots,
    changed: report.changed,
    before: counts(report.before),
    after: counts(report.after),
    inspections_before: report.inspectionsBefore,
    inspections_after: report.inspectionsAfter,
    units_sampled_before: report.unitsSampledBefore,
    units_sampled_after: report.unitsSampledAfter,
    changes: report.changes.map((change) => ({
      lot_id: change.lotId,
      lot_number: change.lotNumber,
      gtin: change.gtin,
      decided_at: change.decidedAt,
      before_outcome: change.beforeOutcome,
      before_rule: orNull(change.beforeRule),
      before_sample_size: change.beforeSampleSize,
      after_outcome: change.afterOutcome,
      after_rule: orNull(change.afterRule),
      after_sample_size: change.afterSampleSize,
    })),
  };
}

export function whitelistEntryJson(entry: WhitelistEntryMessage) {
  return {
    id: entry.id,
    subject_type: entry.subjectType,
    subject_id: entry.subjectId,
    effect: entry.effect,
    reason: entry.reason,
    owner: entry.owner,
    expires_at: entry.expiresAt,
    status: entry.status,
    version: entry.version,
    created_at: entry.createdAt,
    updated_at: entry.updatedAt,
    revoked_at: orNull(entry.revokedAt),
  };
}

export function whitelistAuditEventJson(event: WhitelistAuditEventMessage) {
  return { action: event.action, actor: event.actor, at: event.at, before: jsonOf(event.beforeJson), after: jsonOf(event.afterJson) };
}

export function supplierStateJson(supplier: SupplierStateMessage) {
  return {
    factory_id: supplier.factoryId,
    category: supplier.category,
    state: supplier.state,
    detail: jsonOf(supplier.detailJson),
    updated_at: supplier.updatedAt,
    changes: supplier.changes.map((change) => ({ from: change.from, to: change.to, reason: change.reason, lot_id: orNull(change.lotId), at: change.at })),
  };
}

export function inspectionResultJson(result: InspectionResultMessage) {
  return {
    id: result.id,
    order_id: result.orderId,
    lot_id: result.lotId,
    agency: result.agency,
    inspector: result.inspector,
    critical: result.critical,
    major: result.major,
    minor: result.minor,
    verdict: result.verdict,
    reason: result.reason,
    recorded_at: result.recordedAt,
    record: jsonOf(result.recordJson),
    supplier: result.supplier ? supplierStateJson(result.supplier) : null,
  };
}

export function inspectionOrderJson(order: InspectionOrderMessage) {
  return {
    id: order.id,
    lot_id: order.lotId,
    decision_id: order.decisionId,
    agency: order.agency,
    status: order.status,
    plan: order.plan ? samplingPlanJson(order.plan) : null,
    seed: order.seed,
    sample_units: order.sampleUnits,
    created_at: order.createdAt,
    result: order.result ? inspectionResultJson(order.result) : null,
  };
}

export function lotDecisionJson(decision: LotDecisionMessage) {
  return {
    id: decision.id,
    lot_id: decision.lotId,
    outcome: decision.outcome,
    initial_outcome: decision.initialOutcome,
    decided_at: decision.decidedAt,
    rule_set_version: decision.ruleSetVersion,
    rule_id: orNull(decision.ruleId),
    record: jsonOf(decision.recordJson),
    order: decision.order ? inspectionOrderJson(decision.order) : null,
    held_by: (decision.heldBy ?? []).map((hold) => ({ hold_id: hold.holdId, cause: hold.causeKind, reason: hold.reason, held_at: hold.heldAt })),
  };
}
