import { databaseConfig, grpcConfig, httpConfig, loadConfig, serviceConfig, upstreamConfig } from '@traceport/config';
import { z } from 'zod';

export const gatewayConfigSchema = z.object({
  ...serviceConfig.shape,
  ...httpConfig(8080).shape,
  ...grpcConfig(50051).shape,
  ...upstreamConfig.shape,
  /** Organisations and API keys live in the gateway's own schema of this database. */
  ...databaseConfig.shape,
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
  /** The operations console's built files (apps/console/dist beside the gateway when absent). */
  CONSOLE_DIR: z.string().min(1).optional(),
  /** Upper bound for a call to an internal service when the caller set no deadline. */
  UPSTREAM_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  /**
   * The platform's bootstrap admin key (tp_<prefix>_<secret>): at boot the gateway makes sure a
   * platform-admin organisation holds a key with this hash, so the first organisations and keys can
   * be created. From a secret; `./traceport up` generates one per profile.
   */
  BOOTSTRAP_ADMIN_KEY: z
    .string()
    .regex(/^tp_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/, 'a Traceport API key, tp_<12 hex digits>_<43 base64url characters>')
    .optional(),
  /** How long a verified key is trusted before its row is read again: a revocation elsewhere takes effect within this. */
  AUTH_CACHE_TTL_MS: z.coerce.number().int().min(0).max(300_000).default(5_000),
  /** Rate limits on public endpoints, per client and window: the resolver and scan page, and proofs. */
  RATE_LIMIT_WINDOW_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(60_000),
  RATE_LIMIT_SCAN: z.coerce.number().int().min(1).max(1_000_000).default(600),
  RATE_LIMIT_PROOFS: z.coerce.number().int().min(1).max(1_000_000).default(600),
  /**
   * Which peers' X-Forwarded-For is believed for the client address (Express "trust proxy"): the
   * ingress in a deployment; loopback locally. A client's address keys its rate limits.
   */
  TRUST_PROXY: z.string().default('loopback'),
});
export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;

/** The PostgreSQL schema the gateway owns (organisations and API keys). */
export const GATEWAY_SCHEMA = 'gateway';

export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  return loadConfig(gatewayConfigSchema, env);
}
