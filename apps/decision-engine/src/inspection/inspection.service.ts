import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DecisionRecordTypes, type HoldRecord } from '@traceport/contracts';
import { conflict, DomainException, invalid, notFound } from '@traceport/errors';
import type { SwitchingState } from '@traceport/sampling';
import { DataSource, type EntityManager } from 'typeorm';
import { z } from 'zod';
import { DECISION_ENGINE_SCHEMA, type DecisionEngineConfig } from '../config.js';
import type { DecisionOutcome, OrderPlan } from '../decision/decision-policy.js';
import { publishDecisionRecord } from '../decision/decision-records.js';
import type { LotDecisionRecord } from '../decision/lot-decision.service.js';
import { ENGINE_CONFIG } from '../engine.tokens.js';
import { timeWindowOf } from '../decision/time-window.js';
import { settleLotOutcome } from '../control-hold/lot-outcome.js';
import { judgeInspection } from './inspection-verdict.js';
import { SupplierStateRepository, type SupplierKey, type SupplierStateChangeRecord } from './supplier-state.repository.js';
import { advanceSwitching, resumeSwitching } from './switching.js';

const S = `"${DECISION_ENGINE_SCHEMA}"`;

export interface InspectionResultRecord {
  readonly id: string;
  readonly orderId: string;
  readonly lotId: string;
  readonly agency: string;
  readonly inspector: string;
  readonly critical: number;
  readonly major: number;
  readonly minor: number;
  readonly notes: string;
  readonly verdict: 'accepted' | 'rejected';
  readonly reason: string;
  readonly plan: OrderPlan;
  readonly recordedAt: string;
  readonly supplier: SupplierKey & { readonly stateBefore: string; readonly stateAfter: string };
}

export interface OrderView {
  readonly id: string;
  readonly lotId: string;
  readonly decisionId: string;
  readonly agency: string;
  readonly status: 'open' | 'accepted' | 'rejected';
  readonly plan: OrderPlan;
  readonly seed: string;
  readonly sampleUnits: number[];
  readonly createdAt: string;
  readonly result: InspectionResultRecord | null;
}

export interface DecisionView {
  readonly id: string;
  readonly lotId: string;
  readonly outcome: DecisionOutcome;
  readonly initialOutcome: DecisionOutcome;
  readonly decidedAt: string;
  readonly ruleSetVersion: number | null;
  readonly ruleId: string | null;
  readonly record: LotDecisionRecord;
  readonly order: OrderView | null;
  /** Product control's open holds on the lot: while any is open, the lot stays held. */
  readonly heldBy: readonly { readonly holdId: string; readonly causeKind: string; readonly reason: string; readonly heldAt: string }[];
}

export interface SupplierStateView extends SupplierKey {
  readonly state: string;
  readonly detail: SwitchingState;
  readonly updatedAt: string;
  readonly changes: SupplierStateChangeRecord[];
}

interface OrderRow {
  id: string;
  lot_id: string;
  decision_id: string;
  agency: string;
  status: 'open' | 'accepted' | 'rejected';
  plan: OrderPlan;
  seed: string;
  sample_units: number[];
  supplier_factory_key: string;
  supplier_category: string;
  created_at: Date;
  result: InspectionResultRecord | null;
}

const ORDER_COLUMNS = `o."id", o."lot_id", o."decision_id", o."agency", o."status", o."plan", o."seed", o."sample_units", o."supplier_factory_key", o."supplier_category", o."created_at", r."record" AS "result"`;
const ORDER_FROM = `${S}."inspection_orders" o LEFT JOIN ${S}."inspection_results" r ON r."order_id" = o."id"`;

const orderViewOf = (row: OrderRow): OrderView => ({
  id: row.id,
  lotId: row.lot_id,
  decisionId: row.decision_id,
  agency: row.agency,
  status: row.status,
  plan: row.plan,
  seed: row.seed,
  sampleUnits: row.sample_units,
  createdAt: row.created_at.toISOString(),
  result: row.result,
});

const resultInputSchema = z.object({
  orderId: z.uuid('an inspection order id'),
  agency: z.string().trim().min(1, 'required').max(200),
  inspector: z.string().trim().min(1, 'required').max(200),
  critical: z.number().int().min(0).max(10_000_000),
  major: z.number().int().min(0).max(10_000_000),
  minor: z.number().int().min(0).max(10_000_000),
  notes: z.string().max(4_000).default(''),
});
export type InspectionResultInput = z.input<typeof resultInputSchema>;

