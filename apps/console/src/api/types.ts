// The shapes of the gateway's answers the console reads (see /openapi.json).

export interface Whoami {
  readonly keyId: string | null;
  readonly role: string;
  readonly organisation: { readonly id: string; readonly name: string; readonly kind: string } | null;
  readonly expiresAt: string | null;
}

export interface ArchiveEnvelope<T> {
  readonly type: string;
  readonly record: T & { readonly id: string; readonly version: number; readonly recordedAt: string };
  readonly record_key: string;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly next_page_token: string | null;
}

export interface Certification {
  type: string;
  issuer: string;
  number: string;
  validFrom: string;
  validTo: string;
}

export interface RuleAction {
  kind: 'release' | 'inspect' | 'inspect-all' | 'hold';
  level?: string;
  aql?: number;
}

export interface Rule {
  id: string;
  priority: number;
  owner: string;
  description: string;
  condition: string;
  action: RuleAction;
  [extra: string]: unknown;
}

export interface RuleSetDefinition {
  inspectionAgency?: string;
  defaultAction: RuleAction;
  tables?: Record<string, unknown>;
  rules: Rule[];
  [extra: string]: unknown;
}

export interface RuleSetVersion {
  readonly version: number;
  readonly status: string;
  readonly active: boolean;
  readonly definition: RuleSetDefinition;
  readonly note: string;
  readonly created_by: string;
  readonly created_at: string;
  readonly published_by: string | null;
  readonly published_at: string | null;
  readonly effective_from: string | null;
}

export interface RuleProblem {
  readonly rule_id: string | null;
  readonly field: string;
  readonly message: string;
  readonly line: number | null;
  readonly column: number | null;
}

export interface OutcomeCount {
  readonly outcome: string;
  readonly lots: number;
}

export interface SimulationReport {
  readonly lots: number;
  readonly changed: number;
  readonly before: readonly OutcomeCount[];
  readonly after: readonly OutcomeCount[];
  readonly inspections_before: number;
  readonly inspections_after: number;
  readonly units_sampled_before: number;
  readonly units_sampled_after: number;
  readonly changes: readonly {
    readonly lot_id: string;
    readonly lot_number: string;
    readonly gtin: string;
    readonly decided_at: string;
    readonly before_outcome: string;
    readonly before_rule: string | null;
    readonly before_sample_size: number;
    readonly after_outcome: string;
    readonly after_rule: string | null;
    readonly after_sample_size: number;
  }[];
}

export interface InspectionOrder {
  readonly id: string;
  readonly lot_id: string;
  readonly decision_id: string;
  readonly agency: string;
  readonly status: string;
  readonly plan: { readonly code_letter: string; readonly sample_size: number; readonly ac: number; readonly re: number; readonly severity: string; readonly level: string; readonly aql: number } | null;
  readonly sample_units: readonly number[];
  readonly created_at: string;
  readonly result: { readonly verdict: string; readonly critical: number; readonly major: number; readonly minor: number; readonly inspector: string; readonly recorded_at: string } | null;
}

export interface LotDecision {
  readonly id: string;
  readonly lot_id: string;
  readonly outcome: string;
  readonly initial_outcome: string;
  readonly decided_at: string;
  readonly rule_set_version: number;
  readonly rule_id: string | null;
  readonly record: { readonly reason?: string; readonly rule?: { readonly id: string; readonly condition?: string; readonly seen?: Record<string, unknown> } | null } | null;
  readonly order: InspectionOrder | null;
}

export interface WhitelistEntry {
  readonly id: string;
  readonly subject_type: string;
  readonly subject_id: string;
  readonly effect: string;
  readonly reason: string;
  readonly owner: string;
  readonly expires_at: string;
  readonly status: string;
  readonly version: number;
  readonly created_at: string;
  readonly revoked_at: string | null;
}

export interface StatisticsGroup {
  readonly key: string;
  readonly label: string;
  readonly lots_received: number;
  readonly lots_inspected: number;
  readonly passed: number;
  readonly failed: number;
  readonly pass_rate: number | null;
}

export interface Dashboard {
  readonly counts: Readonly<Record<'merchants' | 'factories' | 'products' | 'lots' | 'events' | 'identities', number>>;
  readonly decisions_per_day: readonly { readonly day: string; readonly released: number; readonly inspection_ordered: number; readonly held: number }[];
  readonly decisions_truncated: boolean;
  readonly ledger: LedgerState;
}

export interface LedgerState {
  readonly log_size: number;
  readonly anchored_size: number;
  readonly anchored_root: string | null;
  readonly block_number: number | null;
  readonly tx_hash: string | null;
  readonly anchored_at: string | null;
  readonly lag_records: number;
  readonly lag_seconds: number;
  readonly chain_id: number;
  readonly contract: string;
}
