import { spawn } from 'node:child_process';
import { mkdirSync, openSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Profile } from './profile.ts';
import { build, prepareDatabase, prepareKafka, say } from './steps.ts';
import { isAlive, readState, type PlatformState } from './state.ts';
import { portsInUse } from './supervisor.ts';

export function runningState(profile: Profile): PlatformState | null {
  const state = readState(profile.stateFile);
  return state !== null && isAlive(state.supervisorPid) ? state : null;
}

/** Builds, prepares infrastructure, starts the supervisor detached and waits until it reports ready. */
export async function startPlatform(profile: Profile, options: { fresh: boolean }): Promise<PlatformState> {
  const busy = await portsInUse(profile);
  if (busy.length > 0) {
    throw new Error(`ports ${busy.join(', ')} are already in use; stop whatever holds them (./traceport down, if it is Traceport)`);
  }
  await build(profile.root);
  await prepareDatabase(profile, options.fresh);
  await prepareKafka(profile, options.fresh);
  if (options.fresh) rmSync(profile.deploymentFile, { force: true });
  mkdirSync(profile.logDir, { recursive: true });
  rmSync(profile.stateFile, { force: true });
  const out = openSync(join(profile.logDir, 'supervisor.log'), 'a');
  const supervisor = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', join(profile.root, 'deploy/local/cli/traceport.ts'), '__supervise', profile.name], {
    cwd: profile.root,
    detached: true,
    stdio: ['ignore', out, out],
    env: process.env,
  });
  supervisor.unref();
  let lastMessage = '';
  const deadline = Date.now() + 15 * 60_000;
  while (Date.now() < deadline) {
    await new Promise((resolveWait) => setTimeout(resolveWait, 300));
    const state = readState(profile.stateFile);
    if (state === null) {
      if (!isAlive(supervisor.pid)) throw new Error(`the supervisor exited at once; see ${join(profile.logDir, 'supervisor.log')}`);
      continue;
    }
    if (state.message !== lastMessage) {
      lastMessage = state.message;
      say(`platform: ${state.message}`);
    }
    if (state.phase === 'ready') return state;
    if (state.phase === 'failed') {
      throw new Error(`the platform did not start: ${state.error ?? 'unknown error'}\n  logs: ${profile.logDir}`);
    }
  }
  throw new Error('the platform did not become ready within 15 minutes');
}

export async function stopPlatform(profile: Profile): Promise<boolean> {
  const state = readState(profile.stateFile);
  if (state === null || !isAlive(state.supervisorPid)) {
    rmSync(profile.stateFile, { force: true });
    return false;
  }
  process.kill(state.supervisorPid, 'SIGTERM');
  const deadline = Date.now() + 60_000;
  while (isAlive(state.supervisorPid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  // Belt and braces: nothing the platform started survives `down`.
  for (const record of Object.values(state.processes)) {
    if (record.pid !== null && isAlive(record.pid)) {
      try {
        process.kill(-record.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  if (isAlive(state.supervisorPid)) process.kill(state.supervisorPid, 'SIGKILL');
  rmSync(profile.stateFile, { force: true });
  return true;
}

export async function printStatus(profile: Profile): Promise<void> {
  const state = readState(profile.stateFile);
  if (state === null || !isAlive(state.supervisorPid)) {
    process.stdout.write(`${profile.name}: not running\n`);
    return;
  }
  process.stdout.write(`${profile.name}: ${state.phase} (supervisor pid ${state.supervisorPid}, since ${state.startedAt})\n`);
  const rows = Object.values(state.processes).map((record) => [
    record.name,
    record.kind,
    isAlive(record.pid) ? record.state : record.state === 'restarting' ? 'restarting' : 'down',
    String(record.pid ?? '-'),
    String(record.restarts),
    record.url,
  ]);
  const header = ['NAME', 'KIND', 'STATE', 'PID', 'RESTARTS', 'URL'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  for (const row of [header, ...rows]) {
    process.stdout.write(`${row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()}\n`);
  }
}

