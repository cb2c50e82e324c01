import type { MigrationInterface, QueryRunner } from 'typeorm';

const S = '"decision_engine"';

/**
 * The engine's own state: its copy of the archive records rules read, rule set versions, whitelist
 * entries with their audit trail, lots received and their decisions, inspection orders and results,
 * and each supplier's ISO 2859-1 switching state with its changes.
 */
export class CreateDecisionTables1764300000000 implements MigrationInterface {
  name = 'CreateDecisionTables1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const statements = [
      // The product facts table is replaced by a copy of every archive record type rules read.
      `DROP TABLE ${S}."product_profiles"`,
      `CREATE TABLE ${S}."archive_projection" (
        "id" uuid PRIMARY KEY,
        "record_type" text NOT NULL,
        "version" integer NOT NULL,
        "record" jsonb NOT NULL,
        "updated_at" timestamptz NOT NULL DEFAULT now()
      )`,
      `CREATE INDEX "archive_projection_product_gtin_idx" ON ${S}."archive_projection" (("record"->>'gtin')) WHERE "record_type" = 'archive.product'`,
      `CREATE INDEX "archive_projection_lot_idx" ON ${S}."archive_projection" (("record"->>'productId'), ("record"->>'lotNumber')) WHERE "record_type" = 'archive.lot'`,
      `CREATE INDEX "archive_projection_customs_idx" ON ${S}."archive_projection" USING gin (("record"->'lotIds')) WHERE "record_type" = 'customs.declaration'`,

      `CREATE TABLE ${S}."rule_set_versions" (
        "version" serial PRIMARY KEY,
        "status" text NOT NULL CHECK ("status" IN ('draft', 'published')),
        "definition" jsonb NOT NULL,
        "note" text NOT NULL DEFAULT '',
        "created_by" text NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        "published_by" text,
        "published_at" timestamptz,
        "effective_from" timestamptz,
        CHECK (("status" = 'published') = ("effective_from" IS NOT NULL))
      )`,
      `CREATE INDEX "rule_set_versions_effective_idx" ON ${S}."rule_set_versions" ("effective_from" DESC, "version" DESC) WHERE "status" = 'published'`,

      `CREATE TABLE ${S}."whitelist_entries" (
        "id" uuid PRIMARY KEY,
        "version" integer NOT NULL,
        "subject_type" text NOT NULL CHECK ("subject_type" IN ('merchant', 'brand', 'factory', 'product')),
        "subject_id" uuid NOT NULL,
        "effect" text NOT NULL CHECK ("effect" IN ('exempt', 'reduced')),
        "reason" text NOT NULL,
        "owner" text NOT NULL,
        "expires_at" timestamptz NOT NULL,
        "revoked_at" timestamptz,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now()
      )`,
      `CREATE INDEX "whitelist_entries_subject_idx" ON ${S}."whitelist_entries" ("subject_type", "subject_id") WHERE "revoked_at" IS NULL`,
      `CREATE TABLE ${S}."whitelist_audit" (
        "seq" bigserial PRIMARY KEY,
        "entry_id" uuid NOT NULL REFERENCES ${S}."whitelist_entries" ("id"),
        "action" text NOT NULL CHECK ("action" IN ('created', 'updated', 'revoked')),
        "actor" text NOT NULL,
        "at" timestamptz NOT NULL DEFAULT now(),
        "before" jsonb,
        "after" jsonb NOT NULL
      )`,
      `CREATE INDEX "whitelist_audit_entry_idx" ON ${S}."whitelist_audit" ("entry_id", "seq")`,

      // One row per lot: its facts for statistics, its receipt and, once inspected, its result.
      `CREATE TABLE ${S}."lot_outcomes" (
        "lot_id" uuid PRIMARY KEY,
        "factory_id" uuid,
        "merchant_id" uuid,
        "category" text NOT NULL,
        "origin" char(2) NOT NULL,
        "received_at" timestamptz NOT NULL,
        "received_event_id" text NOT NULL,
        "result" text CHECK ("result" IN ('passed', 'failed')),
        "inspected_at" timestamptz
      )`,
      `CREATE INDEX "lot_outcomes_factory_idx" ON ${S}."lot_outcomes" ("factory_id")`,
      `CREATE INDEX "lot_outcomes_merchant_idx" ON ${S}."lot_outcomes" ("merchant_id")`,
      `CREATE INDEX "lot_outcomes_category_idx" ON ${S}."lot_outcomes" ("category")`,

