import type { DataSource } from 'typeorm';

/**
 * The rows of one query, a batch at a time, from a server-side cursor in one read-only snapshot:
 * PostgreSQL sorts or scans once and the caller holds one batch in memory, however many rows
 * there are. Stopping early (break, return, an error) closes the cursor and the transaction.
 */
export async function* cursorBatches<Row>(dataSource: DataSource, sql: string, parameters: unknown[], batchSize = 1_000): AsyncGenerator<Row[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await runner.query(`DECLARE batches NO SCROLL CURSOR FOR ${sql}`, parameters);
    for (;;) {
      const rows = (await runner.query(`FETCH ${Math.trunc(batchSize)} FROM batches`)) as Row[];
      if (rows.length === 0) return;
      yield rows;
      if (rows.length < batchSize) return;
    }
  } finally {
    await runner.query('ROLLBACK').catch(() => undefined);
    await runner.release();
  }
}
