import { grpcConfig, httpConfig, loadConfig, serviceConfig, upstreamConfig } from '@traceport/config';
import { z } from 'zod';

export const gatewayConfigSchema = z.object({
  ...serviceConfig.shape,
  ...httpConfig(8080).shape,
  ...grpcConfig(50051).shape,
  ...upstreamConfig.shape,
  /** The decision engine's gRPC server (sampling plans, rule sets, whitelists, decisions, inspections). */
  DECISION_ENGINE_GRPC_URL: z.string().default('127.0.0.1:50053'),
  /** Upper bound for a call to an internal service when the caller set no deadline. */
  UPSTREAM_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
});
export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;

export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  return loadConfig(gatewayConfigSchema, env);
}
