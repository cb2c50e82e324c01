import { databaseConfig, grpcConfig, httpConfig, kafkaConfig, loadConfig, serviceConfig } from '@traceport/config';
import { z } from 'zod';

export const dataServiceConfigSchema = z.object({
  ...serviceConfig.shape,
  ...httpConfig(8081).shape,
  ...grpcConfig(50052).shape,
  ...databaseConfig.shape,
  ...kafkaConfig.shape,
  /** Cloning signals on the scan page: more scans, more regions, or two countries closer in time than these. */
  SCAN_SIGNAL_MAX_SCANS: z.coerce.number().int().min(1).default(20),
  SCAN_SIGNAL_MAX_REGIONS: z.coerce.number().int().min(1).default(3),
  SCAN_SIGNAL_MIN_HOURS_BETWEEN_COUNTRIES: z.coerce.number().min(0).default(4),
  /** How often factories' certifications are checked for a lapse (product control holds their lots). */
  CERTIFICATION_CHECK_INTERVAL_MS: z.coerce.number().int().min(100).default(60 * 60 * 1000),
  /** Webhook notifications: the wait after the first failure (doubling after each), its cap, and attempts before a dead letter. */
  WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(10).default(10_000),
  WEBHOOK_RETRY_MAX_MS: z.coerce.number().int().min(10).default(6 * 60 * 60 * 1000),
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(12),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  WEBHOOK_POLL_INTERVAL_MS: z.coerce.number().int().min(50).default(1_000),
});
export type DataServiceConfig = z.infer<typeof dataServiceConfigSchema>;

export const DATA_SERVICE_SCHEMA = 'data_service';

export function loadDataServiceConfig(env: NodeJS.ProcessEnv = process.env): DataServiceConfig {
  return loadConfig(dataServiceConfigSchema, env);
}
