import 'reflect-metadata';
import { databaseConfig, loadConfig } from '@traceport/config';
import { openServiceDataSource } from '@traceport/database';
import { createLogger, runService } from '@traceport/observability';
import { GATEWAY_SCHEMA } from './config.js';
import { GATEWAY_MIGRATIONS } from './database/migrations/index.js';

// `nx run interaction-gateway:migrate`: applies pending migrations without starting the service.
const logger = createLogger('interaction-gateway-migrate');
runService(logger, async () => {
  const config = loadConfig(databaseConfig);
  const dataSource = await openServiceDataSource({
    url: config.DATABASE_URL,
    schema: GATEWAY_SCHEMA,
    applicationName: 'interaction-gateway-migrate',
    entities: [],
    migrations: GATEWAY_MIGRATIONS,
  });
  logger.info({ schema: GATEWAY_SCHEMA }, 'migrations applied');
  await dataSource.destroy();
});
