import { grpcConfig, httpConfig, loadConfig, serviceConfig, upstreamConfig } from '@traceport/config';
import { z } from 'zod';

export const gatewayConfigSchema = z.object({
  ...serviceConfig.shape,
  ...httpConfig(8080).shape,
  ...grpcConfig(50051).shape,
  ...upstreamConfig.shape,
  /** The decision engine's gRPC server (sampling plans, rule sets, whitelists, decisions, inspections). */
  DECISION_ENGINE_GRPC_URL: z.string().default('127.0.0.1:50053'),
  /**
   * Where issued codes point: the origin (optionally with a path) of the GS1 Digital Link resolver as
   * the public reaches this gateway, used in Digital Links, QR codes and label sheets. Default
   * http://127.0.0.1:<HTTP_PORT>, this gateway locally; set it to the public URL when deployed.
   */
  RESOLVER_ORIGIN: z.url({ protocol: /^https?$/, error: 'an http(s) URL, e.g. https://trace.example.com' }).optional(),
  /**
   * The request header in which the edge (e.g. the ingress's GeoIP module) passes the scanner's coarse
   * region (ISO 3166-1/-2, e.g. CN-SH). The gateway stores that region with a scan, never an address.
   */
  SCAN_REGION_HEADER: z.string().regex(/^[A-Za-z0-9-]+$/).default('x-geo-region'),
  /** Upper bound for a call to an internal service when the caller set no deadline. */
  UPSTREAM_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
});
export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;

export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  return loadConfig(gatewayConfigSchema, env);
}
