import 'reflect-metadata';
import { PROTO_FILES, PROTO_PACKAGE, PROTO_ROOT } from '@traceport/contracts';
import { bootService, createLogger, runService } from '@traceport/observability';
import { AppModule } from './app.module.js';
import { loadDataServiceConfig } from './config.js';

const bootLogger = createLogger('data-service');

runService(bootLogger, async () => {
  const config = loadDataServiceConfig();
  const logger = createLogger('data-service', config.LOG_LEVEL);
  await bootService({
    service: 'data-service',
    module: AppModule.forRoot(config, logger),
    logger,
    http: { host: config.HOST, port: config.HTTP_PORT },
    grpc: {
      host: config.HOST,
      port: config.GRPC_PORT,
      packageName: PROTO_PACKAGE,
      protoRoot: PROTO_ROOT,
      protoFiles: PROTO_FILES,
      services: ['traceport.v1.ArchiveService'],
    },
  });
});
