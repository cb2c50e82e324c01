import { randomInt } from 'node:crypto';
import pg from 'pg';

/**
 * Where the platform that `./traceport test` started lives. Tests read it from the environment the
 * entry point sets; run outside it, they fail with a message saying how to run them.
 */
export interface TestPlatform {
  readonly root: string;
  readonly gatewayUrl: string;
  readonly gatewayGrpc: string;
  /** The ledger-anchor's HTTP (health, metrics). */
  readonly ledgerUrl: string;
  /** The data-service's HTTP (health, metrics). */
  readonly dataServiceUrl: string;
  readonly databaseUrl: string;
  readonly kafkaBrokers: string[];
  readonly chainRpcUrl: string;
  readonly registryAddress: `0x${string}`;
  readonly logDir: string;
}

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new Error(`${name} is not set: run the tests through ./traceport test, which starts the platform they need`);
  }
  return value;
}

export function testPlatform(): TestPlatform {
  const root = required('TRACEPORT_ROOT');
  return {
    root,
    gatewayUrl: required('TRACEPORT_GATEWAY_URL'),
    gatewayGrpc: required('TRACEPORT_GATEWAY_GRPC'),
    ledgerUrl: required('TRACEPORT_LEDGER_URL'),
    dataServiceUrl: required('TRACEPORT_DATA_SERVICE_URL'),
    databaseUrl: required('TRACEPORT_TEST_DATABASE_URL'),
    kafkaBrokers: required('TRACEPORT_KAFKA_BROKERS').split(','),
    chainRpcUrl: required('TRACEPORT_CHAIN_RPC_URL'),
    registryAddress: required('TRACEPORT_REGISTRY_ADDRESS') as `0x${string}`,
    logDir: `${root}/.run/${process.env['TRACEPORT_PROFILE'] ?? 'test'}/logs`,
  };
}

/**
 * A new, empty database on the platform's PostgreSQL server for one service test file, so it can
 * run migrations and write freely without touching the running platform's data.
 */
export async function freshDatabase(baseName: string): Promise<{ url: string; drop(): Promise<void> }> {
  // Suffixed by profile, so test runs on other profiles (test-a, test-b) never share a database.
  const name = `${baseName}_${(process.env['TRACEPORT_PROFILE'] ?? 'test').replace('-', '_')}`;
  if (!/^[a-z][a-z0-9_]*$/.test(name)) throw new Error(`invalid database name ${name}`);
  const base = new URL(testPlatform().databaseUrl);
  const admin = new URL(base);
  admin.pathname = '/postgres';
  const run = async (sql: string) => {
    const client = new pg.Client({ connectionString: admin.toString() });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await run(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await run(`CREATE DATABASE "${name}"`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => run(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

/** Polls until `probe` returns a value; fails with `what` after the timeout. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${what} did not happen within ${timeoutMs} ms${lastError ? `: ${String(lastError)}` : ''}`);
}

/**
 * A random GTIN-14 with a valid check digit in GS1's 950 range of examples (never a real product).
 * Eight random digits: with six, the few hundred products an e2e run registers on one platform made
 * a GTIN collision (a 409 where a test expected 201) likely enough to see in CI.
 */
export function randomGtin(): string {
  const body = `09506${String(randomInt(100_000_000)).padStart(8, '0')}`;
  let sum = 0;
  for (let position = 0; position < body.length; position += 1) {
    sum += Number(body[body.length - 1 - position]) * (position % 2 === 0 ? 3 : 1);
  }
  return `${body}${(10 - (sum % 10)) % 10}`;
}
