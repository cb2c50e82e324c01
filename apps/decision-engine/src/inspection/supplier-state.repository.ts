import { DecisionRecordTypes } from '@traceport/contracts';
import { initialSwitchingState, type SwitchingState } from '@traceport/sampling';
import type { EntityManager } from 'typeorm';
import { DECISION_ENGINE_SCHEMA } from '../config.js';
import { publishDecisionRecord } from '../decision/decision-records.js';

const S = `"${DECISION_ENGINE_SCHEMA}"`;

/** A supplier in ISO 2859-1's sense: one factory's production of one product category. */
export interface SupplierKey {
  /** The factory's id; products with no factory on record are grouped by brand. */
  readonly factoryKey: string;
  readonly category: string;
}

export interface SupplierStateChangeRecord {
  readonly id: string;
  readonly factoryKey: string;
  readonly category: string;
  readonly from: string;
  readonly to: string;
  readonly reason: string;
  readonly lotId: string | null;
  readonly at: string;
  readonly switching: SwitchingState;
}

/** Reads, locks and moves suppliers' switching states; every change is recorded and anchored. */
export class SupplierStateRepository {
  constructor(private readonly manager: EntityManager) {}

  /** The current state, locked for the rest of the transaction (a fresh supplier starts at normal). */
  async lock(key: SupplierKey): Promise<SwitchingState> {
    await this.manager.query(
      `INSERT INTO ${S}."supplier_states" ("factory_key", "category", "state") VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
      [key.factoryKey, key.category, JSON.stringify(initialSwitchingState())],
    );
    const rows: { state: SwitchingState }[] = await this.manager.query(
      `SELECT "state" FROM ${S}."supplier_states" WHERE "factory_key" = $1 AND "category" = $2 FOR UPDATE`,
      [key.factoryKey, key.category],
    );
    return rows[0]!.state;
  }

  /** Current state without locking or creating it. */
  async peek(key: SupplierKey): Promise<SwitchingState> {
    const rows: { state: SwitchingState }[] = await this.manager.query(`SELECT "state" FROM ${S}."supplier_states" WHERE "factory_key" = $1 AND "category" = $2`, [key.factoryKey, key.category]);
    return rows[0]?.state ?? initialSwitchingState();
  }

  async save(key: SupplierKey, next: SwitchingState, change: { from: string; to: string; reason: string; lotId: string | null } | null, at: Date): Promise<void> {
    await this.manager.query(`UPDATE ${S}."supplier_states" SET "state" = $3, "updated_at" = $4 WHERE "factory_key" = $1 AND "category" = $2`, [
      key.factoryKey,
      key.category,
      JSON.stringify(next),
      at,
    ]);
    if (change === null) return;
    const record: SupplierStateChangeRecord = { id: crypto.randomUUID(), ...key, ...change, at: at.toISOString(), switching: next };
    await this.manager.query(`INSERT INTO ${S}."supplier_state_changes" ("id", "factory_key", "category", "at", "record") VALUES ($1, $2, $3, $4, $5)`, [
      record.id,
      key.factoryKey,
      key.category,
      at,
      JSON.stringify(record),
    ]);
    await publishDecisionRecord(this.manager, DecisionRecordTypes.supplierState, { ...record }, `${key.factoryKey}/${key.category}`);
  }

  async changes(key: SupplierKey): Promise<SupplierStateChangeRecord[]> {
    const rows: { record: SupplierStateChangeRecord }[] = await this.manager.query(
      `SELECT "record" FROM ${S}."supplier_state_changes" WHERE "factory_key" = $1 AND "category" = $2 ORDER BY "at", "id"`,
      [key.factoryKey, key.category],
    );
    return rows.map((row) => row.record);
  }
}
