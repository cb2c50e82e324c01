import { Module, type DynamicModule } from '@nestjs/common';
import { Topics } from '@traceport/contracts';
import { ArchiveGrpcController } from './archive/archive.grpc.controller.js';
import { ArchiveMetrics } from './archive/archive.metrics.js';
import { ArchiveService } from './archive/archive.service.js';
import { ArchiveImportService } from './archive-import/archive-import.service.js';
import { ScanGrpcController } from './scan/scan.grpc.controller.js';
import { SCAN_THRESHOLDS, ScanService, scanThresholdsOf } from './scan/scan.service.js';
import { ArchiveCountsService } from './statistics/archive-counts.service.js';
import { LotStatisticsService } from './statistics/lot-statistics.service.js';
import { StatisticsGrpcController } from './statistics/statistics.grpc.controller.js';
import { DatabaseModule, DatabaseReadiness } from '@traceport/database';
import { KafkaReadiness, MESSAGING_ENTITIES, MessagingModule, OutboxRelayModule } from '@traceport/messaging';
import { Metrics, ObservabilityModule } from '@traceport/observability';
import type { Logger } from 'pino';
import { DATA_SERVICE_SCHEMA, type DataServiceConfig } from './config.js';
import { DATA_SERVICE_MIGRATIONS } from './database/migrations/index.js';
import { EpcisModule } from './epcis/epcis.module.js';
import { IdentityModule } from './identity/identity.module.js';
import { TraceGraphModule } from './trace/trace-graph.module.js';
import { ControlModule } from './control/control.module.js';
import { SubscriptionModule } from './subscription/subscription.module.js';
import { RecordDigestGrpcController } from './record-digest/record-digest.grpc.controller.js';

@Module({})
export class AppModule {
  static forRoot(config: DataServiceConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        DatabaseModule.forRoot({
          url: config.DATABASE_URL,
          schema: DATA_SERVICE_SCHEMA,
          applicationName: 'data-service',
          entities: [...MESSAGING_ENTITIES],
          migrations: DATA_SERVICE_MIGRATIONS,
          poolMax: config.DATABASE_POOL_MAX,
        }),
        MessagingModule.forRoot({
          clientId: 'data-service',
          brokers: config.KAFKA_BROKERS,
          logger,
          topics: [Topics.archiveRecordVersioned, Topics.epcisCaptureStored, Topics.identityIssuanceRecorded, Topics.decisionRecordVersioned, Topics.controlRecordVersioned],
        }),
        OutboxRelayModule.forRoot({ schema: DATA_SERVICE_SCHEMA, logger }),
        ObservabilityModule.forRoot({ metrics: new Metrics('data-service'), checks: [DatabaseReadiness, KafkaReadiness] }),
        EpcisModule,
        IdentityModule,
        TraceGraphModule.forRoot({ logger }),
        ControlModule.forRoot({ logger, certificationCheckIntervalMs: config.CERTIFICATION_CHECK_INTERVAL_MS }),
        SubscriptionModule.forRoot({
          logger,
          webhooks: {
            baseMs: config.WEBHOOK_RETRY_BASE_MS,
            maxDelayMs: config.WEBHOOK_RETRY_MAX_MS,
            maxAttempts: config.WEBHOOK_MAX_ATTEMPTS,
            timeoutMs: config.WEBHOOK_TIMEOUT_MS,
            pollIntervalMs: config.WEBHOOK_POLL_INTERVAL_MS,
            concurrency: 16,
          },
        }),
      ],
      controllers: [StatisticsGrpcController, ArchiveGrpcController, ScanGrpcController, RecordDigestGrpcController],
      providers: [LotStatisticsService, ArchiveCountsService, ArchiveMetrics, ArchiveService, ArchiveImportService, ScanService, { provide: SCAN_THRESHOLDS, useValue: scanThresholdsOf(config) }],
    };
  }
}
