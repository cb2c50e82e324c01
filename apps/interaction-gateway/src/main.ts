import 'reflect-metadata';
import { PROTO_FILES, PROTO_PACKAGE, PROTO_ROOT } from '@traceport/contracts';
import { bootService, createLogger, runService } from '@traceport/observability';
import { AppModule } from './app.module.js';
import { loadGatewayConfig } from './config.js';

const bootLogger = createLogger('interaction-gateway');

runService(bootLogger, async () => {
  const config = loadGatewayConfig();
  const logger = createLogger('interaction-gateway', config.LOG_LEVEL);
  await bootService({
    service: 'interaction-gateway',
    module: AppModule.forRoot(config),
    logger,
    http: { host: config.HOST, port: config.HTTP_PORT },
    grpc: {
      host: config.HOST,
      port: config.GRPC_PORT,
      packageName: PROTO_PACKAGE,
      protoRoot: PROTO_ROOT,
      protoFiles: PROTO_FILES,
      services: ['traceport.v1.ArchiveService', 'traceport.v1.LedgerService'],
    },
  });
});
