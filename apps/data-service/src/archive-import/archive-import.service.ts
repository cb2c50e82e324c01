import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { PollingWorker } from '@traceport/database';
import { invalid, notFound } from '@traceport/errors';
import { parse } from 'csv-parse/sync';
import { DataSource } from 'typeorm';
import { ArchiveMetrics } from '../archive/archive.metrics.js';
import { ArchiveService, type ArchiveView } from '../archive/archive.service.js';
import { readRow, type RowProblem } from './csv-row.js';
import { importBatch } from './import-batch.js';

const BATCH_ROWS = 1_000;
const KEPT_ERRORS = 1_000;

export interface ImportJob {
  id: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  totalRows: number;
  processedRows: number;
  createdRows: number;
  failedRows: number;
  errors: RowProblem[];
  failure: string;
  createdAt: string;
  startedAt: string;
  finishedAt: string;
  rowsPerSecond: number;
}

interface JobRow {
  id: string;
  status: ImportJob['status'];
  total_rows: number;
  processed_rows: number;
  created_rows: number;
  failed_rows: number;
  errors: RowProblem[];
  failure: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

function jobOf(row: JobRow): ImportJob {
  const end = row.finished_at ?? new Date();
  const seconds = row.started_at === null ? 0 : (end.getTime() - row.started_at.getTime()) / 1000;
  return {
    id: row.id,
    status: row.status,
    totalRows: row.total_rows,
    processedRows: row.processed_rows,
    createdRows: row.created_rows,
    failedRows: row.failed_rows,
    errors: row.errors,
    failure: row.failure ?? '',
    createdAt: row.created_at.toISOString(),
    startedAt: row.started_at?.toISOString() ?? '',
    finishedAt: row.finished_at?.toISOString() ?? '',
    rowsPerSecond: seconds > 0 ? Math.round((row.processed_rows / seconds) * 10) / 10 : 0,
  };
}

function parseCsv(csv: string): Record<string, string>[] {
  return parse(csv, { columns: true, skip_empty_lines: true, bom: true, relax_column_count: false }) as Record<string, string>[];
}

/**
 * Bulk imports of the archive. A job keeps its file; batches of rows commit together with the
 * job's progress, so the runner, after any crash or restart, resumes at the first row not stored.
 */
@Injectable()
export class ArchiveImportService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ArchiveImportService.name);
  private readonly worker = new PollingWorker('archive import', () => this.step(), this.logger);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(ArchiveService) private readonly archive: ArchiveService,
    private readonly metrics: ArchiveMetrics,
  ) {}

  onApplicationBootstrap(): void {
    this.worker.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker.stop();
  }

  async start(csv: string): Promise<ImportJob> {
    let rows: Record<string, string>[];
    try {
      rows = parseCsv(csv);
    } catch (error) {
      throw invalid('invalid-csv', `the file is not valid CSV: ${(error as Error).message}`, [{ field: 'csv', message: (error as Error).message }]);
    }
    if (rows.length > 0 && !('type' in rows[0]!)) {
      throw invalid('invalid-csv', 'the header row has no type column (merchant, brand, factory, product or lot)', [{ field: 'type', message: 'missing column' }]);
    }
    const id = crypto.randomUUID();
    const inserted: JobRow[] = await this.dataSource.query(
      `INSERT INTO "data_service"."archive_imports" ("id", "status", "csv", "total_rows") VALUES ($1, 'queued', $2, $3) RETURNING *`,
      [id, csv, rows.length],
    );
    this.logger.log(`archive import ${id} queued: ${rows.length} rows`);
    this.worker.nudge();
    return jobOf(inserted[0]!);
  }

  async get(id: string): Promise<ImportJob> {
    const rows: JobRow[] = /^[0-9a-f-]{36}$/i.test(id)
      ? await this.dataSource.query(
          `SELECT "id", "status", "total_rows", "processed_rows", "created_rows", "failed_rows", "errors", "failure", "created_at", "started_at", "finished_at"
           FROM "data_service"."archive_imports" WHERE "id" = $1`,
          [id],
        )
      : [];
    if (rows[0] === undefined) throw notFound('import-not-found', `no archive import ${id}`);
    return jobOf(rows[0]);
  }

  /** One batch of the oldest unfinished job, in one transaction with its progress; false when idle. */
  private async step(): Promise<boolean> {
    let parsedCache: { id: string; rows: Record<string, string>[] } | undefined = this.parsed;
    let created: readonly ArchiveView[] = [];
    let failedRows = 0;
    const worked = await this.dataSource.transaction(async (manager) => {
      const jobs: (JobRow & { csv: string | null })[] = await manager.query(
        `SELECT "id", "status", "processed_rows", "total_rows",
                CASE WHEN $1::uuid IS NOT DISTINCT FROM "id" THEN NULL ELSE "csv" END AS "csv"
         FROM "data_service"."archive_imports" WHERE "status" IN ('queued', 'running')
         ORDER BY "created_at" LIMIT 1 FOR UPDATE SKIP LOCKED`,
        [parsedCache?.id ?? null],
      );
      const job = jobs[0];
      if (job === undefined) return false;
      if (job.csv !== null) parsedCache = { id: job.id, rows: parseCsv(job.csv) };
      const all = parsedCache!.rows;
      const slice = all.slice(job.processed_rows, job.processed_rows + BATCH_ROWS);
      // Line numbers as a spreadsheet shows them: the header is line 1.
      const rows = slice.map((cells, offset) => readRow(cells, job.processed_rows + offset + 2));
      const outcome = await importBatch(manager, this.archive, rows);
      const processed = job.processed_rows + slice.length;
      const failedLines = new Set(outcome.problems.map((problem) => problem.line)).size;
      created = outcome.created;
      failedRows = failedLines;
      await manager.query(
        `UPDATE "data_service"."archive_imports" SET
           "status" = CASE WHEN $2 >= "total_rows" THEN 'succeeded' ELSE 'running' END,
           "started_at" = coalesce("started_at", now()),
           "finished_at" = CASE WHEN $2 >= "total_rows" THEN now() END,
           "processed_rows" = $2, "created_rows" = "created_rows" + $3, "failed_rows" = "failed_rows" + $4,
           "errors" = CASE WHEN jsonb_array_length("errors") >= $6 THEN "errors"
                           ELSE "errors" || (SELECT coalesce(jsonb_agg(e), '[]') FROM (SELECT e FROM jsonb_array_elements($5::jsonb) e LIMIT $6 - jsonb_array_length("errors")) x) END
         WHERE "id" = $1`,
        [job.id, processed, outcome.created.length, failedLines, JSON.stringify(outcome.problems), KEPT_ERRORS],
      );
      if (processed >= job.total_rows) this.logger.log(`archive import ${job.id} finished: ${job.total_rows} rows`);
      return true;
    });
    this.parsed = parsedCache;
    if (worked) {
      // Counted after the commit: a batch that rolled back is done again from the same row.
      this.archive.published(created);
      this.metrics.importRowsProcessed(created.length, failedRows);
    }
    return worked;
  }

  /** The parsed file of the job in progress, so each batch does not parse the whole file again. */
  private parsed: { id: string; rows: Record<string, string>[] } | undefined;
}
