import type { DataSource, EntityManager } from 'typeorm';

/**
 * Runs a trace's large set-based statements in a read-only transaction tuned for them: enough
 * memory to hash a few hundred thousand keys without spilling, and no JIT compilation, which costs
 * more than it saves on statements that run in well under a second.
 */
export function tracing<T>(db: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  return db.transaction(async (manager) => {
    await manager.query(`SET TRANSACTION READ ONLY`);
    await manager.query(`SET LOCAL jit = off`);
    await manager.query(`SET LOCAL work_mem = '64MB'`);
    return work(manager);
  });
}

export const lotKeyOf = (lot: { gtin: string; lot: string }) => `${lot.gtin}/${lot.lot}`;
export const itemKeyOf = (item: { gtin: string; serial: string }) => `${item.gtin}/${item.serial}`;

/** The lot an item belongs to: as its events said, else as its identity was issued. `alias` names a row with gtin, serial and lot. */
export function lotOfItem(alias: string): string {
  return `coalesce(${alias}."lot",
    (SELECT il."lot" FROM "data_service"."epcis_item_lots" il WHERE il."gtin" = ${alias}."gtin" AND il."serial" = ${alias}."serial"),
    (SELECT iss."lot_number" FROM "data_service"."identities" id JOIN "data_service"."identity_issuances" iss ON iss."id" = id."issuance_id"
     WHERE id."gtin" = ${alias}."gtin" AND id."serial" = ${alias}."serial"))`;
}
