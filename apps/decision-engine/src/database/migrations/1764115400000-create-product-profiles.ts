import { messagingTablesDdl } from '@traceport/messaging';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The engine's own copy of the product facts its rules read, kept current from archive events. */
export class CreateProductProfiles1764115400000 implements MigrationInterface {
  name = 'CreateProductProfiles1764115400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "decision_engine"."product_profiles" (
        "product_id" uuid PRIMARY KEY,
        "version" integer NOT NULL,
        "gtin" char(14) NOT NULL,
        "category" text NOT NULL,
        "origin_country" char(2) NOT NULL,
        "hs_code" varchar(10) NOT NULL,
        "updated_at" timestamptz NOT NULL DEFAULT now()
      )`);
    for (const statement of messagingTablesDdl('decision_engine')) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['processed_events', 'outbox', 'product_profiles']) {
      await queryRunner.query(`DROP TABLE "decision_engine"."${table}"`);
    }
  }
}
