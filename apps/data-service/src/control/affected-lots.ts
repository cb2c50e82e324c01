import type { DataSource } from 'typeorm';
import type { ItemKey } from '../epcis/captured-event.js';
import type { AffectedSet } from '../trace/trace-forward.service.js';
import { lotKeyOf } from '../trace/trace-sql.js';
import { warehouseStatusOf, type WarehouseStatus } from './warehouse-status.js';

export interface AffectedLot {
  readonly gtin: string;
  readonly lot: string;
  /** The archive lot's id; empty for a lot only the trail knows. */
  readonly lotId: string;
  readonly items: number;
  readonly warehouseStatus: WarehouseStatus;
}

/** What holds and recalls act on: whole lots with where they are, and items of no known lot. */
export interface AffectedLots {
  readonly lots: readonly AffectedLot[];
  readonly looseItems: readonly ItemKey[];
  readonly items: number;
  readonly containers: number;
}

/**
 * The lots a trace forward reached — the lots traced from and those made from them — with their
 * archive ids, item counts and warehouse status. Lots that merely shared a container with affected
 * items (co-packed) are not affected: their items are not the product at fault.
 */
export async function affectedLotsOf(db: DataSource, affected: AffectedSet): Promise<AffectedLots> {
  const { reach } = affected;
  const archiveIds = new Map(affected.archiveLots.map((lot) => [lotKeyOf(lot), lot.lotId]));
  const statuses = await warehouseStatusOf(db.manager, reach.lots);
  const lots = reach.lots.map((lot): AffectedLot => {
    const key = lotKeyOf(lot);
    return { gtin: lot.gtin, lot: lot.lot, lotId: archiveIds.get(key) ?? '', items: affected.itemCounts.get(key) ?? 0, warehouseStatus: statuses.get(key) ?? 'not-received' };
  });
  return {
    lots,
    looseItems: reach.looseItems,
    items: lots.reduce((sum, lot) => sum + lot.items, 0) + reach.looseItems.length,
    containers: reach.containerCount,
  };
}
