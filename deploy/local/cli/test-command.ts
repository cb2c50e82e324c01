import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureAdminKey } from './admin-key.ts';
import { startPlatform, stopPlatform } from './platform.ts';
import { loadProfile, PROFILE_NAMES } from './profile.ts';
import { say } from './steps.ts';

/**
 * `./traceport test`: starts a platform of its own (the test profile: other ports, a fresh
 * traceport_test database, a fresh broker), runs every test with one runner (vitest), stops the
 * platform, and ends with the runner's "N passed, N failed" line.
 */
/**
 * Page tests drive Debian's Chromium (never a test tool's own browser download). On a Debian
 * machine where we may install packages, a missing one is installed from Debian's archive, so a
 * clean machine runs every test; elsewhere the page tests say how to get it.
 */
function ensureChromium(): void {
  if (existsSync('/usr/bin/chromium') || !existsSync('/usr/bin/apt-get') || process.getuid?.() !== 0) return;
  say('installing Debian\'s chromium for the page tests (first run on this machine only)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'ignore', env });
  const install = spawnSync('apt-get', ['install', '-y', '-qq', 'chromium', 'fonts-noto-cjk'], { stdio: 'ignore', env });
  if (install.status !== 0) say('could not install chromium; the page tests will fail and say why');
}

export async function testCommand(root: string, args: string[]): Promise<number> {
  ensureChromium();
  const requested = process.env['TRACEPORT_TEST_PROFILE'] ?? 'test';
  const name = PROFILE_NAMES.find((candidate) => candidate === requested && candidate.startsWith('test'));
  if (name === undefined) throw new Error(`TRACEPORT_TEST_PROFILE must be test or test-a to test-d, not ${requested}`);
  const profile = loadProfile(name, root);
  await stopPlatform(profile);
  const summaryFile = join(profile.runDir, 'test-summary.txt');
  rmSync(summaryFile, { force: true });
  const started = Date.now();
  let exitCode = 1;
  try {
    await startPlatform(profile, { fresh: true });
    say(`test platform ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const deployment = JSON.parse(readFileSync(profile.deploymentFile, 'utf8')) as { contract: string; chainId: number };
    const env = {
      ...process.env,
      TZ: 'UTC',
      TRACEPORT_ROOT: root,
      TRACEPORT_PROFILE: profile.name,
      TRACEPORT_TEST_SUMMARY_FILE: summaryFile,
      TRACEPORT_GATEWAY_URL: `http://127.0.0.1:${profile.ports.gatewayHttp}`,
      TRACEPORT_GATEWAY_GRPC: `127.0.0.1:${profile.ports.gatewayGrpc}`,
      TRACEPORT_LEDGER_URL: `http://127.0.0.1:${profile.ports.ledgerHttp}`,
      TRACEPORT_DATA_SERVICE_URL: `http://127.0.0.1:${profile.ports.dataServiceHttp}`,
      TRACEPORT_TEST_DATABASE_URL: profile.databaseUrl,
      TRACEPORT_KAFKA_BROKERS: profile.kafkaBrokers,
      TRACEPORT_CHAIN_RPC_URL: profile.chainRpcUrl,
      TRACEPORT_REGISTRY_ADDRESS: deployment.contract,
      // The profile's bootstrap admin key: test/support/gateway-client.ts sends it.
      TRACEPORT_ADMIN_KEY: ensureAdminKey(profile),
    };
    exitCode = await new Promise<number>((resolve) => {
      const child = spawn(process.execPath, [join(root, 'node_modules/vitest/vitest.mjs'), 'run', ...args], {
        cwd: root,
        env,
        stdio: 'inherit',
      });
      child.once('exit', (code) => resolve(code ?? 1));
    });
  } finally {
    say('stopping the test platform');
    await stopPlatform(profile);
  }
  // The runner's own closing line, repeated so it is the last thing printed.
  try {
    process.stdout.write(`${readFileSync(summaryFile, 'utf8').trim()}\n`);
  } catch {
    process.stdout.write('0 passed, 1 failed\n');
  }
  return exitCode;
}
