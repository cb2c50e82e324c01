import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chainSpec, kafkaSpec, serviceSpecs, type Deployment, type ProcessSpec } from './processes.ts';
import type { Profile } from './profile.ts';
import { portOpen, waitFor } from './probes.ts';
import { writeState, type PlatformState, type ProcessRecord } from './state.ts';

const STOP_GRACE_MS = 15_000;
/** Restart backoff as Kubernetes does it: doubling from BACKOFF_BASE_MS up to BACKOFF_MAX_MS. */
const BACKOFF_BASE_MS = 1_000;
const BACKOFF_MAX_MS = 30_000;
/** A process that ran this long before it exited was healthy: its backoff starts again from the base. */
export const STABLE_AFTER_MS = 60_000;
/** Exits in a row, each before STABLE_AFTER_MS, after which the process is left down ("failed"): a crash loop. */
export const CRASH_LOOP_LIMIT = 6;

/** How long to wait before the restart that follows the n-th crash in a row. */
export function restartDelayMs(consecutiveCrashes: number): number {
  return Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, consecutiveCrashes - 1));
}

/**
 * What to do when a process exits on its own: it crashed `previousCrashes` times in a row before and
 * ran `ranMs` this time. Restart after a delay (null: crash loop, leave it down).
 */
export function restartDecision(previousCrashes: number, ranMs: number): { crashes: number; delayMs: number | null } {
  const crashes = (ranMs >= STABLE_AFTER_MS ? 0 : previousCrashes) + 1;
  return { crashes, delayMs: crashes > CRASH_LOOP_LIMIT ? null : restartDelayMs(crashes) };
}

function log(message: string): void {
  process.stdout.write(`${new Date().toISOString()} supervisor: ${message}\n`);
}

/**
 * Runs one local platform the way Kubernetes would: starts infrastructure, deploys the registry
 * contract, starts the services once their dependencies answer, restarts any process that dies
 * (with doubling backoff, reset once a process has run STABLE_AFTER_MS; after CRASH_LOOP_LIMIT quick
 * exits in a row it stays down as "failed"), and on SIGTERM stops everything it started, services
 * first. It runs detached from the CLI that started it (`up` in the foreground only watches it), so
 * a closed terminal does not take the platform down; `down` stops it.
 */
export class Supervisor {
  private readonly children = new Map<string, ChildProcess>();
  private readonly specs = new Map<string, ProcessSpec>();
  /** Processes being stopped only to be started again at once. */
  private readonly restartRequested = new Set<string>();
  private stopping = false;
  private readonly state: PlatformState;
  private readonly profile: Profile;

  constructor(profile: Profile) {
    this.profile = profile;
    this.state = {
      profile: profile.name,
      supervisorPid: process.pid,
      phase: 'starting',
      message: 'starting',
      startedAt: new Date().toISOString(),
      processes: {},
    };
  }

  async run(): Promise<void> {
    mkdirSync(this.profile.logDir, { recursive: true });
    process.on('SIGTERM', () => void this.shutdown(0));
    process.on('SIGINT', () => void this.shutdown(0));
    this.save();
    try {
      const infrastructure: ProcessSpec[] = [];
      if (!this.profile.externalKafka) infrastructure.push(kafkaSpec(this.profile));
      if (!this.profile.externalChain) infrastructure.push(chainSpec(this.profile));
      this.progress(`starting ${infrastructure.map((spec) => spec.name).join(' and ') || 'no infrastructure (external)'}`);
      await Promise.all(infrastructure.map((spec) => this.startAndWait(spec)));
      if (this.profile.externalKafka) this.progress(`using the Kafka cluster at ${this.profile.kafkaBrokers}`);
      this.progress('deploying the registry contract');
      const deployment = await this.deployRegistry();
      const services = serviceSpecs(this.profile, deployment);
      const gateway = services.pop()!;
      this.progress(`starting ${services.map((spec) => spec.name).join(', ')}`);
      await Promise.all(services.map((spec) => this.startAndWait(spec)));
      this.progress('starting interaction-gateway');
      await this.startAndWait(gateway);
      this.state.phase = 'ready';
      this.state.readyAt = new Date().toISOString();
      this.progress('ready');
    } catch (error) {
      this.state.phase = 'failed';
      this.state.error = error instanceof Error ? error.message : String(error);
      this.progress(`failed: ${this.state.error}`);
      await this.shutdown(1, false);
    }
  }

