import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { OutboxRelay } from '@traceport/messaging';
import type { Logger } from 'pino';
import { DataSource, type EntityManager } from 'typeorm';
import { TraceForwardService } from '../trace/trace-forward.service.js';
import { affectedLotsOf } from './affected-lots.js';
import { certificationCausesOf, validCertificationReferences } from './certification-causes.js';
import { HoldService } from './hold.service.js';

export const CONTROL_LOGGER = Symbol('CONTROL_LOGGER');

const S = '"data_service"';

/** An inspection result as the decision engine anchors it (the fields product control reads). */
interface InspectionResult {
  readonly id: string;
  readonly lotId: string;
  readonly agency: string;
  readonly verdict: string;
  readonly reason: string;
  readonly notes?: string;
}

/**
 * Turns causes into holds: an inspection result that rejects a lot, and a factory's certification
 * that lapses or is revoked. Each cause holds what a trace forward from it reaches and has not been
 * shipped out of the warehouse, inside the caller's transaction.
 */
@Injectable()
export class ControlCauseService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly forward: TraceForwardService,
    private readonly holds: HoldService,
    private readonly relay: OutboxRelay,
    @Inject(CONTROL_LOGGER) private readonly logger: Logger,
  ) {}

  async onInspectionResult(manager: EntityManager, result: InspectionResult): Promise<void> {
    if (result.verdict !== 'rejected') return;
    const rows: { gtin: string; lot_number: string }[] = await manager.query(
      `SELECT p."record"->>'gtin' AS "gtin", l."record"->>'lotNumber' AS "lot_number"
       FROM ${S}."archive_records" l JOIN ${S}."archive_records" p ON p."record_type" = 'archive.product' AND p."id"::text = l."record"->>'productId' AND p."superseded_at" IS NULL
       WHERE l."record_type" = 'archive.lot' AND l."id" = $1 AND l."superseded_at" IS NULL`,
      [result.lotId],
    );
    const lot = rows[0];
    if (lot === undefined) {
      this.logger.warn({ lotId: result.lotId, resultId: result.id }, 'an inspection rejected a lot the archive does not know; nothing to hold');
      return;
    }
    const affected = await affectedLotsOf(this.db, await this.forward.affectedSet({ lots: [{ gtin: lot.gtin, lot: lot.lot_number }] }));
    const placed = await this.holds.placeHolds(manager, { kind: 'inspection-failed', reason: `${result.agency} rejected lot ${lot.lot_number}: ${result.reason}${result.notes ? ` (${result.notes.slice(0, 500)})` : ''}`, reference: result.id }, affected.lots);
    this.logger.info({ lotId: result.lotId, resultId: result.id, held: placed.length }, 'inspection failure: lots held');
  }

  /**
   * Fires the factory's certification causes not yet acted on (each once). A revocation always
   * fires; an expiry only for a certification seen valid before (on an earlier version of the
   * factory, or by an earlier check), so a factory registered with a long-lapsed certificate — which
   * the decision rules judge at each receipt — does not hold lots it has just shipped in.
   */
  async onFactory(manager: EntityManager, factoryId: string, record: Record<string, unknown>, today = new Date().toISOString().slice(0, 10)): Promise<number> {
    const seenValid = validCertificationReferences(factoryId, record, today).map((reference) => `seen-valid:${reference}`);
    if (seenValid.length > 0) await manager.query(`INSERT INTO ${S}."control_causes" ("cause_key") SELECT unnest($1::text[]) ON CONFLICT DO NOTHING`, [seenValid]);
    let held = 0;
    for (const cause of certificationCausesOf(factoryId, record, today)) {
      if (cause.kind === 'certification-expired') {
        const seen: unknown[] = await manager.query(`SELECT 1 FROM ${S}."control_causes" WHERE "cause_key" = $1`, [`seen-valid:${cause.reference}`]);
        if (seen.length === 0) continue;
      }
      const fresh: unknown[] = await manager.query(`INSERT INTO ${S}."control_causes" ("cause_key") VALUES ($1) ON CONFLICT DO NOTHING RETURNING 1`, [cause.key]);
      if (fresh.length === 0) continue;
      const affected = await affectedLotsOf(this.db, await this.forward.affectedSet({ factoryId }));
      const placed = await this.holds.placeHolds(manager, cause, affected.lots);
      held += placed.length;
      this.logger.info({ factoryId, cause: cause.kind, reference: cause.reference, held: placed.length, shippedOut: affected.lots.filter((lot) => lot.warehouseStatus === 'shipped-out').length }, 'certification cause: lots held');
    }
    return held;
  }

  /**
   * The periodic check: certifications that lapsed (or whose revocation took effect) since their
   * factory record was last written. One replica at a time (a transaction-scoped advisory lock).
   */
  async checkCertifications(today = new Date().toISOString().slice(0, 10)): Promise<number> {
    const held = await this.db.transaction(async (manager) => {
      const [{ locked }] = (await manager.query(`SELECT pg_try_advisory_xact_lock(9162001) AS "locked"`)) as [{ locked: boolean }];
      if (!locked) return 0;
      const factories: { id: string; record: Record<string, unknown> }[] = await manager.query(
        `SELECT "id"::text AS "id", "record" FROM ${S}."archive_records"
         WHERE "record_type" = 'archive.factory' AND "superseded_at" IS NULL
           AND jsonb_path_exists("record", '$.certifications[*] ? (@.validTo < $today || @.revokedAt <= $today)', jsonb_build_object('today', $1::text))`,
        [today],
      );
      let count = 0;
      for (const factory of factories) count += await this.onFactory(manager, factory.id, factory.record, today);
      return count;
    });
    if (held > 0) this.relay.nudge();
    return held;
  }
}
