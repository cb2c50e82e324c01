import type { AffectedItemMessage, AffectedItemRelation } from '@traceport/contracts';
import type { DataSource } from 'typeorm';
import type { ForwardReach } from './trace-reach.js';
import { itemIdentifier, type ItemCursor } from './trace-request.js';

const SCHEMA = 'data_service';
/** Whole lots read per statement while filling a page. */
const LOTS_PER_READ = 64;

/**
 * A run of affected items with one GTIN and lot: a whole lot (its items read from the trail links in
 * serial order), or items listed one by one (co-packed items, transformation outputs of no known lot).
 */
export type ItemSection =
  | { readonly kind: 'lot'; readonly gtin: string; readonly lot: string; readonly relation: AffectedItemRelation }
  | { readonly kind: 'listed'; readonly gtin: string; readonly lot: string; readonly relation: AffectedItemRelation; readonly serials: readonly string[] };

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const sectionOrder = (a: { gtin: string; lot: string }, b: { gtin: string; lot: string }) => compare(a.gtin, b.gtin) || compare(a.lot, b.lot);

/** The affected items of a reach, as sections in (GTIN, lot) order; items of no known lot sort first under their GTIN. */
export function sectionsOf(reach: ForwardReach): ItemSection[] {
  const loose = new Map<string, string[]>();
  for (const item of reach.looseItems) loose.set(item.gtin, [...(loose.get(item.gtin) ?? []), item.serial]);
  return [
    ...reach.lots.map((lot): ItemSection => ({ kind: 'lot', gtin: lot.gtin, lot: lot.lot, relation: lot.relation === 'origin' ? 'lot' : 'transformed' })),
    ...reach.copacked.map((lot): ItemSection => ({ kind: 'listed', gtin: lot.gtin, lot: lot.lot, relation: 'co-packed', serials: lot.serials })),
    ...[...loose].map(([gtin, serials]): ItemSection => ({ kind: 'listed', gtin, lot: '', relation: 'transformed', serials: [...serials].sort(compare) })),
  ].sort(sectionOrder);
}

function itemOf(section: ItemSection, serial: string): AffectedItemMessage {
  return { gtin: section.gtin, lot: section.lot, serial, relation: section.relation, digitalLink: itemIdentifier(section.gtin, serial) };
}

/**
 * One page of affected items after the cursor, and whether more follow. Whole lots are read a run
 * at a time, each from its position in the (gtin, lot, serial) index, so a page deep inside a lot
 * of a million items costs what the first page does.
 */
export async function pageOfItems(db: DataSource, sections: readonly ItemSection[], after: ItemCursor | null, size: number): Promise<{ items: AffectedItemMessage[]; more: boolean }> {
  const sorted = [...sections].sort(sectionOrder);
  let index = after === null ? 0 : sorted.findIndex((section) => sectionOrder(section, after) >= 0);
  if (index < 0) index = sorted.length;
  const startOf = (section: ItemSection) => (after !== null && section.gtin === after.gtin && section.lot === after.lot ? after.serial : '');
  const collected: AffectedItemMessage[] = [];
  while (index < sorted.length && collected.length <= size) {
    const section = sorted[index]!;
    if (section.kind === 'listed') {
      const start = startOf(section);
      for (const serial of section.serials) {
        if (serial > start) collected.push(itemOf(section, serial));
        if (collected.length > size) break;
      }
      index += 1;
      continue;
    }
    const run: ItemSection[] = [];
    while (index < sorted.length && sorted[index]!.kind === 'lot' && run.length < LOTS_PER_READ) run.push(sorted[index++]!);
    const wanted = size + 1 - collected.length;
    const rows: { ord: string; serial: string }[] = await db.query(
      `SELECT r."ord"::text AS "ord", il."serial"
       FROM unnest($1::bpchar[], $2::text[], $3::text[]) WITH ORDINALITY AS r ("gtin", "lot", "after", "ord")
       CROSS JOIN LATERAL (
         SELECT i."serial" FROM "${SCHEMA}"."epcis_item_lots" i
         WHERE i."gtin" = r."gtin" AND i."lot" = r."lot" AND i."serial" > r."after" ORDER BY i."serial" LIMIT $4
       ) il
       ORDER BY r."ord", il."serial" LIMIT $4`,
      [run.map((section) => section.gtin), run.map((section) => section.lot), run.map(startOf), wanted],
    );
    for (const row of rows) collected.push(itemOf(run[Number(row.ord) - 1]!, row.serial));
  }
  return { items: collected.slice(0, size), more: collected.length > size };
}