  private progress(message: string): void {
    this.state.message = message;
    log(message);
    this.save();
  }

  private save(): void {
    if (!this.stopping || this.state.phase === 'failed') writeState(this.profile.stateFile, this.state);
  }

  private async startAndWait(spec: ProcessSpec): Promise<void> {
    this.specs.set(spec.name, spec);
    this.spawn(spec);
    await waitFor(spec.name, spec.ready, spec.readyTimeoutMs, () => this.stopping || this.state.processes[spec.name]?.state === 'failed');
    const record = this.record(spec.name);
    record.state = 'ready';
    record.readyAt = new Date().toISOString();
    this.save();
    log(`${spec.name} ready`);
  }

  private record(name: string): ProcessRecord {
    const record = this.state.processes[name];
    if (record === undefined) throw new Error(`unknown process ${name}`);
    return record;
  }

  private spawn(spec: ProcessSpec): ChildProcess {
    const logFile = join(this.profile.logDir, `${spec.name}.log`);
    const fd = openSync(logFile, 'a');
    const child = spawn(spec.command, [...spec.args], {
      cwd: this.profile.root,
      env: { ...process.env, ...spec.env },
      stdio: ['ignore', fd, fd],
      // Own process group, so stopping it also stops anything it started (e.g. broker.sh's java).
      detached: true,
    });
    closeSync(fd);
    this.children.set(spec.name, child);
    const previous = this.state.processes[spec.name];
    this.state.processes[spec.name] = {
      name: spec.name,
      kind: spec.kind,
      state: previous === undefined ? 'starting' : 'restarting',
      pid: child.pid ?? null,
      url: spec.url,
      restarts: previous?.restarts ?? 0,
      consecutiveCrashes: previous?.consecutiveCrashes ?? 0,
      log: logFile,
      startedAt: new Date().toISOString(),
      ...(previous?.lastExit === undefined ? {} : { lastExit: previous.lastExit }),
    };
    this.save();
    child.once('exit', (code, signal) => this.onExit(spec, child, code, signal));
    return child;
  }

