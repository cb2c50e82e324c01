import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Consumer scans: the code, the time and a coarse region — never an address. */
export class CreateItemScans1764400000000 implements MigrationInterface {
  name = 'CreateItemScans1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "data_service"."item_scans" (
        "seq" bigserial PRIMARY KEY,
        "gtin" char(14) NOT NULL,
        "serial" text NOT NULL,
        "scanned_at" timestamptz NOT NULL DEFAULT now(),
        "region" text NOT NULL DEFAULT ''
      )`);
    await queryRunner.query(`CREATE INDEX "item_scans_code_idx" ON "data_service"."item_scans" ("gtin", "serial", "scanned_at")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "data_service"."item_scans"`);
  }
}
