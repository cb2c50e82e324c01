import { RecordTypes, type ArchiveRecord } from '@traceport/contracts';
import type { EntityManager } from 'typeorm';
import { DECISION_ENGINE_SCHEMA } from '../config.js';

const S = `"${DECISION_ENGINE_SCHEMA}"`;

type Loose<K extends keyof typeof RecordTypes> = ArchiveRecord<(typeof RecordTypes)[K]>;

/** A received lot with the archive records its rules read; absent records are null. */
export interface LotFacts {
  readonly lot: Loose<'lot'>;
  readonly product: Loose<'product'>;
  readonly brand: Loose<'brand'> | null;
  readonly merchant: Loose<'merchant'> | null;
  readonly factory: Loose<'factory'> | null;
  readonly customs: Loose<'customsDeclaration'>[];
}

/** Reads the engine's copy of the archive. */
export class LotFactsReader {
  constructor(private readonly manager: EntityManager) {}

  /** The lot an EPCIS event names by GTIN and lot number, if the archive has told us about it. */
  async lotIdOf(gtin: string, lotNumber: string): Promise<string | null> {
    const rows: { id: string }[] = await this.manager.query(
      `SELECT l."id" FROM ${S}."archive_projection" p
       JOIN ${S}."archive_projection" l ON l."record_type" = $3 AND l."record"->>'productId' = p."id"::text AND l."record"->>'lotNumber' = $2
       WHERE p."record_type" = $4 AND p."record"->>'gtin' = $1`,
      [gtin, lotNumber, RecordTypes.lot, RecordTypes.product],
    );
    return rows[0]?.id ?? null;
  }

  /** The lot with its product, brand, merchant and factory in one read, and its customs declarations. */
  async read(lotId: string): Promise<LotFacts | null> {
    const rows: { lot: Loose<'lot'>; product: Loose<'product'>; brand: Loose<'brand'> | null; merchant: Loose<'merchant'> | null; factory: Loose<'factory'> | null }[] =
      await this.manager.query(
        `SELECT l."record" AS "lot", p."record" AS "product", b."record" AS "brand", m."record" AS "merchant", f."record" AS "factory"
         FROM ${S}."archive_projection" l
         JOIN ${S}."archive_projection" p ON p."id" = (l."record"->>'productId')::uuid AND p."record_type" = $2
         LEFT JOIN ${S}."archive_projection" b ON b."id" = (p."record"->>'brandId')::uuid AND b."record_type" = $3
         LEFT JOIN ${S}."archive_projection" m ON m."id" = (b."record"->>'ownerMerchantId')::uuid AND m."record_type" = $4
         LEFT JOIN ${S}."archive_projection" f ON f."id" = (p."record"->>'factoryId')::uuid AND f."record_type" = $5
         WHERE l."id" = $1 AND l."record_type" = $6`,
        [lotId, RecordTypes.product, RecordTypes.brand, RecordTypes.merchant, RecordTypes.factory, RecordTypes.lot],
      );
    const row = rows[0];
    if (row === undefined) return null;
    const customs: { record: Loose<'customsDeclaration'> }[] = await this.manager.query(
      `SELECT "record" FROM ${S}."archive_projection" WHERE "record_type" = $1 AND "record"->'lotIds' @> $2::jsonb`,
      [RecordTypes.customsDeclaration, JSON.stringify([lotId])],
    );
    return { ...row, customs: customs.map((declaration) => declaration.record) };
  }
}