  private onExit(spec: ProcessSpec, child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.children.get(spec.name) !== child) return;
    this.children.delete(spec.name);
    const record = this.record(spec.name);
    record.pid = null;
    record.lastExit = `${new Date().toISOString()} ${signal ?? `exit ${code}`}`;
    if (this.stopping) {
      record.state = 'stopped';
      return;
    }
    if (this.restartRequested.delete(spec.name)) {
      // Stopped on purpose to be started again (see restartService): no crash, no backoff.
      record.restarts += 1;
      record.state = 'restarting';
      this.save();
      this.respawn(spec);
      return;
    }
    const ranMs = record.startedAt === undefined ? 0 : Date.now() - Date.parse(record.startedAt);
    const { crashes, delayMs: delay } = restartDecision(record.consecutiveCrashes ?? 0, ranMs);
    record.consecutiveCrashes = crashes;
    delete record.readyAt;
    if (delay === null) {
      record.state = 'failed';
      log(`${spec.name} exited (${signal ?? `code ${code}`}) ${crashes} times in a row, each within ${STABLE_AFTER_MS / 1000} s: crash loop, leaving it down; see ${record.log}`);
      this.save();
      return;
    }
    record.restarts += 1;
    record.state = 'restarting';
    record.restartAt = new Date(Date.now() + delay).toISOString();
    log(`${spec.name} exited (${signal ?? `code ${code}`}) after ${(ranMs / 1000).toFixed(1)} s; restarting in ${delay / 1000} s; see ${record.log}`);
    this.save();
    setTimeout(() => {
      if (this.stopping) return;
      delete this.record(spec.name).restartAt;
      this.respawn(spec);
    }, delay);
  }

  /** Starts a process again and marks it ready once it answers. */
  private respawn(spec: ProcessSpec): void {
    const restarted = this.spawn(spec);
    // Given up when this process exits before it is ready (its own exit schedules the next try).
    void waitFor(spec.name, spec.ready, spec.readyTimeoutMs, () => this.stopping || this.children.get(spec.name) !== restarted)
      .then(async () => {
        const current = this.state.processes[spec.name];
        if (this.children.get(spec.name) !== restarted || current === undefined) return;
        current.state = 'ready';
        current.readyAt = new Date().toISOString();
        this.save();
        log(`${spec.name} ready again (restart ${current.restarts})`);
        if (spec.name === 'chain') await this.afterChainRestart();
      })
      .catch((error: unknown) => log(`${spec.name}: ${error instanceof Error ? error.message : String(error)}`));
  }

  /**
   * The local node keeps its chain in memory: after it died it answers again empty. Deploy the
   * registry again (deploy.ts does nothing when the contract is still there; the deployer's first
   * transaction gives it the same address), and restart the ledger-anchor, which on start finds the
   * heads it recorded gone from the chain and anchors the log afresh — instead of failing against a
   * contract that no longer exists until `down` and `up`.
   */
  private async afterChainRestart(): Promise<void> {
    const before = readFileSync(this.profile.deploymentFile, 'utf8');
    await this.deployRegistry();
    if (readFileSync(this.profile.deploymentFile, 'utf8') === before) return;
    log('the chain restarted empty: registry deployed again; restarting ledger-anchor so it anchors the log afresh');
    await this.restartService('ledger-anchor');
  }

  /** Stops a running process gracefully and starts it again at once. */
  private async restartService(name: string): Promise<void> {
    if (!this.children.has(name)) return;
    this.restartRequested.add(name);
    await this.stopProcess(name);
  }

  private async deployRegistry(): Promise<Deployment> {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, [join(this.profile.root, 'libs/chain/scripts/deploy.ts'), this.profile.deploymentFile], {
        cwd: this.profile.root,
        env: { ...process.env, CHAIN_RPC_URL: this.profile.chainRpcUrl },
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      child.once('error', reject);
      child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`registry deployment failed (exit ${code})`))));
    });
    return JSON.parse(readFileSync(this.profile.deploymentFile, 'utf8')) as Deployment;
  }

  private async stopProcess(name: string): Promise<void> {
    const child = this.children.get(name);
    if (child?.pid === undefined) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const signalGroup = (signal: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        // already gone
      }
    };
    signalGroup('SIGTERM');
    const timer = setTimeout(() => signalGroup('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
    // Anything the process left in its group goes too.
    signalGroup('SIGKILL');
  }

  async shutdown(exitCode: number, removeState = true): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    if (this.state.phase !== 'failed') this.state.phase = 'stopping';
    writeState(this.profile.stateFile, this.state);
    log('stopping');
    const order = ['interaction-gateway', 'decision-engine', 'ledger-anchor', 'data-service'];
    for (const name of order) await this.stopProcess(name);
    await Promise.all(['chain', 'kafka'].map((name) => this.stopProcess(name)));
    if (removeState) rmSync(this.profile.stateFile, { force: true });
    else writeState(this.profile.stateFile, this.state);
    log('stopped');
    process.exit(exitCode);
  }
}

/** True when another platform (or anything) already holds the profile's ports. */
export async function portsInUse(profile: Profile): Promise<number[]> {
  const ports = [
    ...(profile.externalKafka ? [] : [profile.kafkaPort]),
    ...(profile.externalChain ? [] : [profile.chainPort]),
    ...Object.values(profile.ports),
  ];
  const open = await Promise.all(ports.map(async (port) => ((await portOpen(port)) ? port : null)));
  return open.filter((port): port is number => port !== null);
}
