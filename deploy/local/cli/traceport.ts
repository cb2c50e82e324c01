// The platform CLI behind ./traceport (which bootstraps Node.js 24 and npm dependencies first).
// Runs with Node's type stripping: erasable TypeScript only, relative imports with .ts.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { adminKeyFile, ensureAdminKey, readAdminKey } from './admin-key.ts';
import { gatewayUrl, loadProfile, PROFILE_NAMES, type Profile } from './profile.ts';
import { seedDemoData } from './seed.ts';
import { printStatus, runningState, startPlatform, stopPlatform, watchPlatform } from './platform.ts';
import { run, say } from './steps.ts';
import { Supervisor } from './supervisor.ts';

const ROOT = resolve(import.meta.dirname, '../../..');

const HELP = `Traceport — tamper-evident traceability for imported products.

Usage: ./traceport <command>

  up [--detach]      build, start Kafka, the chain and the four services, seed demo data;
                     --detach returns once everything is ready (otherwise Ctrl+C stops it)
  down               stop everything 'up' started
  status             each process with its state, pid, restarts, last exit, uptime and URL
                     (the supervisor restarts a process that dies, with backoff)
  logs <name> [-n N] [--no-follow]
                     a process's log (kafka, chain, data-service, decision-engine,
                     ledger-anchor, interaction-gateway, supervisor)
  dlq list [topic]   the dead letters: events a consumer gave up on, with the error
  dlq replay <topic> [--id <event id>] [--all]
                     re-drive dead letters onto their source topic (not yet replayed ones;
                     --id just that event; --all every one again)
                     status, logs and dlq take --profile <name> (default dev; --test = test)
  test [vitest args] every test, against a platform of its own (other ports, database traceport_test)
  bench [name]       the benchmarks; results go to docs/benchmarks.md
  verify <url|file>  check a record's proof offline: its leaf, its inclusion, and the root on chain
  import <file.csv>  bulk-import merchants, brands, factories, products and lots, with progress
  admin-key          print the bootstrap admin API key of the local platform (made by 'up';
                     --profile <name> for another profile's, e.g. test-a)
  help               this text
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  switch (command) {
    case 'up':
      return up(loadProfile('dev', ROOT), args.includes('--detach'));
    case 'down':
      return down(loadProfile('dev', ROOT));
    case 'status':
      if (args.includes('--profile')) return status(chosenProfile(args));
      return status(loadProfile('dev', ROOT), args.includes('--test') ? loadProfile('test', ROOT) : undefined);
    case 'logs':
      return logs(chosenProfile(args), args.filter((arg, index) => arg !== '--profile' && args[index - 1] !== '--profile'));
    case 'dlq':
      return (await import('./dlq-command.ts')).dlqCommand(chosenProfile(args), args.filter((arg, index) => arg !== '--profile' && args[index - 1] !== '--profile'));
    case 'test':
      return (await import('./test-command.ts')).testCommand(ROOT, args);
    case 'bench':
      return (await import('./bench-command.ts')).benchCommand(ROOT, args);
    case 'import':
      return (await import('./import-command.ts')).importCommand(ROOT, args);
    case 'verify':
      return (await import('./verify-command.ts')).verifyCommand(ROOT, args);
    case 'admin-key':
      return adminKey(chosenProfile(args));
    case '__supervise': {
      const name = PROFILE_NAMES.find((candidate) => candidate === args[0]) ?? 'dev';
      await new Supervisor(loadProfile(name, ROOT)).run();
      return new Promise<number>(() => undefined); // lives until SIGTERM
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(HELP);
      return 0;
    default:
      process.stderr.write(`traceport: unknown command '${command}'\n\n${HELP}`);
      return 2;
  }
}

/** The platform a command is about: dev, the test platform with --test, or any with --profile <name>. */
function chosenProfile(args: readonly string[]): Profile {
  const index = args.indexOf('--profile');
  if (index < 0) return loadProfile(args.includes('--test') ? 'test' : 'dev', ROOT);
  const name = PROFILE_NAMES.find((candidate) => candidate === args[index + 1]);
  if (name === undefined) throw new Error(`--profile takes one of ${PROFILE_NAMES.join(', ')}`);
  return loadProfile(name, ROOT);
}

async function up(profile: Profile, detach: boolean): Promise<number> {
  if (runningState(profile) !== null) {
    say('the platform is already running');
    await printStatus(profile);
    return 0;
  }
  const started = Date.now();
  const key = ensureAdminKey(profile);
  await startPlatform(profile, { fresh: false });
  const demo = await seedDemoData(profile);
  const base = gatewayUrl(profile);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  process.stdout.write(
    [
      '',
      `Traceport is up (${seconds} s).`,
      `  gateway (REST)   ${base}          health: ${base}/health/ready`,
      `  gateway (gRPC)   127.0.0.1:${profile.ports.gatewayGrpc}   package traceport.v1, reflection on`,
      `  admin API key    ${key}`,
      `                   send it as Authorization: Bearer <key> (gRPC: metadata authorization); again: ./traceport admin-key`,
      `  sample product   ${base}/v1/products/${demo.productId}`,
      `  its proof        ${base}/v1/proofs?record_key=${encodeURIComponent(demo.recordKey)}`,
      `  verify it        ./traceport verify '${base}/v1/proofs?record_key=${encodeURIComponent(demo.recordKey)}'`,
      `  its lot's trail  ${base}/v1/lots/trail?gtin=${demo.gtin}&lot=${demo.lotNumber}`,
      `  statistics       ${base}/v1/statistics/factory`,
      `  lot decision     ${base}/v1/lots/${demo.lotId}/decision${demo.decision === null ? '' : `   (${demo.decision.outcome}${demo.decision.rule === '' ? '' : `; rule ${demo.decision.rule}`})`}`,
      `  sampling rules   ${base}/v1/rule-sets/active    plan lookup: ${base}/v1/sampling/plan?lot_size=12000&level=II&aql=0.65`,
      `  scan page        ${demo.scan.scanUrl}`,
      `  a cloned code    ${demo.scan.clonedScanUrl}`,
      `  a fake code      ${demo.scan.unknownScanUrl}`,
      `  labels (PDF)     ${demo.scan.labelsUrl}`,
      `  console          ${base}/console/    (sign in with the admin API key above)`,
      `  status: ./traceport status    logs: ./traceport logs <name>    stop: ./traceport down`,
      '',
    ].join('\n'),
  );
  if (detach) return 0;
  say('running in the foreground (the supervisor restarts a service that dies); Ctrl+C stops the platform');
  const interrupted = new Promise<void>((resolveStop) => {
    process.once('SIGINT', () => resolveStop());
    process.once('SIGTERM', () => resolveStop());
  });
  if (!(await watchPlatform(profile, interrupted))) {
    say(`the supervisor is gone; see ${join(profile.logDir, 'supervisor.log')}`);
    return 1;
  }
  say('stopping');
  await stopPlatform(profile);
  return 0;
}

