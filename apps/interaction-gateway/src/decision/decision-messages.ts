// TypeScript shapes of the traceport.v1 messages of decision.proto as @grpc/proto-loader hands them
// over (camelCase fields, 64-bit integers as numbers, unset message fields as null).

export interface GetPlanRequest {
  lotSize: number;
  level: string;
  aql: number;
  severity: string;
  reducedVariant: string;
}

export interface SamplingPlanMessage {
  codeLetter: string;
  planCodeLetter: string;
  sampleSize: number;
  ac: number;
  re: number;
  inspectAll: boolean;
  severity: string;
  level: string;
  aql: number;
  lotSize: number;
  reducedVariant: string;
}

export interface SaveRuleSetRequest {
  version: number;
  definitionJson: string;
  note: string;
  actor: string;
}

export interface RuleProblemMessage {
  ruleId: string;
  field: string;
  message: string;
  line: number;
  column: number;
}

export interface RuleSetValidationMessage {
  valid: boolean;
  problems: RuleProblemMessage[];
}

export interface RuleSetVersionMessage {
  version: number;
  status: string;
  definitionJson: string;
  note: string;
  createdBy: string;
  createdAt: string;
  publishedBy: string;
  publishedAt: string;
  effectiveFrom: string;
  active: boolean;
}

export interface PublishRuleSetRequest {
  version: number;
  effectiveFrom: string;
  actor: string;
}

export interface SimulateRuleSetRequest {
  version: number;
  definitionJson: string;
  from: string;
  to: string;
  maxChanges: number;
}

export interface SimulatedChangeMessage {
  lotId: string;
  lotNumber: string;
  gtin: string;
  decidedAt: string;
  beforeOutcome: string;
  beforeRule: string;
  beforeSampleSize: number;
  afterOutcome: string;
  afterRule: string;
  afterSampleSize: number;
}

export interface SimulationReportMessage {
  lots: number;
  changed: number;
  before: { outcome: string; lots: number }[];
  after: { outcome: string; lots: number }[];
  inspectionsBefore: number;
  inspectionsAfter: number;
  unitsSampledBefore: number;
  unitsSampledAfter: number;
  changes: SimulatedChangeMessage[];
}

export interface SaveWhitelistEntryRequest {
  id: string;
  subjectType: string;
  subjectId: string;
  effect: string;
  reason: string;
  owner: string;
  expiresAt: string;
  actor: string;
  expectedVersion: number;
}

export interface WhitelistEntryMessage {
  id: string;
  subjectType: string;
  subjectId: string;
  effect: string;
  reason: string;
  owner: string;
  expiresAt: string;
  status: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  revokedAt: string;
}

export interface RevokeWhitelistEntryRequest {
  id: string;
  reason: string;
  actor: string;
}

export interface ListWhitelistEntriesRequest {
  subjectType: string;
  subjectId: string;
  includeInactive: boolean;
}

export interface WhitelistAuditEventMessage {
  action: string;
  actor: string;
  at: string;
  beforeJson: string;
  afterJson: string;
}

export interface ListDecisionsRequest {
  outcome: string;
  from: string;
  to: string;
  pageSize: number;
  pageToken: string;
}

export interface ListInspectionOrdersRequest {
  agency: string;
  status: string;
  pageSize: number;
  pageToken: string;
}

export interface SupplierStateChangeMessage {
  from: string;
  to: string;
  reason: string;
  lotId: string;
  at: string;
}

export interface SupplierStateMessage {
  factoryId: string;
  category: string;
  state: string;
  detailJson: string;
  updatedAt: string;
  changes: SupplierStateChangeMessage[];
}

export interface InspectionResultMessage {
  id: string;
  orderId: string;
  lotId: string;
  agency: string;
  inspector: string;
  critical: number;
  major: number;
  minor: number;
  verdict: string;
  reason: string;
  recordedAt: string;
  recordJson: string;
  supplier: SupplierStateMessage | null;
}

export interface InspectionOrderMessage {
  id: string;
  lotId: string;
  decisionId: string;
  agency: string;
  status: string;
  plan: SamplingPlanMessage | null;
  seed: string;
  sampleUnits: number[];
  createdAt: string;
  result: InspectionResultMessage | null;
}

export interface LotDecisionMessage {
  id: string;
  lotId: string;
  outcome: string;
  initialOutcome: string;
  decidedAt: string;
  ruleSetVersion: number;
  ruleId: string;
  recordJson: string;
  order: InspectionOrderMessage | null;
  /** Absent from engines older than product control. */
  heldBy?: { holdId: string; causeKind: string; reason: string; heldAt: string }[];
}

export interface SubmitInspectionResultRequest {
  orderId: string;
  agency: string;
  inspector: string;
  critical: number;
  major: number;
  minor: number;
  notes: string;
}

export interface GetSupplierStateRequest {
  factoryId: string;
  category: string;
}

export interface ResumeSupplierRequest {
  factoryId: string;
  category: string;
  reason: string;
  actor: string;
}
