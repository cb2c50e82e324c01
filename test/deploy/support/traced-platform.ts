import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deployRegistry, Role } from '@traceport/chain';
import { freshDatabase, hardhatDevAccounts, startChainNode, type ChainNode } from '@traceport/testing';
import { adminKey } from '../../support/gateway-client.js';

/**
 * The four services started the way their container images start them —
 * `node --import libs/observability/dist/tracing-preload.js apps/<service>/dist/main.js` — with an
 * OTLP endpoint, on a Kafka broker, a chain and a database of their own. Own infrastructure, because
 * the topic names and consumer groups are fixed: sharing the test platform's broker would let its
 * untraced consumers take these messages (and append them to its ledger).
 */
export interface TracedPlatform {
  readonly gatewayUrl: string;
  stop(): Promise<void>;
  /** The last lines a process wrote, for failure messages. */
  logTail(name: string): string;
}

const SERVICES = ['data-service', 'ledger-anchor', 'decision-engine', 'interaction-gateway'] as const;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs: number, describeFailure: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${what} was not ready within ${timeoutMs} ms\n${describeFailure()}`);
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

async function stopProcess(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  killGroup(child, 'SIGTERM');
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export async function startTracedPlatform(root: string, otlpEndpoint: string): Promise<TracedPlatform> {
  const workDir = mkdtempSync(join(tmpdir(), 'traceport-traced-'));
  const logFile = (name: string) => join(workDir, `${name}.log`);
  const children = new Map<string, ChildProcess>();
  const start = (name: string, command: string, args: string[], env: NodeJS.ProcessEnv) => {
    const out = openSync(logFile(name), 'a');
    // Own process group: stopping takes down whatever the process started (the broker's JVM).
    const child = spawn(command, args, { cwd: root, env, detached: true, stdio: ['ignore', out, out] });
    children.set(name, child);
    return child;
  };
  const logTail = (name: string) => {
    try {
      return `--- ${name} ---\n${readFileSync(logFile(name), 'utf8').split('\n').slice(-40).join('\n')}`;
    } catch {
      return `--- ${name}: no log ---`;
    }
  };

  let chain: ChainNode | undefined;
  let database: Awaited<ReturnType<typeof freshDatabase>> | undefined;
  const stop = async () => {
    await Promise.all([...children.values()].reverse().map((child) => stopProcess(child, 30_000)));
    await chain?.stop();
    await database?.drop();
    rmSync(workDir, { recursive: true, force: true });
  };

  try {
    const [kafkaPort, controllerPort, dataHttp, dataGrpc, ledgerHttp, ledgerGrpc, engineHttp, engineGrpc, gatewayHttp, gatewayGrpc] = await Promise.all(
      Array.from({ length: 10 }, () => freePort()),
    );
    const baseEnv = { PATH: process.env['PATH'], HOME: process.env['HOME'], TZ: 'UTC' };
    start('kafka', 'bash', [join(root, 'deploy/local/kafka/broker.sh'), 'run'], {
      ...baseEnv,
      TRACEPORT_RUN_DIR: workDir,
      KAFKA_PORT: String(kafkaPort),
      KAFKA_CONTROLLER_PORT: String(controllerPort),
    });
    [chain, database] = await Promise.all([startChainNode(), freshDatabase('traceport_traced')]);
    const anchorer = hardhatDevAccounts[0]!;
    const registry = await deployRegistry({
      rpcUrl: chain.rpcUrl,
      privateKey: anchorer.privateKey,
      members: [{ account: anchorer.address, roles: Role.Anchorer | Role.Auditor }],
    });
    await waitFor('kafka', () => portAnswers(kafkaPort), 180_000, () => logTail('kafka'));

    const serviceEnv = {
      ...baseEnv,
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      DATABASE_URL: database.url,
      KAFKA_BROKERS: `127.0.0.1:${kafkaPort}`,
      OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      // Export every 100 ms rather than every 5 s, so the test waits less.
      OTEL_BSP_SCHEDULE_DELAY: '100',
    };
    const perService: Record<(typeof SERVICES)[number], { http: number; env: Record<string, string> }> = {
      'data-service': { http: dataHttp, env: { HTTP_PORT: String(dataHttp), GRPC_PORT: String(dataGrpc) } },
      'ledger-anchor': {
        http: ledgerHttp,
        env: {
          HTTP_PORT: String(ledgerHttp),
          GRPC_PORT: String(ledgerGrpc),
          CHAIN_RPC_URL: chain.rpcUrl,
          CHAIN_REGISTRY_ADDRESS: registry.contract,
          CHAIN_ANCHOR_PRIVATE_KEY: anchorer.privateKey,
        },
      },
      'decision-engine': { http: engineHttp, env: { HTTP_PORT: String(engineHttp), GRPC_PORT: String(engineGrpc) } },
      'interaction-gateway': {
        http: gatewayHttp,
        env: {
          HTTP_PORT: String(gatewayHttp),
          GRPC_PORT: String(gatewayGrpc),
          DATA_SERVICE_GRPC_URL: `127.0.0.1:${dataGrpc}`,
          LEDGER_GRPC_URL: `127.0.0.1:${ledgerGrpc}`,
          DECISION_ENGINE_GRPC_URL: `127.0.0.1:${engineGrpc}`,
          // The same bootstrap admin key as the test platform's, so the tests' admin headers work here too.
          ...(adminKey() === undefined ? {} : { BOOTSTRAP_ADMIN_KEY: adminKey()! }),
        },
      },
    };
    for (const name of SERVICES) {
      const preload = join(root, 'libs/observability/dist/tracing-preload.js');
      start(name, process.execPath, ['--enable-source-maps', '--import', preload, join(root, 'apps', name, 'dist/main.js')], {
        ...serviceEnv,
        ...perService[name].env,
      });
    }
    await Promise.all(
      SERVICES.map((name) =>
        waitFor(
          name,
          async () => (await fetch(`http://127.0.0.1:${perService[name].http}/health/ready`)).ok,
          120_000,
          () => logTail(name),
        ),
      ),
    );
    return { gatewayUrl: `http://127.0.0.1:${gatewayHttp}`, stop, logTail };
  } catch (error) {
    await stop();
    throw error;
  }
}
