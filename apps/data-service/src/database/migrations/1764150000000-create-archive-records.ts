import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every archive record type in one versioned table: each change is a new row, the previous
 * version is kept (superseded_at set), and exactly one version per record is current. `record` is
 * the JSON the API shows and the ledger anchors. Natural keys are unique among current versions.
 * Products registered before this migration become version 1 of archive.product records.
 */
export class CreateArchiveRecords1764150000000 implements MigrationInterface {
  name = 'CreateArchiveRecords1764150000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const current = `"superseded_at" IS NULL`;
    await queryRunner.query(`
      CREATE TABLE "data_service"."archive_records" (
        "record_type" text NOT NULL,
        "id" uuid NOT NULL,
        "version" integer NOT NULL CHECK ("version" > 0),
        "record" jsonb NOT NULL,
        "recorded_at" timestamptz NOT NULL,
        "superseded_at" timestamptz,
        PRIMARY KEY ("record_type", "id", "version")
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "archive_current_key" ON "data_service"."archive_records" ("record_type", "id") WHERE ${current}`);
    await queryRunner.query(`CREATE INDEX "archive_filter_idx" ON "data_service"."archive_records" USING gin ("record" jsonb_path_ops) WHERE ${current}`);
    const unique = (name: string, type: string, expression: string, extra = '') =>
      queryRunner.query(
        `CREATE UNIQUE INDEX "${name}" ON "data_service"."archive_records" (${expression}) WHERE "record_type" = '${type}' AND ${current}${extra}`,
      );
    await unique('archive_merchant_registration_key', 'archive.merchant', `("record"->>'country'), ("record"->>'registrationNumber')`);
    await unique('archive_brand_name_key', 'archive.brand', `lower("record"->>'name')`);
    await unique('archive_factory_gln_key', 'archive.factory', `("record"->>'gln')`, ` AND "record" ? 'gln'`);
    await unique('archive_product_gtin_key', 'archive.product', `("record"->>'gtin')`);
    await unique('archive_inspection_standard_category_key', 'archive.inspection-standard', `lower("record"->>'category')`);
    await unique('archive_lot_number_key', 'archive.lot', `("record"->>'productId'), ("record"->>'lotNumber')`);
    await unique('archive_customs_declaration_number_key', 'customs.declaration', `("record"->>'direction'), ("record"->>'declarationNumber')`);

    await queryRunner.query(`
      INSERT INTO "data_service"."archive_records" ("record_type", "id", "version", "record", "recorded_at")
      SELECT 'archive.product', "id", "version",
             jsonb_build_object('id', "id", 'version', "version", 'gtin', "gtin", 'name', "name", 'brand', "brand", 'category', "category",
                                'hsCode', "hs_code", 'originCountry', "origin_country",
                                'recordedAt', to_char("registered_at" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
             "registered_at"
      FROM "data_service"."products"`);
    await queryRunner.query(`DROP TABLE "data_service"."products"`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "data_service"."archive_records"`);
  }
}
