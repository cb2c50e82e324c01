import type { MigrationInterface, QueryRunner } from 'typeorm';
import { CONTAINERS_FROM_TRAILS, LOCATIONS_FROM_TRAILS, LOCATIONS_GROUPING, TraceGraphRecorder, type TraceableEvent } from '../../trace/trace-graph.recorder.js';

const BATCH = 1_000;

interface StoredEvent {
  seq: string;
  event_type: string;
  action: string | null;
  biz_step: string | null;
  event_time: Date;
  read_point: string | null;
  biz_location: string | null;
  body: Record<string, unknown>;
}

/**
 * The trace graph: what trace back and trace forward read besides the archive and the trail links.
 * The data layer fills these tables from epcis.event.captured.v1 (TraceGraphConsumer); events stored
 * before this migration are recorded here the same way.
 *
 * - trace_aggregations: aggregation history, every child an AggregationEvent or AssociationEvent put
 *   into (or took out of) a parent, by event. epcis_containment says what a container holds now;
 *   this says everything it ever held, which is what a recall must follow.
 * - trace_lot_containers: the containers each lot's items were packed into, by aggregation event (the
 *   event's lots as the capture linked them), so trace forward reaches a lot's containers without
 *   visiting its million items; the event says which lots shared the container at the time, and
 *   event_lots how many (so a trace sees which events packed other lots too without looking each up).
 * - trace_lot_locations: the locations (read points, business locations) every lot reached, first
 *   and last seen: a lot's whereabouts in one index range rather than a walk over its events.
 * - trace_transformations: each transformation's inputs and outputs (identifiers with their GS1
 *   keys), keyed by transformationID, or by the event when it has none.
 * - epcis_item_lots_lot_idx: a lot's items in serial order (counts and pages of affected items).
 * - archive_lot_production_date_idx: lots by production date (trace forward over a window).
 */
export class CreateTraceGraph1764700000000 implements MigrationInterface {
  name = 'CreateTraceGraph1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "data_service"."trace_aggregations" (
        "event_seq" bigint NOT NULL,
        "parent" text NOT NULL,
        "child" text NOT NULL,
        "child_gtin" char(14),
        "child_lot" text,
        "child_serial" text,
        PRIMARY KEY ("parent", "child", "event_seq")
      )`);
    await queryRunner.query(`CREATE INDEX "trace_aggregations_child_idx" ON "data_service"."trace_aggregations" ("child", "parent")`);
    await queryRunner.query(
      `CREATE INDEX "trace_aggregations_item_idx" ON "data_service"."trace_aggregations" ("child_gtin", "child_serial") WHERE "child_serial" IS NOT NULL`,
    );
    await queryRunner.query(`CREATE INDEX "trace_aggregations_event_idx" ON "data_service"."trace_aggregations" ("event_seq")`);

    await queryRunner.query(`
      CREATE TABLE "data_service"."trace_lot_containers" (
        "gtin" char(14) NOT NULL,
        "lot" text NOT NULL,
        "container" text NOT NULL,
        "event_seq" bigint NOT NULL,
        "event_lots" integer NOT NULL DEFAULT 0,
        PRIMARY KEY ("gtin", "lot", "container", "event_seq")
      )`);
    await queryRunner.query(`CREATE INDEX "trace_lot_containers_event_idx" ON "data_service"."trace_lot_containers" ("event_seq") INCLUDE ("gtin", "lot")`);

    await queryRunner.query(`
      CREATE TABLE "data_service"."trace_lot_locations" (
        "gtin" char(14) NOT NULL,
        "lot" text NOT NULL,
        "location" text NOT NULL,
        "kind" text NOT NULL CHECK ("kind" IN ('shipped-to', 'observed-at')),
        "first_seen" timestamptz NOT NULL,
        "last_seen" timestamptz NOT NULL,
        PRIMARY KEY ("gtin", "lot", "location", "kind")
      )`);

    await queryRunner.query(`
      CREATE TABLE "data_service"."trace_transformations" (
        "transformation" text NOT NULL,
        "event_seq" bigint NOT NULL,
        "side" text NOT NULL CHECK ("side" IN ('input', 'output')),
        "identifier" text NOT NULL,
        "gtin" char(14),
        "lot" text,
        "serial" text,
        PRIMARY KEY ("transformation", "side", "identifier", "event_seq")
      )`);
    await queryRunner.query(`CREATE INDEX "trace_transformations_lot_idx" ON "data_service"."trace_transformations" ("side", "gtin", "lot")`);
    await queryRunner.query(`CREATE INDEX "trace_transformations_serial_idx" ON "data_service"."trace_transformations" ("side", "gtin", "serial") WHERE "serial" IS NOT NULL`);
    // Inputs that are not trade items (an SSCC: a pallet consumed whole), checked against the containers a trace reached.
    await queryRunner.query(
      `CREATE INDEX "trace_transformations_container_idx" ON "data_service"."trace_transformations" ("identifier") WHERE "side" = 'input' AND "gtin" IS NULL`,
    );
    await queryRunner.query(`CREATE INDEX "trace_transformations_event_idx" ON "data_service"."trace_transformations" ("event_seq")`);

    await queryRunner.query(`CREATE INDEX "epcis_item_lots_lot_idx" ON "data_service"."epcis_item_lots" ("gtin", "lot", "serial")`);
    await queryRunner.query(
      `CREATE INDEX "archive_lot_production_date_idx" ON "data_service"."archive_records" (("record"->>'productionDate'))
       WHERE "record_type" = 'archive.lot' AND "superseded_at" IS NULL`,
    );

    await this.backfill(queryRunner);
  }

  /** Records the events already stored, as the consumer does for new ones. */
  private async backfill(queryRunner: QueryRunner): Promise<void> {
    const recorder = new TraceGraphRecorder(queryRunner.manager);
    for (let after = '0'; ; ) {
      const rows: StoredEvent[] = await queryRunner.query(
        `SELECT "seq"::text AS "seq", "event_type", "action", "biz_step", "event_time", "read_point", "biz_location", "body"
         FROM "data_service"."epcis_events"
         WHERE "seq" > $1 AND "latest" AND "event_type" IN ('AggregationEvent', 'AssociationEvent', 'TransformationEvent')
           AND NOT ("body" ? 'errorDeclaration')
         ORDER BY "seq" LIMIT ${BATCH}`,
        [after],
      );
      if (rows.length === 0) break;
      const events: TraceableEvent[] = rows.map((row) => ({
        seq: row.seq,
        type: row.event_type,
        action: row.action,
        bizStep: row.biz_step,
        eventTime: row.event_time,
        readPoint: row.read_point,
        bizLocation: row.biz_location,
        body: row.body,
        lots: [],
      }));
      await recorder.recordStructure(events);
      after = rows.at(-1)!.seq;
    }
    // The trail links already hold every lot each event concerns, late links included.
    await queryRunner.query(CONTAINERS_FROM_TRAILS);
    await queryRunner.query(`${LOCATIONS_FROM_TRAILS} ${LOCATIONS_GROUPING}`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "data_service"."archive_lot_production_date_idx"`);
    await queryRunner.query(`DROP INDEX "data_service"."epcis_item_lots_lot_idx"`);
    for (const table of ['trace_transformations', 'trace_lot_locations', 'trace_lot_containers', 'trace_aggregations']) {
      await queryRunner.query(`DROP TABLE "data_service"."${table}"`);
    }
  }
}