      // Receipts of lots the archive has not told the engine about yet, decided when it does.
      `CREATE TABLE ${S}."pending_receipts" (
        "gtin" char(14) NOT NULL,
        "lot_number" text NOT NULL,
        "received_event_id" text NOT NULL,
        "received_at" timestamptz NOT NULL,
        PRIMARY KEY ("gtin", "lot_number")
      )`,

      `CREATE TABLE ${S}."decisions" (
        "id" uuid PRIMARY KEY,
        "lot_id" uuid NOT NULL UNIQUE,
        "decided_at" timestamptz NOT NULL,
        "initial_outcome" text NOT NULL CHECK ("initial_outcome" IN ('released', 'inspection-ordered', 'held')),
        "outcome" text NOT NULL CHECK ("outcome" IN ('released', 'inspection-ordered', 'held')),
        "rule_set_version" integer,
        "rule_id" text,
        "sample_size" integer NOT NULL DEFAULT 0,
        -- The facts the rules saw, kept so a draft rule set can be simulated on what was known then.
        "context" jsonb NOT NULL,
        "record" jsonb NOT NULL
      )`,
      `CREATE INDEX "decisions_time_idx" ON ${S}."decisions" ("decided_at" DESC, "id" DESC)`,

      `CREATE TABLE ${S}."inspection_orders" (
        "id" uuid PRIMARY KEY,
        "decision_id" uuid NOT NULL UNIQUE REFERENCES ${S}."decisions" ("id"),
        "lot_id" uuid NOT NULL,
        "agency" text NOT NULL,
        "status" text NOT NULL CHECK ("status" IN ('open', 'accepted', 'rejected')),
        "plan" jsonb NOT NULL,
        "seed" text NOT NULL,
        "sample_units" integer[] NOT NULL,
        "supplier_factory_key" text NOT NULL,
        "supplier_category" text NOT NULL,
        "created_at" timestamptz NOT NULL
      )`,
      `CREATE INDEX "inspection_orders_agency_idx" ON ${S}."inspection_orders" ("agency", "status", "created_at" DESC)`,
      `CREATE INDEX "inspection_orders_time_idx" ON ${S}."inspection_orders" ("created_at" DESC, "id" DESC)`,
      `CREATE TABLE ${S}."inspection_results" (
        "id" uuid PRIMARY KEY,
        "order_id" uuid NOT NULL UNIQUE REFERENCES ${S}."inspection_orders" ("id"),
        "recorded_at" timestamptz NOT NULL,
        "record" jsonb NOT NULL
      )`,

      `CREATE TABLE ${S}."supplier_states" (
        "factory_key" text NOT NULL,
        "category" text NOT NULL,
        "state" jsonb NOT NULL,
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY ("factory_key", "category")
      )`,
      `CREATE TABLE ${S}."supplier_state_changes" (
        "id" uuid PRIMARY KEY,
        "factory_key" text NOT NULL,
        "category" text NOT NULL,
        "at" timestamptz NOT NULL,
        "record" jsonb NOT NULL
      )`,
      `CREATE INDEX "supplier_state_changes_supplier_idx" ON ${S}."supplier_state_changes" ("factory_key", "category", "at")`,
    ];
    for (const statement of statements) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['supplier_state_changes', 'supplier_states', 'inspection_results', 'inspection_orders', 'decisions', 'pending_receipts', 'lot_outcomes', 'whitelist_audit', 'whitelist_entries', 'rule_set_versions', 'archive_projection']) {
      await queryRunner.query(`DROP TABLE ${S}."${table}"`);
    }
    await queryRunner.query(`CREATE TABLE ${S}."product_profiles" ("product_id" uuid PRIMARY KEY, "version" integer NOT NULL, "gtin" char(14) NOT NULL,
      "category" text NOT NULL, "origin_country" char(2) NOT NULL, "hs_code" varchar(10) NOT NULL, "updated_at" timestamptz NOT NULL DEFAULT now())`);
  }
}
