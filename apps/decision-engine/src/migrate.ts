import 'reflect-metadata';
import { databaseConfig, loadConfig } from '@traceport/config';
import { openServiceDataSource } from '@traceport/database';
import { MESSAGING_ENTITIES } from '@traceport/messaging';
import { createLogger, runService } from '@traceport/observability';
import { DECISION_ENGINE_SCHEMA } from './config.js';
import { DECISION_ENGINE_MIGRATIONS } from './database/migrations/index.js';

// `nx run decision-engine:migrate`: applies pending migrations without starting the service.
const logger = createLogger('decision-engine-migrate');
runService(logger, async () => {
  const config = loadConfig(databaseConfig);
  const dataSource = await openServiceDataSource({
    url: config.DATABASE_URL,
    schema: DECISION_ENGINE_SCHEMA,
    applicationName: 'decision-engine-migrate',
    entities: [...MESSAGING_ENTITIES],
    migrations: DECISION_ENGINE_MIGRATIONS,
  });
  logger.info({ schema: DECISION_ENGINE_SCHEMA }, 'migrations applied');
  await dataSource.destroy();
});