/** Page tokens are the last row's sort key, so pages stay stable while new rows arrive. */
const tokenOf = (at: Date, id: string) => Buffer.from(JSON.stringify([at.toISOString(), id])).toString('base64url');
function parseToken(token: string): [string, string] | null {
  if (token === '') return null;
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString()) as unknown;
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[0] === 'string' && typeof parsed[1] === 'string') return [parsed[0], parsed[1]];
  } catch {
    // fall through
  }
  throw invalid('invalid-page-token', 'page_token is not one this API gave out', [{ field: 'page_token', message: 'unknown token' }]);
}
const pageSizeOf = (size: number) => (size <= 0 ? 50 : Math.min(size, 500));

/**
 * Inspection orders and the agencies' results: a result is judged by the order's plan, releases or
 * holds the lot, updates the statistics rules read, and moves the supplier's switching state — all
 * in one transaction, with the result and any state change anchored.
 */
@Injectable()
export class InspectionService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(ENGINE_CONFIG) private readonly config: DecisionEngineConfig,
  ) {}

  async submitResult(input: InspectionResultInput): Promise<{ result: InspectionResultRecord; supplier: SupplierStateView; replayed: boolean }> {
    const parsed = resultInputSchema.safeParse(input);
    if (!parsed.success) {
      const violations = parsed.error.issues.map((issue) => ({ field: String(issue.path[0] ?? 'result').replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), message: issue.message }));
      throw invalid('invalid-inspection-result', `the inspection result is not valid: ${violations.map((v) => `${v.field}: ${v.message}`).join('; ')}`, violations);
    }
    const found = parsed.data;
    return this.dataSource.transaction(async (manager) => {
      const rows: OrderRow[] = await manager.query(`SELECT ${ORDER_COLUMNS} FROM ${ORDER_FROM} WHERE o."id" = $1 FOR UPDATE OF o`, [found.orderId]);
      const order = rows[0];
      if (order === undefined) throw notFound('inspection-order-not-found', `no inspection order ${found.orderId}`);
      const supplierKey: SupplierKey = { factoryKey: order.supplier_factory_key, category: order.supplier_category };
      const suppliers = new SupplierStateRepository(manager);
      if (order.result !== null) {
        const same = order.result.critical === found.critical && order.result.major === found.major && order.result.minor === found.minor && order.result.agency === found.agency;
        if (!same) throw conflict('inspection-result-exists', `order ${order.id} already has a result (recorded ${order.result.recordedAt}); a result is never overwritten`);
        return { result: order.result, supplier: await this.supplierView(manager, supplierKey), replayed: true };
      }
      if (order.agency !== found.agency) {
        throw new DomainException('inspection-order-of-another-agency', 'forbidden', `order ${order.id} was placed with ${order.agency}, not ${found.agency}`);
      }
      const verdict = judgeInspection(order.plan, found);
      const recordedAt = new Date();
      const before = await suppliers.lock(supplierKey);
      const step = advanceSwitching(before, {
        plan: order.plan,
        major: found.major,
        critical: found.critical,
        verdict,
        reducedApproved: this.config.REDUCED_INSPECTION_APPROVED,
        reducedVariant: order.plan.reducedVariant,
      });
      await suppliers.save(supplierKey, step.next, step.change === null ? null : { ...step.change, lotId: order.lot_id }, recordedAt);

      const result: InspectionResultRecord = {
        id: crypto.randomUUID(),
        orderId: order.id,
        lotId: order.lot_id,
        agency: found.agency,
        inspector: found.inspector,
        critical: found.critical,
        major: found.major,
        minor: found.minor,
        notes: found.notes,
        verdict: verdict.accepted ? 'accepted' : 'rejected',
        reason: verdict.reason,
        plan: order.plan,
        recordedAt: recordedAt.toISOString(),
        supplier: { ...supplierKey, stateBefore: before.state, stateAfter: step.next.state },
      };
      await manager.query(`INSERT INTO ${S}."inspection_results" ("id", "order_id", "recorded_at", "record") VALUES ($1, $2, $3, $4)`, [result.id, order.id, recordedAt, JSON.stringify(result)]);
      await manager.query(`UPDATE ${S}."inspection_orders" SET "status" = $2 WHERE "id" = $1`, [order.id, result.verdict]);
      // The verdict releases or holds the lot, unless product control holds it: an open hold outlasts a passing result.
      await settleLotOutcome(manager, order.lot_id);
      await manager.query(`UPDATE ${S}."lot_outcomes" SET "result" = $2, "inspected_at" = $3 WHERE "lot_id" = $1`, [order.lot_id, verdict.accepted ? 'passed' : 'failed', recordedAt]);
      await publishDecisionRecord(manager, DecisionRecordTypes.inspectionResult, { ...result }, order.lot_id);
      return { result, supplier: await this.supplierView(manager, supplierKey), replayed: false };
    });
  }

  async lotDecision(lotId: string): Promise<DecisionView> {
    if (!z.uuid().safeParse(lotId).success) throw invalid('invalid-lot-id', 'lot_id must be a lot record id (a UUID)', [{ field: 'lot_id', message: 'a UUID' }]);
    const views = await this.decisions('WHERE d."lot_id" = $1', [lotId]);
    if (views[0] === undefined) throw notFound('decision-not-found', `lot ${lotId} has not been decided (it is decided when the bonded warehouse reports receiving it)`);
    return views[0];
  }

  async listDecisions(filter: { outcome: string; from: string; to: string; pageSize: number; pageToken: string }): Promise<{ decisions: DecisionView[]; nextPageToken: string }> {
    if (filter.outcome !== '' && !['released', 'inspection-ordered', 'held'].includes(filter.outcome)) {
      throw invalid('invalid-decision-query', 'outcome must be released, inspection-ordered or held', [{ field: 'outcome', message: 'unknown outcome' }]);
    }
    const after = parseToken(filter.pageToken);
    const size = pageSizeOf(filter.pageSize);
    const window = timeWindowOf(filter.from, filter.to, 'invalid-decision-query');
    const views = await this.decisions(
      `WHERE ($1 = '' OR d."outcome" = $1) AND d."decided_at" >= $2 AND d."decided_at" < $3
         AND ($4::timestamptz IS NULL OR (d."decided_at", d."id") < ($4::timestamptz, $5::uuid))
       ORDER BY d."decided_at" DESC, d."id" DESC LIMIT ${size + 1}`,
      [filter.outcome, window.from, window.to, after?.[0] ?? null, after?.[1] ?? null],
    );
    const page = views.slice(0, size);
    const last = page.at(-1);
    return { decisions: page, nextPageToken: views.length > size && last !== undefined ? tokenOf(new Date(last.decidedAt), last.id) : '' };
  }

  async listOrders(filter: { agency: string; status: string; pageSize: number; pageToken: string }): Promise<{ orders: OrderView[]; nextPageToken: string }> {
    if (filter.status !== '' && !['open', 'accepted', 'rejected'].includes(filter.status)) {
      throw invalid('invalid-order-query', 'status must be open, accepted or rejected', [{ field: 'status', message: 'unknown status' }]);
    }
    const after = parseToken(filter.pageToken);
    const size = pageSizeOf(filter.pageSize);
    const rows: OrderRow[] = await this.dataSource.query(
      `SELECT ${ORDER_COLUMNS} FROM ${ORDER_FROM}
       WHERE ($1 = '' OR o."agency" = $1) AND ($2 = '' OR o."status" = $2) AND ($3::timestamptz IS NULL OR (o."created_at", o."id") < ($3::timestamptz, $4::uuid))
       ORDER BY o."created_at" DESC, o."id" DESC LIMIT ${size + 1}`,
      [filter.agency, filter.status, after?.[0] ?? null, after?.[1] ?? null],
    );
    const page = rows.slice(0, size).map(orderViewOf);
    const last = rows[size - 1];
    return { orders: page, nextPageToken: rows.length > size && last !== undefined ? tokenOf(last.created_at, last.id) : '' };
  }

  async order(id: string): Promise<OrderView> {
    const rows: OrderRow[] = z.uuid().safeParse(id).success ? await this.dataSource.query(`SELECT ${ORDER_COLUMNS} FROM ${ORDER_FROM} WHERE o."id" = $1`, [id]) : [];
    if (rows[0] === undefined) throw notFound('inspection-order-not-found', `no inspection order ${id}`);
    return orderViewOf(rows[0]);
  }

  async supplierState(key: SupplierKey): Promise<SupplierStateView> {
    return this.supplierView(this.dataSource.manager, key);
  }

  async listSupplierStates(state: string): Promise<SupplierStateView[]> {
    const rows: { factory_key: string; category: string; state: SwitchingState; updated_at: Date }[] = await this.dataSource.query(
      `SELECT "factory_key", "category", "state", "updated_at" FROM ${S}."supplier_states" WHERE $1 = '' OR "state"->>'state' = $1 ORDER BY "updated_at" DESC LIMIT 1000`,
      [state],
    );
    return rows.map((row) => ({ factoryKey: row.factory_key, category: row.category, state: row.state.state, detail: row.state, updatedAt: row.updated_at.toISOString(), changes: [] }));
  }

  async resumeSupplier(key: SupplierKey, reason: string, actor: string): Promise<SupplierStateView> {
    return this.dataSource.transaction(async (manager) => {
      const suppliers = new SupplierStateRepository(manager);
      const before = await suppliers.lock(key);
      if (before.state !== 'discontinued') throw conflict('supplier-not-discontinued', `supplier ${key.factoryKey} × ${key.category} is under ${before.state} inspection, not discontinued`);
      const next = resumeSwitching(before);
      const why = `corrective action accepted by ${actor.trim() || 'unknown'}${reason.trim() === '' ? '' : `: ${reason.trim().slice(0, 500)}`}; inspection resumes under tightened inspection (ISO 2859-1 §9.4)`;
      await suppliers.save(key, next, { from: before.state, to: next.state, reason: why, lotId: null }, new Date());
      return this.supplierView(manager, key);
    });
  }

  private async supplierView(manager: EntityManager, key: SupplierKey): Promise<SupplierStateView> {
    const rows: { state: SwitchingState; updated_at: Date }[] = await manager.query(`SELECT "state", "updated_at" FROM ${S}."supplier_states" WHERE "factory_key" = $1 AND "category" = $2`, [key.factoryKey, key.category]);
    if (rows[0] === undefined) throw notFound('supplier-not-found', `no lot of supplier ${key.factoryKey} × ${key.category} has been inspected or decided`);
    return { ...key, state: rows[0].state.state, detail: rows[0].state, updatedAt: rows[0].updated_at.toISOString(), changes: await new SupplierStateRepository(manager).changes(key) };
  }

  private async decisions(where: string, parameters: unknown[]): Promise<DecisionView[]> {
    const rows: { id: string; lot_id: string; outcome: DecisionOutcome; initial_outcome: DecisionOutcome; decided_at: Date; rule_set_version: number | null; rule_id: string | null; record: LotDecisionRecord }[] =
      await this.dataSource.query(
        `SELECT d."id", d."lot_id", d."outcome", d."initial_outcome", d."decided_at", d."rule_set_version", d."rule_id", d."record" FROM ${S}."decisions" d ${where}`,
        parameters,
      );
    if (rows.length === 0) return [];
    const orders: OrderRow[] = await this.dataSource.query(`SELECT ${ORDER_COLUMNS} FROM ${ORDER_FROM} WHERE o."decision_id" = ANY($1::uuid[])`, [rows.map((row) => row.id)]);
    const orderOf = new Map(orders.map((order) => [order.decision_id, orderViewOf(order)]));
    const holds: { lot_id: string; record: HoldRecord }[] = await this.dataSource.query(
      `SELECT "lot_id", "record" FROM ${S}."control_holds" WHERE "status" = 'open' AND "lot_id" = ANY($1::text[])`,
      [rows.map((row) => row.lot_id)],
    );
    const holdsOf = (lotId: string) =>
      holds
        .filter((hold) => hold.lot_id === lotId)
        .map(({ record }) => ({ holdId: record.id, causeKind: record.cause.kind, reason: record.cause.reason, heldAt: record.heldAt }))
        .sort((a, b) => a.heldAt.localeCompare(b.heldAt));
    return rows.map((row) => ({
      id: row.id,
      lotId: row.lot_id,
      outcome: row.outcome,
      initialOutcome: row.initial_outcome,
      decidedAt: row.decided_at.toISOString(),
      ruleSetVersion: row.rule_set_version,
      ruleId: row.rule_id,
      record: row.record,
      order: orderOf.get(row.id) ?? null,
      heldBy: holdsOf(row.lot_id),
    }));
  }
}

