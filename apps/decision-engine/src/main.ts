import 'reflect-metadata';
import { bootService, createLogger, runService, traceportGrpcEndpoint } from '@traceport/observability';
import { AppModule } from './app.module.js';
import { loadDecisionEngineConfig } from './config.js';

const bootLogger = createLogger('decision-engine');

runService(bootLogger, async () => {
  const config = loadDecisionEngineConfig();
  const logger = createLogger('decision-engine', config.LOG_LEVEL);
  await bootService({
    service: 'decision-engine',
    module: AppModule.forRoot(config, logger),
    logger,
    http: { host: config.HOST, port: config.HTTP_PORT },
    grpc: traceportGrpcEndpoint(config.HOST, config.GRPC_PORT, [
      'traceport.v1.SamplingService',
      'traceport.v1.RuleSetService',
      'traceport.v1.WhitelistService',
      'traceport.v1.InspectionService',
    ]),
  });
});
