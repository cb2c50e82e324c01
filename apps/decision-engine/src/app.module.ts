import { Module, type DynamicModule } from '@nestjs/common';
import { Topics } from '@traceport/contracts';
import { DatabaseModule, DatabaseReadiness } from '@traceport/database';
import { KafkaReadiness, MESSAGING_ENTITIES, MessagingModule, OutboxRelayModule } from '@traceport/messaging';
import { Metrics, ObservabilityModule } from '@traceport/observability';
import type { Logger } from 'pino';
import { ArchiveProjectionConsumer } from './archive-projection/archive-projection.consumer.js';
import { ControlHoldConsumer } from './control-hold/control-hold.consumer.js';
import { DECISION_ENGINE_SCHEMA, type DecisionEngineConfig } from './config.js';
import { DECISION_ENGINE_MIGRATIONS } from './database/migrations/index.js';
import { DecisionMetrics } from './decision/decision.metrics.js';
import { LotDecisionService } from './decision/lot-decision.service.js';
import { ENGINE_CONFIG, ENGINE_LOGGER } from './engine.tokens.js';
import { InspectionGrpcController } from './inspection/inspection.grpc.controller.js';
import { InspectionService } from './inspection/inspection.service.js';
import { LotReceiptConsumer } from './lot-receipt/lot-receipt.consumer.js';
import { RuleSetSimulationService } from './rule-set/rule-set-simulation.service.js';
import { RuleSetGrpcController } from './rule-set/rule-set.grpc.controller.js';
import { RuleSetService } from './rule-set/rule-set.service.js';
import { SamplingPlanGrpcController } from './sampling-plan/sampling-plan.grpc.controller.js';
import { WhitelistGrpcController } from './whitelist/whitelist.grpc.controller.js';
import { WhitelistService } from './whitelist/whitelist.service.js';

@Module({})
export class AppModule {
  static forRoot(config: DecisionEngineConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        DatabaseModule.forRoot({
          url: config.DATABASE_URL,
          schema: DECISION_ENGINE_SCHEMA,
          applicationName: 'decision-engine',
          entities: [...MESSAGING_ENTITIES],
          migrations: DECISION_ENGINE_MIGRATIONS,
          poolMax: config.DATABASE_POOL_MAX,
        }),
        MessagingModule.forRoot({
          clientId: 'decision-engine',
          brokers: config.KAFKA_BROKERS,
          logger,
          topics: [Topics.archiveRecordVersioned, Topics.epcisCaptureStored, Topics.decisionRecordVersioned, Topics.controlRecordVersioned],
        }),
        OutboxRelayModule.forRoot({ schema: DECISION_ENGINE_SCHEMA, logger }),
        ObservabilityModule.forRoot({ metrics: new Metrics('decision-engine'), checks: [DatabaseReadiness, KafkaReadiness] }),
      ],
      controllers: [SamplingPlanGrpcController, RuleSetGrpcController, WhitelistGrpcController, InspectionGrpcController],
      providers: [
        { provide: ENGINE_LOGGER, useValue: logger },
        { provide: ENGINE_CONFIG, useValue: config },
        DecisionMetrics,
        RuleSetService,
        RuleSetSimulationService,
        WhitelistService,
        LotDecisionService,
        InspectionService,
        ArchiveProjectionConsumer,
        LotReceiptConsumer,
        ControlHoldConsumer,
      ],
    };
  }
}
