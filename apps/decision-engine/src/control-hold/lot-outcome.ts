import type { EntityManager } from 'typeorm';
import { DECISION_ENGINE_SCHEMA } from '../config.js';

const S = `"${DECISION_ENGINE_SCHEMA}"`;

/**
 * A lot's outcome from everything that decides it: an open product-control hold holds it, whatever
 * else says (so a passing inspection result cannot release a held lot); otherwise its inspection
 * order's verdict (accepted releases, rejected holds, open waits), or the decision itself when no
 * inspection was ordered. Called whenever one of those changes; a lot not yet decided is left alone
 * (its decision reads the holds when it is made).
 */
export async function settleLotOutcome(manager: EntityManager, lotId: string): Promise<void> {
  await manager.query(
    `UPDATE ${S}."decisions" d SET "outcome" = CASE
       WHEN EXISTS (SELECT 1 FROM ${S}."control_holds" h WHERE h."lot_id" = d."lot_id"::text AND h."status" = 'open') THEN 'held'
       ELSE coalesce(
         (SELECT CASE o."status" WHEN 'accepted' THEN 'released' WHEN 'rejected' THEN 'held' ELSE 'inspection-ordered' END
          FROM ${S}."inspection_orders" o WHERE o."decision_id" = d."id"),
         d."initial_outcome")
     END
     WHERE d."lot_id"::text = $1`,
    [lotId],
  );
}

/** The open holds on a lot, as product control anchored them. */
export async function openHoldsOf(manager: EntityManager, lotId: string): Promise<Record<string, unknown>[]> {
  const rows: { record: Record<string, unknown> }[] = await manager.query(`SELECT "record" FROM ${S}."control_holds" WHERE "lot_id" = $1 AND "status" = 'open'`, [lotId]);
  return rows.map((row) => row.record);
}
