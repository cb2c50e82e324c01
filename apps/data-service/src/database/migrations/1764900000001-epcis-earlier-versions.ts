import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every stored event cost two entries in unique indexes on its random eventID: (eventID, version)
 * for all versions, and eventID for the latest. Nearly every event is, and stays, its eventID's only
 * version, so the first index held a copy of the second. It now holds earlier versions only: a new
 * event enters one eventID index, and a superseded version enters this one when the capture that
 * supersedes it clears its `latest` flag. On the bench machine the second index cost ~0.9 ms per
 * 100-event capture, and a page of WAL per event after each checkpoint.
 *
 * (eventID, version) stays unique: among earlier versions by this index, for the latest by the
 * eventID index; and a capture numbers a new version one past the latest while holding the
 * eventID's advisory lock. Reads of one eventID's versions ask both indexes.
 */
export class EpcisEarlierVersions1764900000001 implements MigrationInterface {
  name = 'EpcisEarlierVersions1764900000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE UNIQUE INDEX "epcis_events_earlier_version_key" ON "data_service"."epcis_events" ("event_id", "version") WHERE NOT "latest"`,
    );
    await queryRunner.query(`ALTER TABLE "data_service"."epcis_events" DROP CONSTRAINT "epcis_events_event_id_version_key"`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "data_service"."epcis_events" ADD CONSTRAINT "epcis_events_event_id_version_key" UNIQUE ("event_id", "version")`);
    await queryRunner.query(`DROP INDEX "data_service"."epcis_events_earlier_version_key"`);
  }
}
