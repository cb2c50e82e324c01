import type { ProblemDetails } from '@traceport/errors';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { ArchiveImportController } from '../archive/archive-import.controller.js';
import type { DashboardController } from '../dashboard/dashboard.controller.js';
import type {
  inspectionOrderJson,
  inspectionResultJson,
  lotDecisionJson,
  ruleSetValidationJson,
  ruleSetVersionJson,
  samplingPlanJson,
  simulationReportJson,
  supplierStateJson,
  whitelistAuditEventJson,
  whitelistEntryJson,
} from '../decision/decision-json.js';
import type { EpcisController } from '../epcis/epcis.controller.js';
import type { TrailController } from '../epcis/trail.controller.js';
import type { identityJson, issuanceJson } from '../identity/identity-json.js';
import type { IdentityController } from '../identity/identity.controller.js';
import type { LedgerController } from '../proof/ledger.controller.js';
import type { ProofController } from '../proof/proof.controller.js';
import type { proofJsonOf } from '../proof/proof.gateway.js';
import type { ScanPageView, ShownRecord } from '../resolver/scan-page.view.js';
import type { StatisticsController } from '../statistics/statistics.controller.js';
import type { ImportJob } from './schemas/archive.schemas.js';
import type { Dashboard, LedgerState } from './schemas/dashboard.schemas.js';
import type {
  InspectionOrder,
  InspectionResult,
  LotDecision,
  RuleSetValidation,
  RuleSetVersion,
  SamplingPlan,
  SimulationReport,
  SupplierState,
  WhitelistEntry,
  WhitelistHistory,
} from './schemas/decision.schemas.js';
import type { Identity, IdentityPage, Issuance, ScanView } from './schemas/identity.schemas.js';
import type { AuditReport, ConsistencyProof, Proof, ProofBundle } from './schemas/ledger.schemas.js';
import type { Problem } from './schemas/problem.schema.js';
import type { StatisticsReport } from './schemas/statistics.schemas.js';
import type { CaptureJob, Trail } from './schemas/trace.schemas.js';

// The response schemas in the OpenAPI document are written beside the code that makes the
// responses, so they are held to it here, by the type checker (tsc -b tsconfig.checks.json): each
// schema's type and the handler's answer must be assignable to each other, field for field. A field
// added to an answer and not to its schema (or the other way round) fails to compile.

/** Writable and required throughout, so that readonly-ness does not count and an optional field is still a field. */
type Strict<T> = T extends readonly (infer Item)[] ? Strict<Item>[] : T extends object ? { -readonly [Key in keyof T]-?: Strict<T[Key]> } : T;
type Same<A, B> = [Strict<A>] extends [Strict<B>] ? ([Strict<B>] extends [Strict<A>] ? true : false) : false;
type Documented<Schema extends z.ZodType> = z.input<Schema>;
type Answer<Handler extends (...args: never[]) => unknown> = Awaited<ReturnType<Handler>>;
/** The view types a proof's status as any string; the proofs it shows are proofJsonOf's. */
type ScanPageJson = Omit<ScanPageView, 'records'> & { records: (Omit<ShownRecord, 'proof'> & { proof: ReturnType<typeof proofJsonOf> | null })[] };

const checks = {
  Problem: true satisfies Same<Documented<typeof Problem>, ProblemDetails>,
  Proof: true satisfies Same<Documented<typeof Proof>, ReturnType<typeof proofJsonOf>>,
  ProofBundle: true satisfies Same<Documented<typeof ProofBundle>, Answer<ProofController['get']>>,
  ConsistencyProof: true satisfies Same<Documented<typeof ConsistencyProof>, Answer<LedgerController['consistency']>>,
  AuditReport: true satisfies Same<Documented<typeof AuditReport>, Answer<LedgerController['runAudit']>>,
  StatisticsReport: true satisfies Same<Documented<typeof StatisticsReport>, Answer<StatisticsController['get']>>,
  ImportJob: true satisfies Same<Documented<typeof ImportJob>, Answer<ArchiveImportController['get']>>,
  SamplingPlan: true satisfies Same<Documented<typeof SamplingPlan>, ReturnType<typeof samplingPlanJson>>,
  RuleSetVersion: true satisfies Same<Documented<typeof RuleSetVersion>, ReturnType<typeof ruleSetVersionJson>>,
  RuleSetValidation: true satisfies Same<Documented<typeof RuleSetValidation>, ReturnType<typeof ruleSetValidationJson>>,
  SimulationReport: true satisfies Same<Documented<typeof SimulationReport>, ReturnType<typeof simulationReportJson>>,
  WhitelistEntry: true satisfies Same<Documented<typeof WhitelistEntry>, ReturnType<typeof whitelistEntryJson>>,
  WhitelistHistory: true satisfies Same<Documented<typeof WhitelistHistory>, { events: ReturnType<typeof whitelistAuditEventJson>[] }>,
  SupplierState: true satisfies Same<Documented<typeof SupplierState>, ReturnType<typeof supplierStateJson>>,
  InspectionResult: true satisfies Same<Documented<typeof InspectionResult>, ReturnType<typeof inspectionResultJson>>,
  InspectionOrder: true satisfies Same<Documented<typeof InspectionOrder>, ReturnType<typeof inspectionOrderJson>>,
  LotDecision: true satisfies Same<Documented<typeof LotDecision>, ReturnType<typeof lotDecisionJson>>,
  Issuance: true satisfies Same<Documented<typeof Issuance>, ReturnType<typeof issuanceJson>>,
  Identity: true satisfies Same<Documented<typeof Identity>, ReturnType<typeof identityJson>>,
  IdentityPage: true satisfies Same<Documented<typeof IdentityPage>, Answer<IdentityController['identitiesPage']>>,
  ScanView: true satisfies Same<Documented<typeof ScanView>, ScanPageJson>,
  CaptureJob: true satisfies Same<Documented<typeof CaptureJob>, Answer<EpcisController['captureJob']>>,
  Trail: true satisfies Same<Documented<typeof Trail>, Answer<TrailController['lotTrail']>>,
  LedgerState: true satisfies Same<Documented<typeof LedgerState>, Answer<LedgerController['state']>>,
  Dashboard: true satisfies Same<Documented<typeof Dashboard>, Answer<DashboardController['get']>>,
};

describe('the documented response schemas', () => {
  it('match what the handlers answer (checked by the type checker)', () => {
    expect(Object.values(checks).every(Boolean)).toBe(true);
  });
});
