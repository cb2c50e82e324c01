import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Item identities and the bulk issuances that create them.
 *
 * - identity_issuances: one job per StartIssuance. `issued` is committed together with each chunk
 *   of identities, so a restarted service resumes at the first index not stored. `record` is the
 *   anchored issuance record, set when the job succeeds.
 * - identities: (gtin, serial) is the primary key: a serial is unique per GTIN, whatever the lot.
 *   "index" is the identity's 0-based position in its issuance (the leaf index of its serial).
 *   No foreign key to the issuance: its per-row check would cost about 40% of a million-row
 *   issuance, and identities are only ever inserted by their issuance's job, which holds its row;
 *   issuances are never deleted.
 * - identity_serial_nodes: enough of each issuance's RFC 9162 serial tree to prove any identity
 *   from one block of 1,024 leaves: every perfect subtree of 1,024 leaves or more (level ≥ 10),
 *   and the subtrees covering the last, partial block.
 */
export class CreateIdentities1764500000000 implements MigrationInterface {
  name = 'CreateIdentities1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "data_service"."identity_issuances" (
        "id" uuid PRIMARY KEY,
        "lot_id" uuid NOT NULL,
        "lot_version" integer NOT NULL,
        "gtin" char(14) NOT NULL,
        "lot_number" text NOT NULL,
        "expiry_date" date,
        "quantity" integer NOT NULL CHECK ("quantity" BETWEEN 1 AND 5000000),
        "status" text NOT NULL CHECK ("status" IN ('queued', 'running', 'succeeded', 'failed')),
        "issued" integer NOT NULL DEFAULT 0 CHECK ("issued" BETWEEN 0 AND "quantity"),
        "serials_root" bytea CHECK (length("serials_root") = 32),
        "record" jsonb,
        "failure" text,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "started_at" timestamptz,
        "finished_at" timestamptz,
        CHECK (("status" = 'succeeded') = ("record" IS NOT NULL))
      )`);
    await queryRunner.query(`CREATE INDEX "identity_issuances_lot_idx" ON "data_service"."identity_issuances" ("lot_id", "created_at")`);
    await queryRunner.query(
      `CREATE INDEX "identity_issuances_pending_idx" ON "data_service"."identity_issuances" ("created_at") WHERE "status" IN ('queued', 'running')`,
    );
    await queryRunner.query(`
      CREATE TABLE "data_service"."identities" (
        "gtin" char(14) NOT NULL,
        "serial" text NOT NULL,
        "issuance_id" uuid NOT NULL,
        "index" integer NOT NULL CHECK ("index" >= 0),
        PRIMARY KEY ("gtin", "serial")
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "identities_issuance_index_key" ON "data_service"."identities" ("issuance_id", "index")`);
    await queryRunner.query(`
      CREATE TABLE "data_service"."identity_serial_nodes" (
        "issuance_id" uuid NOT NULL REFERENCES "data_service"."identity_issuances" ("id"),
        "level" smallint NOT NULL CHECK ("level" BETWEEN 0 AND 52),
        "index" integer NOT NULL CHECK ("index" >= 0),
        "hash" bytea NOT NULL CHECK (length("hash") = 32),
        PRIMARY KEY ("issuance_id", "level", "index")
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "data_service"."identity_serial_nodes"`);
    await queryRunner.query(`DROP TABLE "data_service"."identities"`);
    await queryRunner.query(`DROP TABLE "data_service"."identity_issuances"`);
  }
}
