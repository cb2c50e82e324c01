import { Module, type DynamicModule } from '@nestjs/common';
import { RegistryClient } from '@traceport/chain';
import { allTopicSpecs } from '@traceport/contracts';
import { DatabaseModule, DatabaseReadiness } from '@traceport/database';
import { KafkaReadiness, MESSAGING_ENTITIES, MessagingModule } from '@traceport/messaging';
import { Metrics, ObservabilityModule } from '@traceport/observability';
import type { Logger } from 'pino';
import { ChainReadiness } from './anchoring/chain.readiness.js';
import { LogAuditor } from './audit/log-auditor.service.js';
import { HeadAnchorer } from './anchoring/head-anchorer.service.js';
import { LEDGER_SCHEMA, type LedgerConfig } from './config.js';
import { LEDGER_MIGRATIONS } from './database/migrations/index.js';
import { LedgerSettings } from './ledger.settings.js';
import { LEDGER_LOGGER, REGISTRY_CLIENT } from './ledger.tokens.js';
import { AnchorableRecordConsumer } from './log/anchorable-record.consumer.js';
import { MerkleLogService } from './log/merkle-log.service.js';
import { LedgerGrpcController } from './proof/ledger.grpc.controller.js';
import { RecordDigestGrpcController } from './record-digest/record-digest.grpc.controller.js';
import { LedgerStateService } from './proof/ledger-state.service.js';
import { RecordProofService } from './proof/record-proof.service.js';

@Module({})
export class AppModule {
  static forRoot(config: LedgerConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        DatabaseModule.forRoot({
          url: config.DATABASE_URL,
          schema: LEDGER_SCHEMA,
          applicationName: 'ledger-anchor',
          entities: [...MESSAGING_ENTITIES],
          migrations: LEDGER_MIGRATIONS,
          poolMax: config.DATABASE_POOL_MAX,
        }),
        // The ledger creates every topic's dead-letter twin too: it consumes from all anchorable topics.
        MessagingModule.forRoot({ clientId: 'ledger-anchor', brokers: config.KAFKA_BROKERS, logger, topics: allTopicSpecs() }),
        ObservabilityModule.forRoot({ metrics: new Metrics('ledger-anchor'), checks: [DatabaseReadiness, KafkaReadiness, ChainReadiness] }),
      ],
      controllers: [LedgerGrpcController, RecordDigestGrpcController],
      providers: [
        { provide: LEDGER_LOGGER, useValue: logger },
        { provide: LedgerSettings, useValue: new LedgerSettings(config.LEDGER_SEAL_INTERVAL_MS, config.LEDGER_SEAL_MAX_LEAVES, config.LEDGER_AUDIT_INTERVAL_MS) },
        {
          provide: REGISTRY_CLIENT,
          useFactory: () =>
            RegistryClient.connect({
              rpcUrl: config.CHAIN_RPC_URL,
              contract: config.CHAIN_REGISTRY_ADDRESS as `0x${string}`,
              privateKey: config.CHAIN_ANCHOR_PRIVATE_KEY as `0x${string}`,
            }),
        },
        { provide: ChainReadiness, inject: [REGISTRY_CLIENT], useFactory: (registry: RegistryClient) => new ChainReadiness(registry) },
        MerkleLogService,
        AnchorableRecordConsumer,
        HeadAnchorer,
        RecordProofService,
        LedgerStateService,
        LogAuditor,
      ],
    };
  }
}
