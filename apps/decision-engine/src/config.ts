import { databaseConfig, grpcConfig, httpConfig, kafkaConfig, loadConfig, serviceConfig } from '@traceport/config';
import { z } from 'zod';

export const decisionEngineConfigSchema = z.object({
  ...serviceConfig.shape,
  ...httpConfig(8082).shape,
  ...grpcConfig(50053).shape,
  ...databaseConfig.shape,
  ...kafkaConfig.shape,
  /** Whose reduced-inspection table and reduced → normal rule apply: ISO 2859-1:1999's, or ANSI/ASQ Z1.4's (with its Ac/Re gap). */
  REDUCED_INSPECTION_VARIANT: z.enum(['iso-2859-1-1999', 'ansi-asq-z1.4']).default('iso-2859-1-1999'),
  /**
   * Whether the responsible authority allows switching to reduced inspection (ISO 2859-1 §9.3.3 c).
   * Off, suppliers move between normal and tightened only.
   */
  REDUCED_INSPECTION_APPROVED: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true'),
});
export type DecisionEngineConfig = z.infer<typeof decisionEngineConfigSchema>;

export const DECISION_ENGINE_SCHEMA = 'decision_engine';

export function loadDecisionEngineConfig(env: NodeJS.ProcessEnv = process.env): DecisionEngineConfig {
  return loadConfig(decisionEngineConfigSchema, env);
}
