import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * EPCIS 2.0 trace events. The event body is JSONB (events are open JSON-LD); what the standard
 * queries filter on is copied into indexed columns in canonical form (GS1 Digital Link identifiers,
 * GS1 Web URI vocabulary), identifiers into GIN-indexed arrays. Link tables key events to lots and
 * items by GS1 keys (GTIN-14 + lot, GTIN-14 + serial), never by another table's ids, so the archive's
 * lots can join on them.
 */
export class CreateEpcis1764200000000 implements MigrationInterface {
  name = 'CreateEpcis1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "data_service"."epcis_capture_jobs" (
        "capture_id" uuid PRIMARY KEY,
        "created_at" timestamptz NOT NULL,
        "finished_at" timestamptz,
        "running" boolean NOT NULL,
        "success" boolean NOT NULL,
        "capture_error_behaviour" text NOT NULL,
        "errors" jsonb NOT NULL DEFAULT '[]',
        "event_count" integer NOT NULL,
        "stored_count" integer NOT NULL,
        "duplicate_count" integer NOT NULL,
        "new_version_count" integer NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE "data_service"."epcis_events" (
        "seq" bigserial PRIMARY KEY,
        "event_id" text NOT NULL,
        "version" integer NOT NULL CHECK ("version" > 0),
        "latest" boolean NOT NULL,
        "event_hash" text NOT NULL,
        "content_digest" text NOT NULL,
        "record_key" text NOT NULL,
        "capture_id" uuid NOT NULL REFERENCES "data_service"."epcis_capture_jobs" ("capture_id"),
        "event_type" text NOT NULL,
        "event_time" timestamptz NOT NULL,
        "record_time" timestamptz NOT NULL,
        "action" text,
        "biz_step" text,
        "disposition" text,
        "read_point" text,
        "biz_location" text,
        "epcs" text[] NOT NULL,
        "any_epcs" text[] NOT NULL,
        "epc_classes" text[] NOT NULL,
        "body" jsonb NOT NULL,
        CONSTRAINT "epcis_events_event_id_version_key" UNIQUE ("event_id", "version"),
        CONSTRAINT "epcis_events_record_key_key" UNIQUE ("record_key")
      )`);
    const index = (name: string, definition: string) =>
      queryRunner.query(`CREATE INDEX "${name}" ON "data_service"."epcis_events" ${definition}`);
    await index('epcis_events_event_time_idx', '("event_time", "seq") WHERE "latest"');
    await index('epcis_events_record_time_idx', '("record_time") WHERE "latest"');
    await index('epcis_events_type_time_idx', '("event_type", "event_time") WHERE "latest"');
    await index('epcis_events_biz_step_idx', '("biz_step", "event_time") WHERE "latest"');
    await index('epcis_events_disposition_idx', '("disposition", "event_time") WHERE "latest"');
    await index('epcis_events_biz_location_idx', '("biz_location", "event_time") WHERE "latest"');
    await index('epcis_events_read_point_idx', '("read_point", "event_time") WHERE "latest"');
    // One GIN index serves MATCH_epc and MATCH_anyEPC: epcs is a subset of any_epcs, so MATCH_epc
    // searches any_epcs through the index and rechecks epcs.
    await index('epcis_events_any_epcs_idx', 'USING gin ("any_epcs")');
    await index('epcis_events_epc_classes_idx', 'USING gin ("epc_classes")');
    await queryRunner.query(`
      CREATE TABLE "data_service"."epcis_lot_links" (
        "gtin" char(14) NOT NULL,
        "lot" text NOT NULL,
        "event_seq" bigint NOT NULL REFERENCES "data_service"."epcis_events" ("seq"),
        PRIMARY KEY ("gtin", "lot", "event_seq")
      )`);
    await queryRunner.query(`
      CREATE TABLE "data_service"."epcis_item_links" (
        "gtin" char(14) NOT NULL,
        "serial" text NOT NULL,
        "event_seq" bigint NOT NULL REFERENCES "data_service"."epcis_events" ("seq"),
        PRIMARY KEY ("gtin", "serial", "event_seq")
      )`);
    // What the trail needs to remember between captures: which lot an item belongs to (from a Digital
    // Link carrying both, or the lotNumber of the ILMD it was commissioned with), and what a container
    // (an SSCC, a case) holds since its aggregation, so its later events reach its contents' trails.
    await queryRunner.query(`
      CREATE TABLE "data_service"."epcis_item_lots" (
        "gtin" char(14) NOT NULL,
        "serial" text NOT NULL,
        "lot" text NOT NULL,
        PRIMARY KEY ("gtin", "serial")
      )`);
    await queryRunner.query(`
      CREATE TABLE "data_service"."epcis_containment" (
        "parent" text NOT NULL,
        "child" text NOT NULL,
        PRIMARY KEY ("parent", "child")
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['epcis_containment', 'epcis_item_lots', 'epcis_item_links', 'epcis_lot_links', 'epcis_events', 'epcis_capture_jobs']) {
      await queryRunner.query(`DROP TABLE "data_service"."${table}"`);
    }
  }
}
