import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Bulk imports of the archive from CSV. The uploaded file is kept with the job, and progress is
 * committed with each batch of rows it stores, so a restarted service resumes exactly where it
 * stopped: no row is stored twice, none is skipped.
 */
export class CreateArchiveImports1764150000001 implements MigrationInterface {
  name = 'CreateArchiveImports1764150000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "data_service"."archive_imports" (
        "id" uuid PRIMARY KEY,
        "status" text NOT NULL CHECK ("status" IN ('queued', 'running', 'succeeded', 'failed')),
        "csv" text NOT NULL,
        "total_rows" integer NOT NULL CHECK ("total_rows" >= 0),
        "processed_rows" integer NOT NULL DEFAULT 0,
        "created_rows" integer NOT NULL DEFAULT 0,
        "failed_rows" integer NOT NULL DEFAULT 0,
        "errors" jsonb NOT NULL DEFAULT '[]',
        "failure" text,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "started_at" timestamptz,
        "finished_at" timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX "archive_imports_pending_idx" ON "data_service"."archive_imports" ("created_at") WHERE "status" IN ('queued', 'running')`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "data_service"."archive_imports"`);
  }
}
