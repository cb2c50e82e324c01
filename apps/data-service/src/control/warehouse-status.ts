import type { EntityManager } from 'typeorm';
import type { LotKey } from '../epcis/captured-event.js';
import { lotKeyOf } from '../trace/trace-sql.js';

const SCHEMA = 'data_service';
const cbv = (step: string) => `https://ref.gs1.org/cbv/BizStep-${step}`;

/** Business steps that bring a lot (or a container holding it) into a site: the bonded warehouse's receipt. */
export const ARRIVAL_STEPS = ['receiving', 'arriving', 'accepting'].map(cbv);
/** Business steps that take it out again: shipped to a customer, departed, sold or destroyed. */
export const DEPARTURE_STEPS = ['shipping', 'departing', 'retail_selling', 'destroying', 'decommissioning'].map(cbv);

/**
 * Where a lot is, read from its EPCIS trail (every event naming the lot, its items, or a container
 * they were packed in, so shipping a pallet moves every lot on it):
 * - in-warehouse: it was received, and nothing has shipped it since its last receipt;
 * - shipped-out: something shipped it after its last receipt;
 * - not-received: no receipt yet (still at the factory or on its way).
 * A lot is held unless it is shipped out: a lot on its way is held so that its receipt cannot release it.
 */
export type WarehouseStatus = 'in-warehouse' | 'shipped-out' | 'not-received';

export async function warehouseStatusOf(manager: EntityManager, lots: readonly LotKey[]): Promise<Map<string, WarehouseStatus>> {
  const statuses = new Map<string, WarehouseStatus>(lots.map((lot) => [lotKeyOf(lot), 'not-received']));
  if (lots.length === 0) return statuses;
  const rows: { gtin: string; lot: string; received: Date | null; departed: Date | null }[] = await manager.query(
    `SELECT s."gtin"::text AS "gtin", s."lot",
            max(e."event_time") FILTER (WHERE e."biz_step" = ANY($3::text[])) AS "received",
            max(e."event_time") FILTER (WHERE e."biz_step" = ANY($4::text[])) AS "departed"
     FROM unnest($1::bpchar[], $2::text[]) AS s ("gtin", "lot")
     JOIN "${SCHEMA}"."epcis_lot_links" l ON l."gtin" = s."gtin" AND l."lot" = s."lot"
     JOIN "${SCHEMA}"."epcis_events" e ON e."seq" = l."event_seq" AND e."latest" AND NOT (e."body" ? 'errorDeclaration')
     GROUP BY 1, 2`,
    [lots.map((lot) => lot.gtin), lots.map((lot) => lot.lot), ARRIVAL_STEPS, DEPARTURE_STEPS],
  );
  for (const row of rows) statuses.set(lotKeyOf({ gtin: row.gtin.trim(), lot: row.lot }), statusFrom(row.received, row.departed));
  return statuses;
}

export function statusFrom(received: Date | null, departed: Date | null): WarehouseStatus {
  if (received === null) return 'not-received';
  return departed !== null && departed > received ? 'shipped-out' : 'in-warehouse';
}
