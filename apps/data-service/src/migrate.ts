import 'reflect-metadata';
import { openServiceDataSource } from '@traceport/database';
import { MESSAGING_ENTITIES } from '@traceport/messaging';
import { createLogger, runService } from '@traceport/observability';
import { DATA_SERVICE_SCHEMA, loadDataServiceConfig } from './config.js';
import { DATA_SERVICE_MIGRATIONS } from './database/migrations/index.js';

// `nx run data-service:migrate`: applies pending migrations without starting the service.
const logger = createLogger('data-service-migrate');
runService(logger, async () => {
  const config = loadDataServiceConfig();
  const dataSource = await openServiceDataSource({
    url: config.DATABASE_URL,
    schema: DATA_SERVICE_SCHEMA,
    applicationName: 'data-service-migrate',
    entities: [...MESSAGING_ENTITIES],
    migrations: DATA_SERVICE_MIGRATIONS,
  });
  logger.info({ schema: DATA_SERVICE_SCHEMA }, 'migrations applied');
  await dataSource.destroy();
});
