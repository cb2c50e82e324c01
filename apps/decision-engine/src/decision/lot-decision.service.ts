import { Inject, Injectable } from '@nestjs/common';
import { DecisionRecordTypes } from '@traceport/contracts';
import { drawSample, newDecisionSeed, uniformFromSeed, type DecisionContext, type RuleAction } from '@traceport/sampling';
import type { Logger } from 'pino';
import type { EntityManager } from 'typeorm';
import { DECISION_ENGINE_SCHEMA, type DecisionEngineConfig } from '../config.js';
import { ENGINE_CONFIG, ENGINE_LOGGER } from '../engine.tokens.js';
import { SupplierStateRepository, type SupplierKey } from '../inspection/supplier-state.repository.js';
import { RuleSetService } from '../rule-set/rule-set.service.js';
import { WhitelistService } from '../whitelist/whitelist.service.js';
import { decisionContextOf } from './decision-context.factory.js';
import { resolveDecision, type AppliedWhitelistEntry, type DecisionOutcome, type OrderPlan } from './decision-policy.js';
import { settleLotOutcome } from '../control-hold/lot-outcome.js';
import { publishDecisionRecord } from './decision-records.js';
import { LotFactsReader, type LotFacts } from './lot-facts.reader.js';
import { partyStatistics } from './party-statistics.js';

const S = `"${DECISION_ENGINE_SCHEMA}"`;

/** What the engine does when no rule set has been published yet: inspect at the standard's usual plan. */
const NO_RULE_SET_ACTION: RuleAction = { kind: 'inspect', level: 'II', aql: 2.5 };
const NO_RULE_SET_AGENCY = 'Bonded Warehouse Inspection Agency';
/** Advisory lock key shared by receipts and the archive projection (see lockReceiptResolution). */
const RECEIPT_RESOLUTION_LOCK = 2_859_001;

/** A lot's decision as the API shows it and the ledger anchors it: everything needed to see why. */
export interface LotDecisionRecord {
  readonly id: string;
  readonly lotId: string;
  readonly lotNumber: string;
  readonly gtin: string;
  readonly receivedEventId: string;
  readonly decidedAt: string;
  readonly outcome: DecisionOutcome;
  readonly reason: string;
  /** null when no rule set was published and the built-in default applied. */
  readonly ruleSetVersion: number | null;
  readonly rule: { readonly id: string; readonly description: string; readonly condition: string; readonly seen: Record<string, unknown> } | null;
  readonly action: RuleAction;
  readonly ruleErrors: readonly { readonly ruleId: string; readonly message: string }[];
  /** Entries that changed the outcome (an exemption, a reduced plan). */
  readonly whitelistApplied: readonly AppliedWhitelistEntry[];
  /** Every entry in force for the lot's merchant, brand, factory and product, applied or not. */
  readonly whitelistInForce: readonly AppliedWhitelistEntry[];
  readonly supplier: SupplierKey & { readonly state: string };
  readonly plan: OrderPlan | null;
  readonly agency: string | null;
  /** Seeds the rules' `random` and the draw of units, so both can be reproduced. */
  readonly seed: string;
  /** 1-based positions of the units to inspect (empty when none, or when every unit is). */
  readonly sampleUnits: readonly number[];
}

export function supplierKeyOf(facts: LotFacts): SupplierKey {
  return { factoryKey: facts.factory?.id ?? `brand:${facts.product.brandId}`, category: facts.product.category };
}

/**
 * Decides a received lot, inside the transaction that records its receipt: reads the facts, runs
 * the rule set in force, applies whitelists and the supplier's switching state, draws the units to
 * sample, and stores the decision (and its inspection order) with an anchorable record through the
 * outbox. A lot is decided once; a receipt seen again changes nothing.
 */
