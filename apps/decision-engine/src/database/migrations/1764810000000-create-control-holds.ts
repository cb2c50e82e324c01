import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The engine's copy of product control's holds (control.record.versioned.v1): the latest version of
 * each, so a decision can say whether its lot is under a hold without asking another service.
 */
export class CreateControlHolds1764810000000 implements MigrationInterface {
  name = 'CreateControlHolds1764810000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "decision_engine"."control_holds" (
        "id" uuid PRIMARY KEY,
        "version" integer NOT NULL,
        "lot_id" text NOT NULL,
        "status" text NOT NULL CHECK ("status" IN ('open', 'lifted')),
        "record" jsonb NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX "control_holds_open_lot_idx" ON "decision_engine"."control_holds" ("lot_id") WHERE "status" = 'open'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "decision_engine"."control_holds"`);
  }
}
