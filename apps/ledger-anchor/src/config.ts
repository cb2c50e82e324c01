import { chainConfig, databaseConfig, grpcConfig, httpConfig, kafkaConfig, loadConfig, serviceConfig } from '@traceport/config';
import { z } from 'zod';

export const ledgerConfigSchema = z.object({
  ...serviceConfig.shape,
  ...httpConfig(8084).shape,
  ...grpcConfig(50054).shape,
  ...databaseConfig.shape,
  ...kafkaConfig.shape,
  ...chainConfig.shape,
  /** A head is sealed and anchored at most this long after the first record it covers arrived. */
  LEDGER_SEAL_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(2_000),
  /** ...or as soon as this many records wait, whichever comes first. */
  LEDGER_SEAL_MAX_LEAVES: z.coerce.number().int().min(1).max(1_000_000).default(1_000),
  /** How often the log audit recomputes every record against the log and the chain; 0 = on demand only. */
  LEDGER_AUDIT_INTERVAL_MS: z.coerce.number().int().min(0).default(600_000),
});
export type LedgerConfig = z.infer<typeof ledgerConfigSchema>;

export const LEDGER_SCHEMA = 'ledger';

export function loadLedgerConfig(env: NodeJS.ProcessEnv = process.env): LedgerConfig {
  return loadConfig(ledgerConfigSchema, env);
}
