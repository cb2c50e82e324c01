import { join } from 'node:path';

/**
 * A profile is one complete local platform: its ports, its database and its run folder. `dev` is
 * what `./traceport up` runs; `test` is what `./traceport test` runs and `bench` what the platform
 * benchmark runs, each on other ports and another database, so none touches another's data and
 * they can run side by side.
 */
export type ProfileName = 'dev' | 'test' | 'bench' | 'test-a' | 'test-b' | 'test-c' | 'test-d';

/** test-a to test-d let several test runs share one machine (TRACEPORT_TEST_PROFILE=test-a ./traceport test). */
export const PROFILE_NAMES: readonly ProfileName[] = ['dev', 'test', 'bench', 'test-a', 'test-b', 'test-c', 'test-d'];

export interface Profile {
  readonly name: ProfileName;
  readonly root: string;
  readonly runDir: string;
  readonly logDir: string;
  readonly stateFile: string;
  readonly databaseUrl: string;
  readonly databaseName: string;
  /** True when KAFKA_BROKERS points at an existing cluster: start no broker. */
  readonly externalKafka: boolean;
  readonly kafkaBrokers: string;
  readonly kafkaPort: number;
  readonly kafkaControllerPort: number;
  /** True when CHAIN_RPC_URL points at an existing chain: start no node. */
  readonly externalChain: boolean;
  readonly chainRpcUrl: string;
  readonly chainPort: number;
  readonly deploymentFile: string;
  readonly ports: {
    readonly gatewayHttp: number;
    readonly gatewayGrpc: number;
    readonly dataServiceHttp: number;
    readonly dataServiceGrpc: number;
    readonly decisionEngineHttp: number;
    readonly decisionEngineGrpc: number;
    readonly ledgerHttp: number;
    readonly ledgerGrpc: number;
  };
}

// Hardhat's first dev account: funded by the local node, and public knowledge. Local use only;
// a real deployment passes CHAIN_ANCHOR_PRIVATE_KEY from a secret.
export const LOCAL_DEV_PRIVATE_KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

const PORT_OFFSET: Record<ProfileName, number> = { dev: 0, test: 10_000, bench: 20_000, 'test-a': 11_000, 'test-b': 12_000, 'test-c': 13_000, 'test-d': 14_000 };
// gRPC ports start at 50051, so the bench profile goes below rather than past 65535.
const GRPC_PORT_OFFSET: Record<ProfileName, number> = { dev: 0, test: 10_000, bench: -10_000, 'test-a': 11_000, 'test-b': 12_000, 'test-c': 13_000, 'test-d': 14_000 };

export function loadProfile(name: ProfileName, root: string, env: NodeJS.ProcessEnv = process.env): Profile {
  const offset = PORT_OFFSET[name];
  const grpcOffset = GRPC_PORT_OFFSET[name];
  const runDir = join(root, '.run', name);
  const databaseName = name === 'dev' ? 'traceport' : `traceport_${name.replace('-', '_')}`;
  const baseUrl = env['DATABASE_URL'] || 'postgres://postgres@127.0.0.1:5432/traceport';
  const kafkaPort = 9092 + offset;
  const chainPort = 8545 + offset;
  return {
    name,
    root,
    runDir,
    logDir: join(runDir, 'logs'),
    stateFile: join(runDir, 'state.json'),
    databaseName,
    databaseUrl: withDatabase(baseUrl, databaseName),
    externalKafka: Boolean(env['KAFKA_BROKERS']),
    kafkaBrokers: env['KAFKA_BROKERS'] || `127.0.0.1:${kafkaPort}`,
    kafkaPort,
    kafkaControllerPort: 9093 + offset,
    externalChain: Boolean(env['CHAIN_RPC_URL']),
    chainRpcUrl: env['CHAIN_RPC_URL'] || `http://127.0.0.1:${chainPort}`,
    chainPort,
    deploymentFile: join(runDir, 'chain', 'deployment.json'),
    ports: {
      gatewayHttp: 8080 + offset,
      gatewayGrpc: 50051 + grpcOffset,
      dataServiceHttp: 8081 + offset,
      dataServiceGrpc: 50052 + grpcOffset,
      decisionEngineHttp: 8082 + offset,
      decisionEngineGrpc: 50053 + grpcOffset,
      ledgerHttp: 8084 + offset,
      ledgerGrpc: 50054 + grpcOffset,
    },
  };
}

export function gatewayUrl(profile: Profile): string {
  return `http://127.0.0.1:${profile.ports.gatewayHttp}`;
}
