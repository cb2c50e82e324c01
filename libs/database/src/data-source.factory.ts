import pg from 'pg';
import { DataSource, type DataSourceOptions } from 'typeorm';

type PostgresConnectionOptions = Extract<DataSourceOptions, { type: 'postgres' }>;
import { SnakeNamingStrategy } from './snake-naming.strategy.js';

export interface ServiceDataSourceOptions {
  readonly url: string;
  /** The PostgreSQL schema the service owns; all its tables live there. */
  readonly schema: string;
  readonly applicationName: string;
  readonly entities: NonNullable<PostgresConnectionOptions['entities']>;
  readonly migrations: NonNullable<PostgresConnectionOptions['migrations']>;
  readonly poolMax?: number;
}

/**
 * One service's TypeORM options: its own schema, its migrations table inside that schema, never
 * `synchronize` (schema changes only through reviewed migrations).
 */
export function serviceDataSourceOptions(options: ServiceDataSourceOptions): DataSourceOptions {
  return {
    type: 'postgres',
    url: options.url,
    schema: options.schema,
    applicationName: options.applicationName,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    namingStrategy: new SnakeNamingStrategy(),
    extra: { max: options.poolMax ?? 10, connectionTimeoutMillis: 5_000 },
  };
}

export class DatabaseUnreachableError extends Error {
  override readonly name = 'DatabaseUnreachableError';
}

function describeTarget(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
}

/**
 * Creates the service's schema (migrations keep their bookkeeping table inside it, so it must exist
 * first). Fails with one message that says what to set when the server cannot be reached.
 */
export async function ensureSchema(url: string, schema: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name: ${schema}`);
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
  } catch (error) {
    throw new DatabaseUnreachableError(
      `cannot reach PostgreSQL at ${describeTarget(url)} (${(error as Error).message}). ` +
        'Start PostgreSQL or set DATABASE_URL, e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/traceport',
    );
  }
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  } finally {
    await client.end();
  }
}

/** Initializes the data source and applies pending migrations; returns it ready to use. */
export async function openServiceDataSource(options: ServiceDataSourceOptions): Promise<DataSource> {
  await ensureSchema(options.url, options.schema);
  const dataSource = new DataSource(serviceDataSourceOptions(options));
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  return dataSource;
}

/** Readiness: one round trip to the database. */
export async function pingDatabase(dataSource: DataSource): Promise<void> {
  await dataSource.query('SELECT 1');
}
