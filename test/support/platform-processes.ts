import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { testPlatform } from '@traceport/testing';

/**
 * The processes of the platform `./traceport test` started, as its supervisor records them in the
 * profile's state.json: what fault tests kill, freeze and watch come back.
 */
export const SERVICES = ['data-service', 'ledger-anchor', 'decision-engine', 'interaction-gateway'] as const;
export type ServiceName = (typeof SERVICES)[number];

export interface SupervisedProcess {
  readonly name: string;
  readonly state: string;
  readonly pid: number | null;
  readonly restarts: number;
  readonly url: string;
  readonly lastExit?: string;
}

export function stateFile(): string {
  return join(testPlatform().root, '.run', process.env['TRACEPORT_PROFILE'] ?? 'test', 'state.json');
}

export function supervisedProcesses(): Record<string, SupervisedProcess> {
  return (JSON.parse(readFileSync(stateFile(), 'utf8')) as { processes: Record<string, SupervisedProcess> }).processes;
}

export function supervised(name: string): SupervisedProcess {
  const found = supervisedProcesses()[name];
  if (found === undefined) throw new Error(`the supervisor runs no process named ${name}`);
  return found;
}

/** The service's HTTP base URL, from the URL the supervisor shows for it. */
export function serviceHttpUrl(name: ServiceName): string {
  const url = supervised(name).url.split(/\s+/)[0];
  if (url === undefined || !url.startsWith('http')) throw new Error(`no HTTP URL recorded for ${name}`);
  return url;
}

/** Signals a process's whole group (the supervisor starts each process in its own). */
export function signalGroup(name: string, signal: NodeJS.Signals): number {
  const { pid } = supervised(name);
  if (pid === null) throw new Error(`${name} has no pid: it is not running`);
  process.kill(-pid, signal);
  return pid;
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

/** Every service answers /health/ready (which covers its database, Kafka and, for the ledger, the chain). */
export async function allServicesReady(): Promise<boolean> {
  const results = await Promise.all(SERVICES.map((name) => answers(`${serviceHttpUrl(name)}/health/ready`)));
  return results.every(Boolean);
}

/** Polls until `probe` is true; the time it took in ms. */
export async function timeUntil(what: string, probe: () => Promise<boolean>, timeoutMs: number, intervalMs = 250): Promise<number> {
  const started = Date.now();
  let lastError: unknown;
  while (Date.now() - started < timeoutMs) {
    try {
      if (await probe()) return Date.now() - started;
    } catch (error) {
      if (error instanceof Error && error.name === 'LossDetected') throw error;
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`${what} did not happen within ${Math.round(timeoutMs / 1000)} s${lastError === undefined ? '' : `: ${String(lastError)}`}`);
}
