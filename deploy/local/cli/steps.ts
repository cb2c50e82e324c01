import { spawn } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import type { Profile } from './profile.ts';

export function say(message: string): void {
  process.stderr.write(`\x1b[2mtraceport:\x1b[0m ${message}\n`);
}

/** Runs a command with inherited output; rejects with its exit code. */
export function run(command: string, args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv; quiet?: boolean }): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: options.quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit',
    });
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit ${code}`})`)),
    );
  });
}

/** Compiles the Solidity contracts (npm solc), the TypeScript projects (incremental tsc -b) and the console (Vite). */
export async function build(root: string): Promise<void> {
  await run(process.execPath, [join(root, 'libs/chain/scripts/compile.ts')], { cwd: root });
  const started = Date.now();
  say('build: compiling TypeScript (tsc -b, incremental)');
  await run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-b', 'tsconfig.json'], { cwd: root });
  say(`build: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  await (await import('./console-build.ts')).buildConsole(root);
}

function describeServer(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || '5432'}`;
}

/** Creates the profile's database when missing; `fresh` drops it first (the test profile starts clean). */
export async function prepareDatabase(profile: Profile, fresh = false): Promise<void> {
  const adminUrl = new URL(profile.databaseUrl);
  adminUrl.pathname = '/postgres';
  const client = new pg.Client({ connectionString: adminUrl.toString(), connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL is not reachable at ${describeServer(profile.databaseUrl)} (${(error as Error).message}). ` +
        'Start PostgreSQL, or set DATABASE_URL to one you can use, e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/traceport',
    );
  }
  try {
    if (fresh) await client.query(`DROP DATABASE IF EXISTS "${profile.databaseName}" WITH (FORCE)`);
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [profile.databaseName]);
    if (found.rowCount === 0) {
      say(`database: creating ${profile.databaseName}`);
      await client.query(`CREATE DATABASE "${profile.databaseName}"`);
    }
  } finally {
    await client.end();
  }
}

/** Fetches the broker jars (first run) and formats its storage; `fresh` wipes its data first. */
export async function prepareKafka(profile: Profile, fresh = false): Promise<void> {
  if (profile.externalKafka) return;
  const script = join(profile.root, 'deploy/local/kafka/broker.sh');
  const env = {
    TRACEPORT_RUN_DIR: profile.runDir,
    KAFKA_PORT: String(profile.kafkaPort),
    KAFKA_CONTROLLER_PORT: String(profile.kafkaControllerPort),
  };
  if (fresh) await run('bash', [script, 'reset'], { cwd: profile.root, env, quiet: true });
  await run('bash', [script, 'prepare'], { cwd: profile.root, env });
}
