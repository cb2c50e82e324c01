import { z } from 'zod';

// Fragments each app composes into its own schema (z.object({...a.shape, ...b.shape})).
// Defaults describe the local platform that ./traceport starts.

const port = z.coerce.number().int().min(1).max(65535);

export const serviceConfig = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
  HOST: z.string().default('127.0.0.1'),
});

export const httpConfig = (defaultPort: number) => z.object({ HTTP_PORT: port.default(defaultPort) });

export const grpcConfig = (defaultPort: number) => z.object({ GRPC_PORT: port.default(defaultPort) });

export const databaseConfig = z.object({
  DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL, e.g. postgres://postgres@127.0.0.1:5432/traceport' })
    .default('postgres://postgres@127.0.0.1:5432/traceport'),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
});

export const kafkaConfig = z.object({
  KAFKA_BROKERS: z
    .string()
    .default('127.0.0.1:9092')
    .transform((value) => value.split(',').map((broker) => broker.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^[^:\s]+:\d+$/, 'each broker is host:port')).min(1)),
});

const hexKey = z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'must be a 0x-prefixed 32-byte hex private key');
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'must be a 0x-prefixed 20-byte hex address');

export const chainConfig = z.object({
  CHAIN_RPC_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:8545'),
  CHAIN_REGISTRY_ADDRESS: address,
  CHAIN_ANCHOR_PRIVATE_KEY: hexKey,
});

export const upstreamConfig = z.object({
  DATA_SERVICE_GRPC_URL: z.string().default('127.0.0.1:50052'),
  LEDGER_GRPC_URL: z.string().default('127.0.0.1:50054'),
});
