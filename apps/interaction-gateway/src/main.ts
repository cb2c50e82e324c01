import 'reflect-metadata';
import { bootService, createLogger, runService, traceportGrpcEndpoint } from '@traceport/observability';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { trustProxySetting } from './access/access.module.js';
import { AppModule } from './app.module.js';
import { loadGatewayConfig } from './config.js';
import { OpenApiDocumentService } from './openapi/openapi-document.service.js';

const bootLogger = createLogger('interaction-gateway');

runService(bootLogger, async () => {
  const config = loadGatewayConfig();
  const logger = createLogger('interaction-gateway', config.LOG_LEVEL);
  const app = await bootService({
    service: 'interaction-gateway',
    module: AppModule.forRoot(config),
    logger,
    // JSON bodies up to 10 MB: EPCIS capture documents (POST /epcis/capture) carry thousands of events.
    http: { host: config.HOST, port: config.HTTP_PORT, bodyLimit: '10mb', textBodyLimit: '64mb', keepRawBody: true },
    grpc: traceportGrpcEndpoint(config.HOST, config.GRPC_PORT, [
      'traceport.v1.ArchiveService',
      'traceport.v1.LedgerService',
      'traceport.v1.TraceService',
      'traceport.v1.StatisticsService',
      'traceport.v1.IdentityService',
      'traceport.v1.SamplingService',
      'traceport.v1.RuleSetService',
      'traceport.v1.WhitelistService',
      'traceport.v1.InspectionService',
      'traceport.v1.TraceGraphService',
      'traceport.v1.ProductControlService',
      'traceport.v1.EpcisSubscriptionService',
    ]),
  });
  // The client address (for the public rate limits) is X-Forwarded-For's only behind a trusted proxy.
  (app as NestExpressApplication).set('trust proxy', trustProxySetting(config.TRUST_PROXY));
  // GET /openapi.json describes the routes the application registered, so it is made once they are.
  app.get(OpenApiDocumentService).publish(app);
});
