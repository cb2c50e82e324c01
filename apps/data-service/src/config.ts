import { databaseConfig, grpcConfig, httpConfig, kafkaConfig, loadConfig, serviceConfig } from '@traceport/config';
import { z } from 'zod';

export const dataServiceConfigSchema = z.object({
  ...serviceConfig.shape,
  ...httpConfig(8081).shape,
  ...grpcConfig(50052).shape,
  ...databaseConfig.shape,
  ...kafkaConfig.shape,
});
export type DataServiceConfig = z.infer<typeof dataServiceConfigSchema>;

export const DATA_SERVICE_SCHEMA = 'data_service';

export function loadDataServiceConfig(env: NodeJS.ProcessEnv = process.env): DataServiceConfig {
  return loadConfig(dataServiceConfigSchema, env);
}
