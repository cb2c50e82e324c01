import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Product control (docs/product-control.md):
 * - control_holds: one row per hold, its current version (every version is anchored); a lot is held
 *   at most once per cause (kind + reference), so a redelivered cause never holds twice.
 * - control_recalls, control_recall_lots, control_recall_items: a recall and what it reached (whole
 *   lots, and items of no known lot), so the scan page finds an item's recall with two indexed reads.
 * - control_causes: certification lapses and revocations already acted on (a cause fires once), and
 *   the certifications seen valid (`seen-valid:<reference>`: only those can later lapse into a hold).
 * - epcis_named_queries, epcis_subscriptions, epcis_deliveries: EPCIS 2.0 named queries, their
 *   webhook subscriptions, and every notification with its attempts (pending, delivered, dead).
 */
export class CreateProductControl1764810000000 implements MigrationInterface {
  name = 'CreateProductControl1764810000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "data_service"."control_holds" (
        "id" uuid PRIMARY KEY,
        "version" integer NOT NULL,
        "lot_id" text NOT NULL DEFAULT '',
        "gtin" char(14) NOT NULL,
        "lot" text NOT NULL,
        "cause_kind" text NOT NULL,
        "cause_reference" text NOT NULL,
        "recall_id" uuid,
        "status" text NOT NULL CHECK ("status" IN ('open', 'lifted')),
        "held_at" timestamptz NOT NULL,
        "lifted_at" timestamptz,
        "record" jsonb NOT NULL
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "control_holds_cause_key" ON "data_service"."control_holds" ("gtin", "lot", "cause_kind", "cause_reference")`);
    await queryRunner.query(`CREATE INDEX "control_holds_status_idx" ON "data_service"."control_holds" ("status", "held_at" DESC, "id" DESC)`);
    await queryRunner.query(`CREATE INDEX "control_holds_open_lot_idx" ON "data_service"."control_holds" ("gtin", "lot") WHERE "status" = 'open'`);
    await queryRunner.query(`
      CREATE TABLE "data_service"."control_recalls" (
        "id" uuid PRIMARY KEY,
        "recalled_at" timestamptz NOT NULL,
        "record" jsonb NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX "control_recalls_time_idx" ON "data_service"."control_recalls" ("recalled_at" DESC, "id" DESC)`);
    await queryRunner.query(`
      CREATE TABLE "data_service"."control_recall_lots" (
        "recall_id" uuid NOT NULL REFERENCES "data_service"."control_recalls" ("id"),
        "gtin" char(14) NOT NULL,
        "lot" text NOT NULL,
        "lot_id" text NOT NULL DEFAULT '',
        "warehouse_status" text NOT NULL,
        "hold_id" uuid,
        "items" bigint NOT NULL,
        PRIMARY KEY ("recall_id", "gtin", "lot")
      )`);
    await queryRunner.query(`CREATE INDEX "control_recall_lots_lot_idx" ON "data_service"."control_recall_lots" ("gtin", "lot")`);
    await queryRunner.query(`
      CREATE TABLE "data_service"."control_recall_items" (
        "recall_id" uuid NOT NULL REFERENCES "data_service"."control_recalls" ("id"),
        "gtin" char(14) NOT NULL,
        "serial" text NOT NULL,
        PRIMARY KEY ("recall_id", "gtin", "serial")
      )`);
    await queryRunner.query(`CREATE INDEX "control_recall_items_item_idx" ON "data_service"."control_recall_items" ("gtin", "serial")`);
    await queryRunner.query(`
      CREATE TABLE "data_service"."control_causes" (
        "cause_key" text PRIMARY KEY,
        "fired_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE "data_service"."epcis_named_queries" (
        "name" text PRIMARY KEY,
        "parameters" jsonb NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE "data_service"."epcis_subscriptions" (
        "id" uuid PRIMARY KEY,
        "query_name" text NOT NULL REFERENCES "data_service"."epcis_named_queries" ("name") ON DELETE CASCADE,
        "dest" text NOT NULL,
        "signature_token" text NOT NULL DEFAULT '',
        "stream" boolean NOT NULL,
        "report_if_empty" boolean NOT NULL DEFAULT false,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "last_notified_at" timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX "epcis_subscriptions_query_idx" ON "data_service"."epcis_subscriptions" ("query_name")`);
    await queryRunner.query(`
      CREATE TABLE "data_service"."epcis_deliveries" (
        "id" uuid PRIMARY KEY,
        "subscription_id" uuid NOT NULL REFERENCES "data_service"."epcis_subscriptions" ("id") ON DELETE CASCADE,
        "event_ids" text[] NOT NULL,
        "body" text NOT NULL,
        "status" text NOT NULL CHECK ("status" IN ('pending', 'delivered', 'dead')),
        "attempts" integer NOT NULL DEFAULT 0,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "next_attempt_at" timestamptz NOT NULL DEFAULT now(),
        "delivered_at" timestamptz,
        "last_error" text NOT NULL DEFAULT ''
      )`);
    await queryRunner.query(`CREATE INDEX "epcis_deliveries_due_idx" ON "data_service"."epcis_deliveries" ("next_attempt_at") WHERE "status" = 'pending'`);
    await queryRunner.query(`CREATE INDEX "epcis_deliveries_status_idx" ON "data_service"."epcis_deliveries" ("status", "created_at" DESC, "id" DESC)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['epcis_deliveries', 'epcis_subscriptions', 'epcis_named_queries', 'control_causes', 'control_recall_items', 'control_recall_lots', 'control_recalls', 'control_holds']) {
      await queryRunner.query(`DROP TABLE "data_service"."${table}"`);
    }
  }
}
