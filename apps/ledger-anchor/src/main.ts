import 'reflect-metadata';
import { bootService, createLogger, runService, traceportGrpcEndpoint } from '@traceport/observability';
import { AppModule } from './app.module.js';
import { loadLedgerConfig } from './config.js';

const bootLogger = createLogger('ledger-anchor');

runService(bootLogger, async () => {
  const config = loadLedgerConfig();
  const logger = createLogger('ledger-anchor', config.LOG_LEVEL);
  await bootService({
    service: 'ledger-anchor',
    module: AppModule.forRoot(config, logger),
    logger,
    http: { host: config.HOST, port: config.HTTP_PORT },
    grpc: traceportGrpcEndpoint(config.HOST, config.GRPC_PORT, ['traceport.v1.LedgerService', 'traceport.v1.RecordDigestService']),
  });
});
