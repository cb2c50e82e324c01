import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export type ProcessState = 'starting' | 'ready' | 'restarting' | 'stopped' | 'failed';

export interface ProcessRecord {
  readonly name: string;
  readonly kind: 'infrastructure' | 'service';
  state: ProcessState;
  pid: number | null;
  url: string;
  /** Every restart since the platform started. */
  restarts: number;
  /** Exits in a row that came before the process had run STABLE_AFTER_MS: what the backoff and the crash-loop limit count. */
  consecutiveCrashes?: number;
  log: string;
  /** When the current (or last) process was spawned, and when it turned ready. */
  startedAt?: string;
  readyAt?: string;
  /** When a restart waiting out its backoff is due. */
  restartAt?: string;
  /** `<ISO time> <signal or exit code>` of the last exit. */
  lastExit?: string;
}

/** What the supervisor writes and `status`, `up` and `down` read. */
export interface PlatformState {
  profile: string;
  supervisorPid: number;
  phase: 'starting' | 'ready' | 'stopping' | 'failed';
  message: string;
  startedAt: string;
  readyAt?: string;
  error?: string;
  processes: Record<string, ProcessRecord>;
}

export function readState(file: string): PlatformState | null {
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as PlatformState;
  } catch {
    return null;
  }
}

/** Atomic replace, so a reader never sees half a file. */
export function writeState(file: string, state: PlatformState): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(temporary, file);
}

/** True for a running process; a zombie (exited, not yet reaped by its parent) counts as gone. */
export function isAlive(pid: number | null | undefined): boolean {
  if (pid === null || pid === undefined || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    // /proc/<pid>/stat: "pid (comm) S ..."; the state letter follows the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc (macOS): trust kill(0)
  }
}
