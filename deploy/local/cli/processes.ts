import { join } from 'node:path';
import { ensureAdminKey } from './admin-key.ts';
import { LOCAL_DEV_PRIVATE_KEY, type Profile } from './profile.ts';
import { chainAnswers, httpOk, portOpen } from './probes.ts';

/** One process the supervisor starts, watches and restarts. */
export interface ProcessSpec {
  readonly name: string;
  readonly kind: 'infrastructure' | 'service';
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  /** Shown by `status`. */
  readonly url: string;
  readonly ready: () => Promise<boolean>;
  readonly readyTimeoutMs: number;
}

export interface Deployment {
  readonly chainId: number;
  readonly contract: string;
}

export function kafkaSpec(profile: Profile): ProcessSpec {
  return {
    name: 'kafka',
    kind: 'infrastructure',
    command: 'bash',
    args: [join(profile.root, 'deploy/local/kafka/broker.sh'), 'run'],
    env: {
      TRACEPORT_RUN_DIR: profile.runDir,
      KAFKA_PORT: String(profile.kafkaPort),
      KAFKA_CONTROLLER_PORT: String(profile.kafkaControllerPort),
    },
    url: `kafka://127.0.0.1:${profile.kafkaPort}`,
    ready: () => portOpen(profile.kafkaPort),
    readyTimeoutMs: 180_000,
  };
}

export function chainSpec(profile: Profile): ProcessSpec {
  return {
    name: 'chain',
    kind: 'infrastructure',
    command: process.execPath,
    args: [
      join(profile.root, 'node_modules/hardhat/dist/src/cli.js'),
      '--config',
      join(profile.root, 'deploy/local/chain/hardhat.config.ts'),
      'node',
      '--hostname',
      '127.0.0.1',
      '--port',
      String(profile.chainPort),
    ],
    env: {},
    url: profile.chainRpcUrl,
    ready: () => chainAnswers(profile.chainRpcUrl),
    readyTimeoutMs: 90_000,
  };
}

function serviceSpec(profile: Profile, name: string, httpPort: number, env: Record<string, string>, grpcPort?: number): ProcessSpec {
  return {
    name,
    kind: 'service',
    command: process.execPath,
    // The tracing preload does nothing unless OTEL_EXPORTER_OTLP_ENDPOINT is set, as in the images.
    args: ['--enable-source-maps', '--import', join(profile.root, 'libs/observability/dist/tracing-preload.js'), join(profile.root, 'apps', name, 'dist/main.js')],
    env: {
      NODE_ENV: profile.name === 'dev' ? 'development' : 'test',
      HOST: '127.0.0.1',
      HTTP_PORT: String(httpPort),
      ...(grpcPort === undefined ? {} : { GRPC_PORT: String(grpcPort) }),
      ...env,
    },
    url: `http://127.0.0.1:${httpPort}${grpcPort === undefined ? '' : `  grpc 127.0.0.1:${grpcPort}`}`,
    ready: () => httpOk(`http://127.0.0.1:${httpPort}/health/ready`),
    readyTimeoutMs: 120_000,
  };
}

/** The four services, in start order: the back ends first, the gateway that fronts them last. */
export function serviceSpecs(profile: Profile, deployment: Deployment): ProcessSpec[] {
  const shared = { DATABASE_URL: profile.databaseUrl, KAFKA_BROKERS: profile.kafkaBrokers };
  const { ports } = profile;
  return [
    serviceSpec(
      profile,
      'data-service',
      ports.dataServiceHttp,
      {
        ...shared,
        // Tests watch a webhook retried, then dead-lettered, in seconds rather than hours.
        ...(profile.name.startsWith('test')
          ? { WEBHOOK_RETRY_BASE_MS: '200', WEBHOOK_RETRY_MAX_MS: '1000', WEBHOOK_MAX_ATTEMPTS: '4', WEBHOOK_POLL_INTERVAL_MS: '100', CERTIFICATION_CHECK_INTERVAL_MS: '2000' }
          : {}),
      },
      ports.dataServiceGrpc,
    ),
    serviceSpec(
      profile,
      'ledger-anchor',
      ports.ledgerHttp,
      {
        ...shared,
        CHAIN_RPC_URL: profile.chainRpcUrl,
        CHAIN_REGISTRY_ADDRESS: deployment.contract,
        CHAIN_ANCHOR_PRIVATE_KEY: process.env['CHAIN_ANCHOR_PRIVATE_KEY'] || LOCAL_DEV_PRIVATE_KEY,
        // Tests want heads quickly; the benchmark measures the defaults a deployment gets.
        ...(profile.name.startsWith('test') ? { LEDGER_SEAL_INTERVAL_MS: '500' } : {}),
      },
      ports.ledgerGrpc,
    ),
    serviceSpec(profile, 'decision-engine', ports.decisionEngineHttp, shared, ports.decisionEngineGrpc),
    serviceSpec(
      profile,
      'interaction-gateway',
      ports.gatewayHttp,
      {
        DATA_SERVICE_GRPC_URL: `127.0.0.1:${ports.dataServiceGrpc}`,
        LEDGER_GRPC_URL: `127.0.0.1:${ports.ledgerGrpc}`,
        DECISION_ENGINE_GRPC_URL: `127.0.0.1:${ports.decisionEngineGrpc}`,
        // Organisations and API keys; the bootstrap admin key the gateway makes sure exists.
        DATABASE_URL: profile.databaseUrl,
        BOOTSTRAP_ADMIN_KEY: ensureAdminKey(profile),
      },
      ports.gatewayGrpc,
    ),
  ];
}
