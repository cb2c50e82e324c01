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
});
export type DataServiceConfig = z.infer<typeof dataServiceConfigSchema>;

export const DATA_SERVICE_SCHEMA = 'data_service';

export function loadDataServiceConfig(env: NodeJS.ProcessEnv = process.env): DataServiceConfig {
  return loadConfig(dataServiceConfigSchema, env);
}
