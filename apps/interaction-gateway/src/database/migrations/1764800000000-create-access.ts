import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Organisations and their API keys (only each key's SHA-256, never the key). */
export class CreateAccess1764800000000 implements MigrationInterface {
  name = 'CreateAccess1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "gateway"."organisations" (
        "id" uuid PRIMARY KEY,
        "name" text NOT NULL,
        "kind" text NOT NULL CHECK ("kind" IN ('platform-admin', 'operations', 'merchant', 'inspection-agency', 'auditor', 'service')),
        "merchant_ids" uuid[] NOT NULL DEFAULT '{}',
        "agency_id" text,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "organisations_merchant_bound" CHECK ("kind" <> 'merchant' OR cardinality("merchant_ids") > 0),
        CONSTRAINT "organisations_agency_bound" CHECK ("kind" <> 'inspection-agency' OR "agency_id" IS NOT NULL)
      )`);
    await queryRunner.query(`
      CREATE TABLE "gateway"."api_keys" (
        "id" uuid PRIMARY KEY,
        "organisation_id" uuid NOT NULL REFERENCES "gateway"."organisations" ("id"),
        "name" text NOT NULL,
        "prefix" char(12) NOT NULL,
        "key_hash" bytea NOT NULL,
        "bootstrap" boolean NOT NULL DEFAULT false,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "expires_at" timestamptz,
        "revoked_at" timestamptz,
        "last_used_at" timestamptz,
        CONSTRAINT "api_keys_prefix_unique" UNIQUE ("prefix")
      )`);
    await queryRunner.query(`CREATE INDEX "api_keys_organisation_idx" ON "gateway"."api_keys" ("organisation_id")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "gateway"."api_keys"`);
    await queryRunner.query(`DROP TABLE "gateway"."organisations"`);
  }
}
