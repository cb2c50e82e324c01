import { z } from 'zod';

const int = () => z.number().int();
const at = () => z.string().meta({ format: 'date-time' });

export const SamplingPlan = z
  .object({
    code_letter: z.string().meta({ description: 'ISO 2859-1 sample size code letter of the lot size and level.' }),
    plan_code_letter: z.string().meta({ description: "The letter whose plan applies (an arrow in the standard's table may point to another)." }),
    sample_size: int(),
    n: int().meta({ description: 'The sample size again, by BRIEF §4 name.' }),
    ac: int().meta({ description: 'Accept with at most ac nonconforming units.' }),
    re: int().meta({ description: 'Reject with re or more.' }),
    inspect_all: z.boolean().meta({ description: 'The sample is the whole lot.' }),
    lot_size: int(),
    level: z.string(),
    aql: z.number(),
    severity: z.string().meta({ description: 'normal, tightened or reduced.' }),
    reduced_variant: z.string(),
  })
  .meta({ id: 'SamplingPlan', description: 'An ISO 2859-1 single sampling plan.' });

export const RuleSetVersion = z
  .object({
    version: int(),
    status: z.string().meta({ description: 'draft or published.' }),
    active: z.boolean().meta({ description: 'This version decides lots now.' }),
    definition: z.unknown().meta({ description: 'The rule set definition (ordered rules with CEL conditions and actions).' }),
    note: z.string(),
    created_by: z.string(),
    created_at: at(),
    published_by: z.string().nullable(),
    published_at: at().nullable(),
    effective_from: at().nullable(),
  })
  .meta({ id: 'RuleSetVersion' });

export const RuleSetVersionList = z.object({ versions: z.array(RuleSetVersion) }).meta({ id: 'RuleSetVersionList' });

export const RuleSetValidation = z
  .object({
    valid: z.boolean(),
    problems: z.array(
      z.object({
        rule_id: z.string().nullable(),
        field: z.string(),
        message: z.string(),
        line: int().nullable().meta({ description: "1-based, inside the rule's condition; null elsewhere." }),
        column: int().nullable(),
      }),
    ),
  })
  .meta({ id: 'RuleSetValidation' });

const outcomeCounts = z.array(z.object({ outcome: z.string(), lots: int() }));
export const SimulationReport = z
  .object({
    lots: int(),
    changed: int(),
    before: outcomeCounts,
    after: outcomeCounts,
    inspections_before: int(),
    inspections_after: int(),
    units_sampled_before: int(),
    units_sampled_after: int(),
    changes: z.array(
      z.object({
        lot_id: z.string(),
        lot_number: z.string(),
        gtin: z.string(),
        decided_at: at(),
        before_outcome: z.string(),
        before_rule: z.string().nullable(),
        before_sample_size: int(),
        after_outcome: z.string(),
        after_rule: z.string().nullable(),
        after_sample_size: int(),
      }),
    ),
  })
  .meta({ id: 'SimulationReport', description: 'What a rule set would have decided differently over past lots.' });

export const WhitelistEntry = z
  .object({
    id: z.string(),
    subject_type: z.string().meta({ description: 'merchant, brand, factory or product.' }),
    subject_id: z.string(),
    effect: z.string().meta({ description: 'exempt or reduced.' }),
    reason: z.string(),
    owner: z.string(),
    expires_at: at(),
    status: z.string(),
    version: int().meta({ description: 'Send it back in If-Match to change the entry.' }),
    created_at: at(),
    updated_at: at(),
    revoked_at: at().nullable(),
  })
  .meta({ id: 'WhitelistEntry' });

export const WhitelistEntryList = z.object({ entries: z.array(WhitelistEntry) }).meta({ id: 'WhitelistEntryList' });

export const WhitelistHistory = z
  .object({
    events: z.array(
      z.object({ action: z.string(), actor: z.string(), at: at(), before: z.unknown().meta({ description: 'The entry before, null on creation.' }), after: z.unknown() }),
    ),
  })
  .meta({ id: 'WhitelistHistory' });

export const SupplierState = z
  .object({
    factory_id: z.string(),
    category: z.string(),
    state: z.string().meta({ description: 'normal, tightened, reduced or discontinued (ISO 2859-1 switching).' }),
    detail: z.unknown().meta({ description: 'The counters the switching rules keep.' }),
    updated_at: at(),
    changes: z.array(z.object({ from: z.string(), to: z.string(), reason: z.string(), lot_id: z.string().nullable(), at: at() })),
  })
  .meta({ id: 'SupplierState' });

export const SupplierStateList = z.object({ suppliers: z.array(SupplierState) }).meta({ id: 'SupplierStateList' });

export const InspectionResult = z
  .object({
    id: z.string(),
    order_id: z.string(),
    lot_id: z.string(),
    agency: z.string(),
    inspector: z.string(),
    critical: int(),
    major: int(),
    minor: int(),
    verdict: z.string().meta({ description: 'accepted or rejected, by the order plan.' }),
    reason: z.string(),
    recorded_at: at(),
    record: z.unknown().meta({ description: 'The anchored result record.' }),
    supplier: SupplierState.nullable(),
  })
  .meta({ id: 'InspectionResult' });

export const InspectionOrder = z
  .object({
    id: z.string(),
    lot_id: z.string(),
    decision_id: z.string(),
    agency: z.string(),
    status: z.string().meta({ description: 'open, accepted or rejected.' }),
    plan: SamplingPlan.nullable(),
    seed: z.string().meta({ description: 'The seed of the reproducible draw of sample units.' }),
    sample_units: z.array(int()).meta({ description: 'The drawn units (1-based positions in the lot).' }),
    created_at: at(),
    result: InspectionResult.nullable(),
  })
  .meta({ id: 'InspectionOrder' });

export const LotDecision = z
  .object({
    id: z.string(),
    lot_id: z.string(),
    outcome: z.string().meta({ description: 'released, inspection-ordered or held.' }),
    initial_outcome: z.string(),
    decided_at: at(),
    rule_set_version: int(),
    rule_id: z.string().nullable().meta({ description: 'The rule that fired; null when none did.' }),
    record: z.unknown().meta({ description: 'The anchored decision record, with its explanation.' }),
    order: InspectionOrder.nullable(),
    held_by: z
      .array(z.object({ hold_id: z.string(), cause: z.string(), reason: z.string(), held_at: z.string() }))
      .meta({ description: 'Open product-control holds on the lot (GET /v1/holds/{id}): while any is open the lot stays held, whatever its inspection decided; lift them with POST /v1/holds/{id}/lift.' }),
  })
  .meta({ id: 'LotDecision' });

const nextPageToken = z.string().nullable().meta({ description: 'Pass as page_token for the next page; null on the last.' });
export const LotDecisionPage = z.object({ decisions: z.array(LotDecision), next_page_token: nextPageToken }).meta({ id: 'LotDecisionPage' });
export const InspectionOrderPage = z.object({ orders: z.array(InspectionOrder), next_page_token: nextPageToken }).meta({ id: 'InspectionOrderPage' });
