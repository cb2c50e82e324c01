import type { DataSource, EntityManager } from 'typeorm';
import type { ItemKey, LotKey } from '../epcis/captured-event.js';
import { lotOfItem } from './trace-sql.js';

const SCHEMA = 'data_service';

/** One side of a transformation: a lot (class), an item (with its lot when known), or another identifier. */
export interface TransformationPart {
  readonly identifier: string;
  readonly gtin: string | null;
  readonly lot: string | null;
  readonly serial: string | null;
}

/** A transformation input linked to one of its outputs. */
export interface TransformationLink {
  readonly transformation: string;
  readonly input: TransformationPart;
  readonly output: TransformationPart;
}

interface LinkRow {
  transformation: string;
  identifier: string;
  gtin: string | null;
  lot: string | null;
  serial: string | null;
  other_identifier: string;
  other_gtin: string | null;
  other_lot: string | null;
  other_serial: string | null;
}

/**
 * The transformations that have one of these lots, items or identifiers on the given side, each
 * linked to every part of its other side. A lot matches its class (an LGTIN) and any item of it;
 * items are placed in their lots as their events (or issued identities) say.
 */
export async function transformationLinks(
  db: DataSource | EntityManager,
  side: 'input' | 'output',
  given: { lots: readonly LotKey[]; items: readonly ItemKey[]; identifiers: readonly string[] },
): Promise<TransformationLink[]> {
  if (given.lots.length === 0 && given.items.length === 0 && given.identifiers.length === 0) return [];
  const gtins = [...new Set([...given.lots, ...given.items].map((key) => key.gtin))];
  const rows: LinkRow[] = await db.query(
    `WITH lots AS (SELECT * FROM unnest($2::bpchar[], $3::text[]) AS l ("gtin", "lot")),
     items AS (SELECT * FROM unnest($4::bpchar[], $5::text[]) AS i ("gtin", "serial")),
     parts AS (
       SELECT t."transformation", t."identifier", t."gtin", t."lot", t."serial"
       FROM lots JOIN "${SCHEMA}"."trace_transformations" t ON t."side" = $1 AND t."gtin" = lots."gtin" AND t."lot" = lots."lot" AND t."serial" IS NULL
       UNION
       SELECT t."transformation", t."identifier", t."gtin", r."lot", t."serial"
       FROM "${SCHEMA}"."trace_transformations" t CROSS JOIN LATERAL (SELECT ${lotOfItem('t')} AS "lot") r
       WHERE t."side" = $1 AND t."serial" IS NOT NULL AND t."gtin" = ANY($6::bpchar[])
         AND (EXISTS (SELECT 1 FROM lots WHERE lots."gtin" = t."gtin" AND lots."lot" = r."lot")
           OR EXISTS (SELECT 1 FROM items WHERE items."gtin" = t."gtin" AND items."serial" = t."serial"))
       UNION
       SELECT t."transformation", t."identifier", t."gtin", t."lot", t."serial"
       FROM "${SCHEMA}"."trace_transformations" t WHERE t."side" = $1 AND t."gtin" IS NULL AND t."identifier" = ANY($7::text[])
     )
     SELECT DISTINCT p."transformation", p."identifier", p."gtin"::text AS "gtin", p."lot", p."serial",
       o."identifier" AS "other_identifier", o."gtin"::text AS "other_gtin", o."serial" AS "other_serial",
       CASE WHEN o."serial" IS NULL THEN o."lot" ELSE ${lotOfItem('o')} END AS "other_lot"
     FROM parts p JOIN "${SCHEMA}"."trace_transformations" o ON o."transformation" = p."transformation" AND o."side" = $8`,
    [
      side,
      given.lots.map((lot) => lot.gtin),
      given.lots.map((lot) => lot.lot),
      given.items.map((item) => item.gtin),
      given.items.map((item) => item.serial),
      gtins,
      [...given.identifiers],
      side === 'input' ? 'output' : 'input',
    ],
  );
  return rows.map((row) => {
    const mine: TransformationPart = { identifier: row.identifier, gtin: row.gtin, lot: row.lot, serial: row.serial };
    const other: TransformationPart = { identifier: row.other_identifier, gtin: row.other_gtin, lot: row.other_lot, serial: row.other_serial };
    return side === 'input' ? { transformation: row.transformation, input: mine, output: other } : { transformation: row.transformation, input: other, output: mine };
  });
}
