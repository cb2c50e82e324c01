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

  async read(lotId: string): Promise<LotFacts | null> {
    const lot = await this.record<Loose<'lot'>>(lotId, RecordTypes.lot);
    if (lot === null) return null;
    const product = await this.record<Loose<'product'>>(lot.productId, RecordTypes.product);
    if (product === null) return null;
    const brand = await this.record<Loose<'brand'>>(product.brandId, RecordTypes.brand);
    // One connection serves the transaction, so these reads run one after another anyway.
    const merchant = brand === null ? null : await this.record<Loose<'merchant'>>(brand.ownerMerchantId, RecordTypes.merchant);
    const factory = product.factoryId === undefined ? null : await this.record<Loose<'factory'>>(product.factoryId, RecordTypes.factory);
    const customs: { record: Loose<'customsDeclaration'> }[] = await this.manager.query(
      `SELECT "record" FROM ${S}."archive_projection" WHERE "record_type" = $1 AND "record"->'lotIds' @> $2::jsonb`,
      [RecordTypes.customsDeclaration, JSON.stringify([lotId])],
    );
    return { lot, product, brand, merchant, factory, customs: customs.map((row) => row.record) };
  }

  private async record<T>(id: string, recordType: string): Promise<T | null> {
    const rows: { record: T }[] = await this.manager.query(`SELECT "record" FROM ${S}."archive_projection" WHERE "id" = $1 AND "record_type" = $2`, [id, recordType]);
    return rows[0]?.record ?? null;
  }
}
