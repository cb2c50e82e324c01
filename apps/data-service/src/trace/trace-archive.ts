import type {
  CertificationStatus,
  TraceCertificationMessage,
  TraceCustomsDeclarationMessage,
  TraceFactoryMessage,
  TraceProductMessage,
} from '@traceport/contracts';
import type { DataSource } from 'typeorm';
import type { LotKey } from '../epcis/captured-event.js';
import type { ProductionWindow } from './trace-request.js';

const SCHEMA = 'data_service';
const CURRENT = `"superseded_at" IS NULL`;

/** An archive lot with its product's GTIN: what links the archive to the trail (GTIN + lot number). */
export interface ArchiveLot extends LotKey {
  readonly lotId: string;
  readonly productId: string;
  readonly productionDate: string;
  readonly expiryDate: string;
  readonly record: Record<string, unknown>;
}

interface RecordRow {
  id: string;
  record: Record<string, unknown>;
}

interface LotRow extends RecordRow {
  gtin: string;
}

const str = (value: unknown): string => (typeof value === 'string' ? value : '');

function lotOf(row: LotRow): ArchiveLot {
  return {
    gtin: row.gtin,
    lot: str(row.record['lotNumber']),
    lotId: row.id,
    productId: str(row.record['productId']),
    productionDate: str(row.record['productionDate']),
    expiryDate: str(row.record['expiryDate']),
    record: row.record,
  };
}

export function productMessageOf(row: RecordRow): TraceProductMessage {
  return { id: row.id, gtin: str(row.record['gtin']), name: str(row.record['name']), factoryId: str(row.record['factoryId']), recordJson: JSON.stringify(row.record) };
}

/** A product known only from trace events: its GTIN, no archive record. */
export function unregisteredProduct(gtin: string): TraceProductMessage {
  return { id: '', gtin, name: '', factoryId: '', recordJson: '' };
}

function statusOn(date: string, validFrom: string, validTo: string): CertificationStatus {
  if (date < validFrom) return 'not-yet-valid';
  return date > validTo ? 'expired' : 'valid';
}

/**
 * A factory with its certifications' validity today and on a production date (the earliest of the
 * lots traced, when any is known): a lot made while a certification had lapsed shows it.
 */
export function factoryMessageOf(row: RecordRow, productionDate: string | null, today = new Date().toISOString().slice(0, 10)): TraceFactoryMessage {
  const certifications = Array.isArray(row.record['certifications']) ? (row.record['certifications'] as Record<string, unknown>[]) : [];
  return {
    id: row.id,
    name: str(row.record['name']),
    country: str(row.record['country']),
    gln: str(row.record['gln']),
    certifications: certifications.map((certification): TraceCertificationMessage => {
      const validFrom = str(certification['validFrom']);
      const validTo = str(certification['validTo']);
      return {
        type: str(certification['type']),
        issuer: str(certification['issuer']),
        number: str(certification['number']),
        validFrom,
        validTo,
        status: statusOn(today, validFrom, validTo),
        statusAtProduction: productionDate === null ? '' : statusOn(productionDate, validFrom, validTo),
      };
    }),
    recordJson: JSON.stringify(row.record),
  };
}

function customsMessageOf(row: RecordRow): TraceCustomsDeclarationMessage {
  return {
    id: row.id,
    direction: str(row.record['direction']),
    declarationNumber: str(row.record['declarationNumber']),
    port: str(row.record['port']),
    date: str(row.record['date']),
    status: str(row.record['status']),
    lotIds: Array.isArray(row.record['lotIds']) ? (row.record['lotIds'] as unknown[]).map(str) : [],
    recordJson: JSON.stringify(row.record),
  };
}

/**
 * The archive as traces read it: current versions only, through the archive's own indexes (GTIN,
 * product + lot number, production date, and the jsonb containment index for references).
 */
export class TraceArchive {
  constructor(private readonly db: DataSource) {}

