import { spawn } from 'node:child_process';
import { mkdirSync, openSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureAdminKey } from './admin-key.ts';
import type { Profile } from './profile.ts';
import { build, prepareDatabase, prepareKafka, say } from './steps.ts';
import { isAlive, readState, type PlatformState, type ProcessRecord } from './state.ts';
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
  // Made before the supervisor starts the gateway with it; this process's gateway calls send it.
  ensureAdminKey(profile);
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

/** 3 d 4 h, 2 h 5 m, 4 m 10 s, 12 s: the two largest units. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const units: [string, number][] = [
    ['d', Math.floor(seconds / 86_400)],
    ['h', Math.floor(seconds / 3_600) % 24],
    ['m', Math.floor(seconds / 60) % 60],
    ['s', seconds % 60],
  ];
  const first = units.findIndex(([, value]) => value > 0);
  if (first < 0) return '0 s';
  return units
    .slice(first, first + 2)
    .filter(([, value]) => value > 0)
    .map(([unit, value]) => `${value} ${unit}`)
    .join(' ');
}

/** What `status` shows for one process: its state as seen now (a dead pid is "down", whatever the file says). */
function statusRow(record: ProcessRecord, now: number): string[] {
  const alive = isAlive(record.pid);
  const state = alive ? record.state : record.state === 'restarting' || record.state === 'failed' ? record.state : 'down';
  const restartIn = record.restartAt === undefined ? '' : ` (in ${formatDuration(Math.max(0, Date.parse(record.restartAt) - now) + 999)})`;
  const lastExit = record.lastExit === undefined ? '-' : `${record.lastExit.slice(record.lastExit.indexOf(' ') + 1)}, ${formatDuration(now - Date.parse(record.lastExit.slice(0, record.lastExit.indexOf(' '))))} ago`;
  return [
    record.name,
    record.kind,
    `${state}${state === 'restarting' ? restartIn : ''}`,
    alive ? String(record.pid) : '-',
    String(record.restarts),
    lastExit,
    alive && record.startedAt !== undefined ? formatDuration(now - Date.parse(record.startedAt)) : '-',
    record.url,
  ];
}

export async function printStatus(profile: Profile): Promise<void> {
  const state = readState(profile.stateFile);
  if (state === null || !isAlive(state.supervisorPid)) {
    process.stdout.write(`${profile.name}: not running\n`);
    return;
  }
  const now = Date.now();
  const failed = Object.values(state.processes).filter((record) => record.state === 'failed');
  const phase = failed.length > 0 && state.phase === 'ready' ? `degraded (${failed.map((record) => record.name).join(', ')} crash-looped and left down)` : state.phase;
  process.stdout.write(`${profile.name}: ${phase} (supervisor pid ${state.supervisorPid}, up ${formatDuration(now - Date.parse(state.startedAt))}, since ${state.startedAt})\n`);
  const rows = Object.values(state.processes).map((record) => statusRow(record, now));
  const header = ['NAME', 'KIND', 'STATE', 'PID', 'RESTARTS', 'LAST EXIT', 'UPTIME', 'URL'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  for (const row of [header, ...rows]) {
    process.stdout.write(`${row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()}\n`);
  }
}

/**
 * `up` in the foreground: reports each process that exits, is restarted or turns ready again, until
 * `until` resolves; resolves early (false) when the supervisor itself is gone.
 */
export async function watchPlatform(profile: Profile, until: Promise<void>): Promise<boolean> {
  let stopped = false;
  void until.then(() => {
    stopped = true;
  });
  const seen = new Map<string, string>();
  const describe = (record: ProcessRecord) => `${record.state}|${record.restarts}`;
  for (const record of Object.values(readState(profile.stateFile)?.processes ?? {})) seen.set(record.name, describe(record));
  while (!stopped) {
    await Promise.race([until, new Promise((resolveWait) => setTimeout(resolveWait, 1_000))]);
    const state = readState(profile.stateFile);
    if (state === null || !isAlive(state.supervisorPid)) return stopped;
    for (const record of Object.values(state.processes)) {
      const now = describe(record);
      if (seen.get(record.name) === now) continue;
      seen.set(record.name, now);
      if (record.state === 'restarting') {
        const at = record.restartAt === undefined ? 'now' : `at ${record.restartAt.slice(11, 19)}`;
        say(`${record.name} exited (${record.lastExit?.split(' ')[1] ?? '?'}); restarting it ${at} (restart ${record.restarts})`);
      }
      else if (record.state === 'ready') say(`${record.name} ready (pid ${record.pid}, ${record.restarts} restarts)`);
      else if (record.state === 'failed') say(`${record.name} is crash-looping and was left down; see ${record.log}`);
    }
  }
  return true;
}
