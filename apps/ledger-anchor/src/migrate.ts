import 'reflect-metadata';
import { databaseConfig, loadConfig } from '@traceport/config';
import { openServiceDataSource } from '@traceport/database';
import { MESSAGING_ENTITIES } from '@traceport/messaging';
import { createLogger, runService } from '@traceport/observability';
import { LEDGER_SCHEMA } from './config.js';
import { LEDGER_MIGRATIONS } from './database/migrations/index.js';

// `nx run ledger-anchor:migrate`: applies pending migrations without starting the service.
const logger = createLogger('ledger-anchor-migrate');
runService(logger, async () => {
  const config = loadConfig(databaseConfig);
  const dataSource = await openServiceDataSource({
    url: config.DATABASE_URL,
    schema: LEDGER_SCHEMA,
    applicationName: 'ledger-anchor-migrate',
    entities: [...MESSAGING_ENTITIES],
    migrations: LEDGER_MIGRATIONS,
  });
  logger.info({ schema: LEDGER_SCHEMA }, 'migrations applied');
  await dataSource.destroy();
});
