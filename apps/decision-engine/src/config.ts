import { databaseConfig, httpConfig, kafkaConfig, loadConfig, serviceConfig } from '@traceport/config';
import { z } from 'zod';

export const decisionEngineConfigSchema = z.object({
  ...serviceConfig.shape,
  ...httpConfig(8082).shape,
  ...databaseConfig.shape,
  ...kafkaConfig.shape,
});
export type DecisionEngineConfig = z.infer<typeof decisionEngineConfigSchema>;

export const DECISION_ENGINE_SCHEMA = 'decision_engine';

export function loadDecisionEngineConfig(env: NodeJS.ProcessEnv = process.env): DecisionEngineConfig {
  return loadConfig(decisionEngineConfigSchema, env);
}
