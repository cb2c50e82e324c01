import 'reflect-metadata';
import { bootService, createLogger, runService, traceportGrpcEndpoint } from '@traceport/observability';
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
    grpc: traceportGrpcEndpoint(config.HOST, config.GRPC_PORT, ['traceport.v1.ArchiveService', 'traceport.v1.TraceService', 'traceport.v1.StatisticsService', 'traceport.v1.IdentityService', 'traceport.v1.ScanService', 'traceport.v1.TraceGraphService', 'traceport.v1.ProductControlService', 'traceport.v1.EpcisSubscriptionService', 'traceport.v1.RecordDigestService']),
  });
});