@Injectable()
export class LotDecisionService {
  constructor(
    private readonly ruleSets: RuleSetService,
    private readonly whitelist: WhitelistService,
    @Inject(ENGINE_CONFIG) private readonly config: DecisionEngineConfig,
    @Inject(ENGINE_LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * Receipts and the archive's lot and product records arrive on different topics, in concurrent
   * transactions: without this lock a receipt could be parked just as its lot arrives, each
   * transaction missing the other's uncommitted row, and the lot would never be decided. Both paths
   * take it (for the rest of their transaction) before looking for the other.
   */
  async lockReceiptResolution(manager: EntityManager): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock($1)', [RECEIPT_RESOLUTION_LOCK]);
  }

  /** Decides a lot named by GTIN and lot number, or parks the receipt until the archive knows the lot. */
  async onReceipt(manager: EntityManager, receipt: { gtin: string; lotNumber: string; eventId: string; receivedAt: Date }): Promise<LotDecisionRecord | null> {
    await this.lockReceiptResolution(manager);
    const lotId = await new LotFactsReader(manager).lotIdOf(receipt.gtin, receipt.lotNumber);
    if (lotId === null) {
      await manager.query(
        `INSERT INTO ${S}."pending_receipts" ("gtin", "lot_number", "received_event_id", "received_at") VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
        [receipt.gtin, receipt.lotNumber, receipt.eventId, receipt.receivedAt],
      );
      return null;
    }
    return this.decide(manager, { lotId, eventId: receipt.eventId, receivedAt: receipt.receivedAt });
  }

  /** Decides parked receipts of a lot the archive has just told us about. */
  async onLotKnown(manager: EntityManager, lotId: string): Promise<void> {
    await this.lockReceiptResolution(manager);
    const rows: { received_event_id: string; received_at: Date }[] = await manager.query(
      `WITH changed AS (DELETE FROM ${S}."pending_receipts" r USING ${S}."archive_projection" l, ${S}."archive_projection" p
       WHERE l."id" = $1 AND p."id"::text = l."record"->>'productId' AND r."gtin" = p."record"->>'gtin' AND r."lot_number" = l."record"->>'lotNumber'
       RETURNING r."received_event_id", r."received_at") SELECT * FROM changed`,
      [lotId],
    );
    const first = rows.sort((a, b) => a.received_at.getTime() - b.received_at.getTime())[0];
    if (first !== undefined) await this.decide(manager, { lotId, eventId: first.received_event_id, receivedAt: first.received_at });
  }

  async decide(manager: EntityManager, receipt: { lotId: string; eventId: string; receivedAt: Date }): Promise<LotDecisionRecord | null> {
    const already: unknown[] = await manager.query(`SELECT 1 FROM ${S}."decisions" WHERE "lot_id" = $1`, [receipt.lotId]);
    if (already.length > 0) return null;
    const facts = await new LotFactsReader(manager).read(receipt.lotId);
    if (facts === null) return null;
    const decidedAt = new Date();
    const supplier = supplierKeyOf(facts);
    const merchantId = facts.merchant?.id ?? null;
    const statistics = await partyStatistics(manager, { factoryId: facts.factory?.id ?? null, merchantId, category: facts.product.category });
    await manager.query(
      `INSERT INTO ${S}."lot_outcomes" ("lot_id", "factory_id", "merchant_id", "category", "origin", "received_at", "received_event_id")
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
      [facts.lot.id, facts.factory?.id ?? null, merchantId, facts.product.category, facts.product.originCountry, receipt.receivedAt, receipt.eventId],
    );
    const switching = await new SupplierStateRepository(manager).peek(supplier);
    const ruleSet = await this.ruleSets.activeAt(manager, decidedAt);
    const seed = newDecisionSeed();
    const context: DecisionContext = decisionContextOf({
      facts,
      statistics,
      supplierState: switching.state,
      random: uniformFromSeed(seed, 'rules'),
      decidedAt,
      tables: ruleSet?.definition.tables ?? {},
    });
    const verdict = ruleSet?.compiled.decide(context) ?? null;
    const action = verdict?.action ?? NO_RULE_SET_ACTION;
    const firedRule = verdict?.ruleId === null || verdict === null ? null : ruleSet!.definition.rules.find((rule) => rule.id === verdict.ruleId) ?? null;
    const ruleLabel = ruleSet === null ? 'no rule set is published, so the default plan' : firedRule === null ? `rule set v${ruleSet.version}'s default action` : `rule ${firedRule.id}`;
    const whitelistApplicable = await this.whitelist.applicable(
      manager,
      { merchant: merchantId ?? '', brand: facts.brand?.id ?? '', factory: facts.factory?.id ?? '', product: facts.product.id },
      decidedAt,
    );
    const resolution = resolveDecision({ action, ruleLabel, lotSize: facts.lot.quantity, supplierState: switching.state, whitelist: whitelistApplicable, reducedVariant: this.config.REDUCED_INSPECTION_VARIANT });
    const plan = resolution.plan;
    const sampleUnits = plan === null || plan.inspectAll ? [] : drawSample({ seed, populationSize: facts.lot.quantity, sampleSize: plan.sampleSize }).map((index) => index + 1);
    const agency = plan === null ? null : (ruleSet?.definition.inspectionAgency ?? NO_RULE_SET_AGENCY);

    const record: LotDecisionRecord = {
      id: crypto.randomUUID(),
      lotId: facts.lot.id,
      lotNumber: facts.lot.lotNumber,
      gtin: facts.product.gtin,
      receivedEventId: receipt.eventId,
      decidedAt: decidedAt.toISOString(),
      outcome: resolution.outcome,
      reason: resolution.reason,
      ruleSetVersion: ruleSet?.version ?? null,
      rule: firedRule === null ? null : { id: firedRule.id, description: firedRule.description, condition: firedRule.condition, seen: verdict?.seen ?? {} },
      action,
      ruleErrors: verdict?.errors ?? [],
      whitelistApplied: resolution.whitelistApplied,
      whitelistInForce: whitelistApplicable,
      supplier: { ...supplier, state: switching.state },
      plan,
      agency,
      seed,
      sampleUnits,
    };
    await manager.query(
      `INSERT INTO ${S}."decisions" ("id", "lot_id", "decided_at", "initial_outcome", "outcome", "rule_set_version", "rule_id", "sample_size", "context", "record")
       VALUES ($1, $2, $3, $4, $4, $5, $6, $7, $8, $9)`,
      [record.id, record.lotId, decidedAt, record.outcome, record.ruleSetVersion, firedRule?.id ?? null, plan?.sampleSize ?? 0, JSON.stringify(context), JSON.stringify(record)],
    );
    if (plan !== null) {
      await manager.query(
        `INSERT INTO ${S}."inspection_orders" ("id", "decision_id", "lot_id", "agency", "status", "plan", "seed", "sample_units", "supplier_factory_key", "supplier_category", "created_at")
         VALUES ($1, $2, $3, $4, 'open', $5, $6, $7, $8, $9, $10)`,
        [crypto.randomUUID(), record.id, record.lotId, agency, JSON.stringify(plan), seed, sampleUnits, supplier.factoryKey, supplier.category, decidedAt],
      );
    }
    await publishDecisionRecord(manager, DecisionRecordTypes.lotDecision, { ...record }, record.lotId);
    // A lot product control already holds (a recall, a certification revoked before it arrived) stays held.
    await settleLotOutcome(manager, record.lotId);
    this.logger.info({ lotId: record.lotId, outcome: record.outcome, rule: firedRule?.id ?? null, ruleSetVersion: record.ruleSetVersion }, 'lot decided');
    return record;
  }
}
