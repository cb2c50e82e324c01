import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { invalid } from '@traceport/errors';
import { compileRuleSet, type DecisionContext, type RuleSetDefinition } from '@traceport/sampling';
import { DataSource } from 'typeorm';
import { DECISION_ENGINE_SCHEMA, type DecisionEngineConfig } from '../config.js';
import { resolveDecision, type DecisionOutcome } from '../decision/decision-policy.js';
import { timeWindowOf } from '../decision/time-window.js';
import type { LotDecisionRecord } from '../decision/lot-decision.service.js';
import { ENGINE_CONFIG } from '../engine.tokens.js';
import { RuleSetService } from './rule-set.service.js';

const S = `"${DECISION_ENGINE_SCHEMA}"`;
const PAGE = 1_000;
const OUTCOMES: readonly DecisionOutcome[] = ['released', 'inspection-ordered', 'held'];

export interface SimulatedChange {
  readonly lotId: string;
  readonly lotNumber: string;
  readonly gtin: string;
  readonly decidedAt: string;
  readonly beforeOutcome: DecisionOutcome;
  readonly beforeRule: string;
  readonly beforeSampleSize: number;
  readonly afterOutcome: DecisionOutcome;
  readonly afterRule: string;
  readonly afterSampleSize: number;
}

export interface SimulationReport {
  readonly lots: number;
  readonly changed: number;
  readonly before: { outcome: DecisionOutcome; lots: number }[];
  readonly after: { outcome: DecisionOutcome; lots: number }[];
  readonly inspectionsBefore: number;
  readonly inspectionsAfter: number;
  readonly unitsSampledBefore: number;
  readonly unitsSampledAfter: number;
  readonly changes: SimulatedChange[];
}

interface DecisionRow {
  id: string;
  decided_at: Date;
  initial_outcome: DecisionOutcome;
  rule_id: string | null;
  sample_size: number;
  context: DecisionContext;
  record: LotDecisionRecord;
}

/**
 * Runs a rule set over lots already decided, each with the very facts it was decided on (the
 * stored context, its random draw included), through the same policy live decisions use: so the
 * report shows exactly which decisions the rule set would change, and the inspection volume before
 * and after, before anyone publishes it.
 */
@Injectable()
export class RuleSetSimulationService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly ruleSets: RuleSetService,
    @Inject(ENGINE_CONFIG) private readonly config: DecisionEngineConfig,
  ) {}

  async simulate(input: { version: number; definitionJson: string; from: string; to: string; maxChanges: number }): Promise<SimulationReport> {
    const definition: RuleSetDefinition =
      input.version > 0 ? (await this.ruleSets.definitionOf(input.version)).definition : input.definitionJson.trim() !== '' ? this.ruleSets.parse(input.definitionJson) : missingRuleSet();
    const compiled = compileRuleSet(definition);
    const { from, to } = timeWindowOf(input.from, input.to, 'invalid-simulation');
    const maxChanges = input.maxChanges <= 0 ? 100 : Math.min(input.maxChanges, 10_000);
    const before = new Map<DecisionOutcome, number>(OUTCOMES.map((outcome) => [outcome, 0]));
    const after = new Map<DecisionOutcome, number>(OUTCOMES.map((outcome) => [outcome, 0]));
    const changes: SimulatedChange[] = [];
    let lots = 0;
    let changed = 0;
    let inspectionsBefore = 0;
    let inspectionsAfter = 0;
    let unitsBefore = 0;
    let unitsAfter = 0;
    let cursor: [Date, string] | null = null;
    for (;;) {
      const rows: DecisionRow[] = await this.dataSource.query(
        `SELECT "id", "decided_at", "initial_outcome", "rule_id", "sample_size", "context", "record" FROM ${S}."decisions"
         WHERE "decided_at" >= $1 AND "decided_at" < $2 AND ($3::timestamptz IS NULL OR ("decided_at", "id") > ($3::timestamptz, $4::uuid))
         ORDER BY "decided_at", "id" LIMIT ${PAGE}`,
        [from, to, cursor?.[0] ?? null, cursor?.[1] ?? null],
      );
      for (const row of rows) {
        const context: DecisionContext = { ...row.context, tables: definition.tables };
        const verdict = compiled.decide(context);
        const resolution = resolveDecision({
          action: verdict.action,
          ruleLabel: verdict.ruleId === null ? 'the default action' : `rule ${verdict.ruleId}`,
          lotSize: context.lot.quantity,
          supplierState: row.record.supplier.state,
          whitelist: row.record.whitelistInForce ?? row.record.whitelistApplied,
          reducedVariant: row.record.plan?.reducedVariant ?? this.config.REDUCED_INSPECTION_VARIANT,
        });
        const afterSample = resolution.plan?.sampleSize ?? 0;
        lots += 1;
        before.set(row.initial_outcome, (before.get(row.initial_outcome) ?? 0) + 1);
        after.set(resolution.outcome, (after.get(resolution.outcome) ?? 0) + 1);
        if (row.initial_outcome === 'inspection-ordered') inspectionsBefore += 1;
        if (resolution.outcome === 'inspection-ordered') inspectionsAfter += 1;
        unitsBefore += row.sample_size;
        unitsAfter += afterSample;
        const ruleAfter = verdict.ruleId ?? '';
        if (resolution.outcome !== row.initial_outcome || afterSample !== row.sample_size || ruleAfter !== (row.rule_id ?? '')) {
          changed += 1;
          if (changes.length < maxChanges) {
            changes.push({
              lotId: row.record.lotId,
              lotNumber: row.record.lotNumber,
              gtin: row.record.gtin,
              decidedAt: row.decided_at.toISOString(),
              beforeOutcome: row.initial_outcome,
              beforeRule: row.rule_id ?? '',
              beforeSampleSize: row.sample_size,
              afterOutcome: resolution.outcome,
              afterRule: ruleAfter,
              afterSampleSize: afterSample,
            });
          }
        }
      }
      const last = rows.at(-1);
      if (rows.length < PAGE || last === undefined) break;
      cursor = [last.decided_at, last.id];
    }
    const counts = (map: Map<DecisionOutcome, number>) => OUTCOMES.map((outcome) => ({ outcome, lots: map.get(outcome) ?? 0 }));
    return {
      lots,
      changed,
      before: counts(before),
      after: counts(after),
      inspectionsBefore,
      inspectionsAfter,
      unitsSampledBefore: unitsBefore,
      unitsSampledAfter: unitsAfter,
      changes,
    };
  }
}

function missingRuleSet(): never {
  throw invalid('invalid-simulation', 'name a saved rule set version or give a definition to simulate', [{ field: 'version', message: 'a version or definition_json' }]);
}
