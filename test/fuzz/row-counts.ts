import type pg from 'pg';

/** Rows per table, over every table of every service's schema. */
export type RowCounts = Record<string, number>;

const SCHEMAS = ['data_service', 'decision_engine', 'ledger', 'gateway'];

async function rowCounts(database: pg.Client): Promise<RowCounts> {
  const { rows } = await database.query<{ table_schema: string; table_name: string }>(
    `SELECT table_schema, table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND table_schema = ANY($1) ORDER BY 1, 2`,
    [SCHEMAS],
  );
  const counts: RowCounts = {};
  for (const { table_schema: schema, table_name: table } of rows) {
    const result = await database.query<{ count: string }>(`SELECT count(*) AS count FROM "${schema}"."${table}"`);
    counts[`${schema}.${table}`] = Number(result.rows[0]!.count);
  }
  return counts;
}

/**
 * The counts once the platform has settled: earlier tests' events may still be flowing through
 * Kafka, the log and the chain, so wait until two readings a second apart agree.
 */
export async function quiescentRowCounts(database: pg.Client, timeoutMs = 60_000): Promise<RowCounts> {
  const deadline = Date.now() + timeoutMs;
  let previous = await rowCounts(database);
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const current = await rowCounts(database);
    if (JSON.stringify(current) === JSON.stringify(previous)) return current;
    previous = current;
  }
  throw new Error(`the platform's tables did not settle within ${timeoutMs} ms`);
}
