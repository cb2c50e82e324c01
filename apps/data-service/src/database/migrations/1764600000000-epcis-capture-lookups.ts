import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What EPCIS capture needs to stay fast as the event table grows.
 *
 * - epcis_events_latest_event_id_key: at most one latest version per eventID, which the capture has
 *   always maintained and now says. It is also how a capture finds the eventIDs it names that are
 *   already stored: the index is unique on eventID alone, so the planner knows each one matches at
 *   most one row and probes the index even before the table has been analysed (without statistics
 *   "eventID = ANY(100 ids)" was costed as half the table and read as a full scan, per document).
 * - The per-row foreign keys from events to their capture job, and from trail links to their event,
 *   go, as identities do without one to their issuance: each cost a lookup per inserted row (about
 *   a tenth of a capture's database time), and the rows they guard are only ever written by the
 *   capture itself, in one transaction, with the job inserted first and the seqs its own insert
 *   returned. Jobs, events and links are never deleted.
 * - The unique index on record_key goes too: a record key is the SHA-256 of the eventID and the
 *   version, so (eventID, version), which stays unique, already makes it unique; nothing looks
 *   events up by it, and its random keys cost an index page write per event.
 */
export class EpcisCaptureLookups1764600000000 implements MigrationInterface {
  name = 'EpcisCaptureLookups1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE UNIQUE INDEX "epcis_events_latest_event_id_key" ON "data_service"."epcis_events" ("event_id") WHERE "latest"`);
    await queryRunner.query(`ALTER TABLE "data_service"."epcis_events" DROP CONSTRAINT "epcis_events_capture_id_fkey"`);
    await queryRunner.query(`ALTER TABLE "data_service"."epcis_item_links" DROP CONSTRAINT "epcis_item_links_event_seq_fkey"`);
    await queryRunner.query(`ALTER TABLE "data_service"."epcis_lot_links" DROP CONSTRAINT "epcis_lot_links_event_seq_fkey"`);
    await queryRunner.query(`ALTER TABLE "data_service"."epcis_events" DROP CONSTRAINT "epcis_events_record_key_key"`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "data_service"."epcis_events" ADD CONSTRAINT "epcis_events_record_key_key" UNIQUE ("record_key")`);
    await queryRunner.query(
      `ALTER TABLE "data_service"."epcis_lot_links" ADD CONSTRAINT "epcis_lot_links_event_seq_fkey" FOREIGN KEY ("event_seq") REFERENCES "data_service"."epcis_events" ("seq")`,
    );
    await queryRunner.query(
      `ALTER TABLE "data_service"."epcis_item_links" ADD CONSTRAINT "epcis_item_links_event_seq_fkey" FOREIGN KEY ("event_seq") REFERENCES "data_service"."epcis_events" ("seq")`,
    );
    await queryRunner.query(
      `ALTER TABLE "data_service"."epcis_events" ADD CONSTRAINT "epcis_events_capture_id_fkey" FOREIGN KEY ("capture_id") REFERENCES "data_service"."epcis_capture_jobs" ("capture_id")`,
    );
    await queryRunner.query(`DROP INDEX "data_service"."epcis_events_latest_event_id_key"`);
  }
}