/** Prints the bootstrap admin key alone on stdout, so `$(./traceport admin-key)` works in scripts. */
function adminKey(profile: Profile): number {
  const key = readAdminKey(profile);
  if (key === null) {
    process.stderr.write(`traceport: no admin key yet (${adminKeyFile(profile)}); ./traceport up makes one\n`);
    return 1;
  }
  process.stdout.write(`${key}\n`);
  return 0;
}

async function down(profile: Profile): Promise<number> {
  const stopped = await stopPlatform(profile);
  say(stopped ? 'stopped' : 'nothing was running');
  return 0;
}

async function status(profile: Profile, testProfile?: Profile): Promise<number> {
  await printStatus(profile);
  if (testProfile !== undefined) await printStatus(testProfile);
  return 0;
}

async function logs(profile: Profile, args: string[]): Promise<number> {
  const name = args.find((arg) => !arg.startsWith('-') && !/^\d+$/.test(arg));
  if (name === undefined) {
    process.stderr.write('usage: ./traceport logs <name> [-n N] [--no-follow]\n');
    return 2;
  }
  const file = join(profile.logDir, `${name}.log`);
  if (!existsSync(file)) {
    process.stderr.write(`traceport: no log for '${name}' (looked for ${file})\n`);
    return 1;
  }
  const linesIndex = args.indexOf('-n');
  const lines = linesIndex >= 0 ? (args[linesIndex + 1] ?? '200') : '200';
  await run('tail', ['-n', lines, ...(args.includes('--no-follow') ? [] : ['-F']), file], { cwd: ROOT }).catch(() => undefined);
  return 0;
}

// `./traceport status | head` closes the pipe early; that is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`traceport: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);

