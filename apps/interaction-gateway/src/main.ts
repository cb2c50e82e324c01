import 'reflect-metadata';
import { bootService, createLogger, runService, traceportGrpcEndpoint } from '@traceport/observability';
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
    grpc: traceportGrpcEndpoint(config.HOST, config.GRPC_PORT, ['traceport.v1.ArchiveService', 'traceport.v1.LedgerService']),
  });
});