  async factory(id: string): Promise<RecordRow | null> {
    const rows: RecordRow[] = await this.db.query(
      `SELECT "id", "record" FROM "${SCHEMA}"."archive_records" WHERE "record_type" = 'archive.factory' AND "id" = $1 AND ${CURRENT}`,
      [id],
    );
    return rows[0] ?? null;
  }

  async factories(ids: readonly string[]): Promise<RecordRow[]> {
    if (ids.length === 0) return [];
    return this.db.query(
      `SELECT "id", "record" FROM "${SCHEMA}"."archive_records" WHERE "record_type" = 'archive.factory' AND "id" = ANY($1::uuid[]) AND ${CURRENT} ORDER BY "id"`,
      [[...new Set(ids)]],
    );
  }

  async product(id: string): Promise<RecordRow | null> {
    const rows: RecordRow[] = await this.db.query(
      `SELECT "id", "record" FROM "${SCHEMA}"."archive_records" WHERE "record_type" = 'archive.product' AND "id" = $1 AND ${CURRENT}`,
      [id],
    );
    return rows[0] ?? null;
  }

  async productsOfFactory(factoryId: string): Promise<RecordRow[]> {
    return this.db.query(
      `SELECT "id", "record" FROM "${SCHEMA}"."archive_records" WHERE "record_type" = 'archive.product' AND "record" @> $1::jsonb AND ${CURRENT} ORDER BY "id"`,
      [JSON.stringify({ factoryId })],
    );
  }

  async productsByGtin(gtins: readonly string[]): Promise<RecordRow[]> {
    if (gtins.length === 0) return [];
    return this.db.query(
      `SELECT "id", "record" FROM "${SCHEMA}"."archive_records" WHERE "record_type" = 'archive.product' AND ("record"->>'gtin') = ANY($1::text[]) AND ${CURRENT}`,
      [[...new Set(gtins)]],
    );
  }

  /** The lots of these products, optionally only those produced in the window. */
  async lotsOfProducts(productIds: readonly string[], window: ProductionWindow | null): Promise<ArchiveLot[]> {
    if (productIds.length === 0) return [];
    const rows: LotRow[] = await this.db.query(
      `SELECT l."id", l."record", p."record"->>'gtin' AS "gtin"
       FROM "${SCHEMA}"."archive_records" l
       JOIN "${SCHEMA}"."archive_records" p ON p."record_type" = 'archive.product' AND p."id" = (l."record"->>'productId')::uuid AND p.${CURRENT}
       WHERE l."record_type" = 'archive.lot' AND l.${CURRENT} AND (l."record"->>'productId') = ANY($1::text[])
         AND ($2::text IS NULL OR (l."record"->>'productionDate') BETWEEN $2 AND $3)`,
      [[...new Set(productIds)], window?.from ?? null, window?.to ?? null],
    );
    return rows.map(lotOf);
  }

  /** Every lot produced in the window. */
  async lotsInWindow(window: ProductionWindow): Promise<ArchiveLot[]> {
    const rows: LotRow[] = await this.db.query(
      `SELECT l."id", l."record", p."record"->>'gtin' AS "gtin"
       FROM "${SCHEMA}"."archive_records" l
       JOIN "${SCHEMA}"."archive_records" p ON p."record_type" = 'archive.product' AND p."id" = (l."record"->>'productId')::uuid AND p.${CURRENT}
       WHERE l."record_type" = 'archive.lot' AND l.${CURRENT} AND (l."record"->>'productionDate') BETWEEN $1 AND $2`,
      [window.from, window.to],
    );
    return rows.map(lotOf);
  }

