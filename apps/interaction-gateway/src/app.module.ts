import { Module, type DynamicModule } from '@nestjs/common';
import { DatabaseReadiness } from '@traceport/database';
import { Metrics, ObservabilityModule } from '@traceport/observability';
import { AccessController } from './access/access.controller.js';
import { AccessModule } from './access/access.module.js';
import { ArchiveImportController } from './archive/archive-import.controller.js';
import { CONSOLE_DIR, ConsoleController } from './console/console.controller.js';
import { DEFAULT_CONSOLE_DIR } from './console/console-files.js';
import { DashboardController } from './dashboard/dashboard.controller.js';
import { DashboardService } from './dashboard/dashboard.service.js';
import { StatisticsController } from './statistics/statistics.controller.js';
import { StatisticsGateway } from './statistics/statistics.gateway.js';
import { ArchiveImportGateway } from './archive/archive-import.gateway.js';
import { ArchiveController } from './archive/archive.controller.js';
import { ArchiveGateway } from './archive/archive.gateway.js';
import { ArchiveGrpcController } from './archive/archive.grpc.controller.js';
import type { GatewayConfig } from './config.js';
import { InspectionController } from './decision/inspection.controller.js';
import { InspectionGateway } from './decision/inspection.gateway.js';
import { RuleSetController } from './decision/rule-set.controller.js';
import { RuleSetGateway } from './decision/rule-set.gateway.js';
import { SamplingController } from './decision/sampling.controller.js';
import { SamplingGateway } from './decision/sampling.gateway.js';
import { WhitelistController } from './decision/whitelist.controller.js';
import { WhitelistGateway } from './decision/whitelist.gateway.js';
import { EpcisController } from './epcis/epcis.controller.js';
import { EpcisModule } from './epcis/epcis.module.js';
import { TraceGrpcController } from './epcis/trace.grpc.controller.js';
import { TrailController } from './epcis/trail.controller.js';
import { ProductController } from './product/product.controller.js';
import { ProductGateway } from './product/product.gateway.js';
import { ProductGrpcController } from './product/product.grpc.controller.js';
import { LedgerController } from './proof/ledger.controller.js';
import { IdentityController } from './identity/identity.controller.js';
import { IdentityGateway, RESOLVER_ORIGIN } from './identity/identity.gateway.js';
import { IdentityGrpcController } from './identity/identity.grpc.controller.js';
import { ProofController } from './proof/proof.controller.js';
import { ProofGateway } from './proof/proof.gateway.js';
import { OpenApiModule } from './openapi/openapi.module.js';
import { ProofGrpcController } from './proof/proof.grpc.controller.js';
import { ResolverModule } from './resolver/resolver.module.js';
import { TraceGraphController } from './trace-graph/trace-graph.controller.js';
import { TraceGraphGateway } from './trace-graph/trace-graph.gateway.js';
import { TraceGraphGrpcController } from './trace-graph/trace-graph.grpc.controller.js';
import { ControlController } from './control/control.controller.js';
import { ControlGateway } from './control/control.gateway.js';
import { ControlGrpcController } from './control/control.grpc.controller.js';
import { EpcisQueryController, NotificationController } from './subscription/subscription.controller.js';
import { SubscriptionGateway } from './subscription/subscription.gateway.js';
import { SubscriptionGrpcController } from './subscription/subscription.grpc.controller.js';
import { UpstreamModule } from './upstream/upstream.module.js';
import { DataServiceReadiness, DecisionEngineReadiness, LedgerReadiness } from './upstream/upstream.readiness.js';
import { StoreAudit } from './proof/store-audit.js';

@Module({})
export class AppModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        UpstreamModule.forRoot({
          dataServiceUrl: config.DATA_SERVICE_GRPC_URL,
          ledgerUrl: config.LEDGER_GRPC_URL,
          decisionEngineUrl: config.DECISION_ENGINE_GRPC_URL,
          timeoutMs: config.UPSTREAM_TIMEOUT_MS,
        }),
        ObservabilityModule.forRoot({ metrics: new Metrics('interaction-gateway'), checks: [DataServiceReadiness, LedgerReadiness, DecisionEngineReadiness, DatabaseReadiness] }),
        AccessModule.forRoot(config),
        EpcisModule,
        ResolverModule.forRoot({ regionHeader: config.SCAN_REGION_HEADER }),
        OpenApiModule,
      ],
      // The generic archive routes (/v1/:collection) come last, after every more specific route.
      controllers: [
        AccessController,
        StatisticsController,
        ProductController,
        ProductGrpcController,
        ProofController,
        ProofGrpcController,
        LedgerController,
        EpcisController,
        TrailController,
        TraceGrpcController,
        SamplingController,
        RuleSetController,
        WhitelistController,
        InspectionController,
        IdentityController,
        IdentityGrpcController,
        TraceGraphController,
        TraceGraphGrpcController,
        ControlController,
        ControlGrpcController,
        EpcisQueryController,
        NotificationController,
        SubscriptionGrpcController,
        ConsoleController,
        DashboardController,
        ArchiveGrpcController,
        ArchiveImportController,
        ArchiveController,
      ],
      providers: [
        ProductGateway,
        ArchiveGateway,
        ArchiveImportGateway,
        StatisticsGateway,
        ProofGateway,
        StoreAudit,
        SamplingGateway,
        RuleSetGateway,
        WhitelistGateway,
        InspectionGateway,
        IdentityGateway,
        TraceGraphGateway,
        ControlGateway,
        SubscriptionGateway,
        DashboardService,
        { provide: CONSOLE_DIR, useValue: config.CONSOLE_DIR ?? DEFAULT_CONSOLE_DIR },
        { provide: RESOLVER_ORIGIN, useValue: config.RESOLVER_ORIGIN ?? `http://127.0.0.1:${config.HTTP_PORT}` },
        { provide: DataServiceReadiness, useFactory: () => new DataServiceReadiness('data-service', config.DATA_SERVICE_GRPC_URL) },
        { provide: LedgerReadiness, useFactory: () => new LedgerReadiness('ledger-anchor', config.LEDGER_GRPC_URL) },
        { provide: DecisionEngineReadiness, useFactory: () => new DecisionEngineReadiness('decision-engine', config.DECISION_ENGINE_GRPC_URL) },
      ],
    };
  }
}
