import { messagingTablesDdl } from '@traceport/messaging';
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateArchiveProducts1764115200000 implements MigrationInterface {
  name = 'CreateArchiveProducts1764115200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "data_service"."products" (
        "id" uuid PRIMARY KEY,
        "version" integer NOT NULL CHECK ("version" > 0),
        "gtin" char(14) NOT NULL,
        "name" text NOT NULL,
        "brand" text NOT NULL,
        "category" text NOT NULL,
        "hs_code" varchar(10) NOT NULL,
        "origin_country" char(2) NOT NULL,
        "registered_at" timestamptz NOT NULL,
        CONSTRAINT "products_gtin_key" UNIQUE ("gtin")
      )`);
    for (const statement of messagingTablesDdl('data_service')) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "data_service"."processed_events"');
    await queryRunner.query('DROP TABLE "data_service"."outbox"');
    await queryRunner.query('DROP TABLE "data_service"."products"');
  }
}