  /** The archive lots of these GS1 keys (the product's GTIN and the lot number); absent ones are left out. */
  async lotsByKey(keys: readonly LotKey[]): Promise<ArchiveLot[]> {
    if (keys.length === 0) return [];
    const rows: LotRow[] = await this.db.query(
      `SELECT l."id", l."record", k."gtin"
       FROM unnest($1::text[], $2::text[]) AS k ("gtin", "lot")
       JOIN "${SCHEMA}"."archive_records" p ON p."record_type" = 'archive.product' AND (p."record"->>'gtin') = k."gtin" AND p.${CURRENT}
       JOIN "${SCHEMA}"."archive_records" l ON l."record_type" = 'archive.lot' AND l.${CURRENT}
         AND (l."record"->>'productId') = p."id"::text AND (l."record"->>'lotNumber') = k."lot"`,
      [keys.map((key) => key.gtin), keys.map((key) => key.lot)],
    );
    return rows.map(lotOf);
  }

  /** Lots of these GTINs that trace events name but the archive may not declare (one index probe per lot). */
  async tracedLotsOf(gtins: readonly string[]): Promise<LotKey[]> {
    if (gtins.length === 0) return [];
    return this.db.query(
      `WITH RECURSIVE found ("gtin", "lot") AS (
         SELECT first."gtin", first."lot" FROM unnest($1::bpchar[]) AS g ("gtin")
         CROSS JOIN LATERAL (SELECT ll."gtin", ll."lot" FROM "${SCHEMA}"."epcis_lot_links" ll WHERE ll."gtin" = g."gtin" ORDER BY ll."lot" LIMIT 1) AS first
         UNION ALL
         SELECT next."gtin", next."lot" FROM found
         CROSS JOIN LATERAL (SELECT ll."gtin", ll."lot" FROM "${SCHEMA}"."epcis_lot_links" ll WHERE ll."gtin" = found."gtin" AND ll."lot" > found."lot" ORDER BY ll."lot" LIMIT 1) AS next
       ) SELECT "gtin"::text AS "gtin", "lot" FROM found`,
      [[...new Set(gtins)]],
    );
  }

  /** Whether trace events name this lot (directly, or through an item of it). */
  async isTraced(key: LotKey): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      `SELECT 1 FROM "${SCHEMA}"."epcis_lot_links" WHERE "gtin" = $1 AND "lot" = $2
       UNION ALL SELECT 1 FROM "${SCHEMA}"."epcis_item_lots" WHERE "gtin" = $1 AND "lot" = $2 LIMIT 1`,
      [key.gtin, key.lot],
    );
    return rows.length > 0;
  }

  async customsDeclarationsOf(lotIds: readonly string[]): Promise<TraceCustomsDeclarationMessage[]> {
    if (lotIds.length === 0) return [];
    // One containment probe per lot through the archive's jsonb index.
    const rows: RecordRow[] = await this.db.query(
      `SELECT DISTINCT ON (c."id") c."id", c."record" FROM unnest($1::text[]) AS l ("id")
       JOIN "${SCHEMA}"."archive_records" c ON c."record_type" = 'customs.declaration' AND c.${CURRENT} AND c."record" @> jsonb_build_object('lotIds', jsonb_build_array(l."id"))
       ORDER BY c."id"`,
      [[...new Set(lotIds)]],
    );
    return rows.map(customsMessageOf).sort((a, b) => a.date.localeCompare(b.date) || a.id.localeCompare(b.id));
  }

  /** Identities issued per archive lot (issuances that have not failed, as far as they got). */
  async issuedIdentities(lotIds: readonly string[]): Promise<Map<string, number>> {
    if (lotIds.length === 0) return new Map();
    const rows: { lot_id: string; issued: string }[] = await this.db.query(
      `SELECT "lot_id", sum("issued")::bigint AS "issued" FROM "${SCHEMA}"."identity_issuances"
       WHERE "lot_id" = ANY($1::uuid[]) AND "status" <> 'failed' GROUP BY "lot_id"`,
      [[...new Set(lotIds)]],
    );
    return new Map(rows.map((row) => [row.lot_id, Number(row.issued)]));
  }
}
