import { Module, type DynamicModule } from '@nestjs/common';
import { Topics } from '@traceport/contracts';
import { DatabaseModule, DatabaseReadiness } from '@traceport/database';
import { KafkaReadiness, MESSAGING_ENTITIES, MessagingModule } from '@traceport/messaging';
import { Metrics, ObservabilityModule } from '@traceport/observability';
import type { Logger } from 'pino';
import { DECISION_ENGINE_SCHEMA, type DecisionEngineConfig } from './config.js';
import { DECISION_ENGINE_MIGRATIONS } from './database/migrations/index.js';
import { ENGINE_LOGGER } from './engine.tokens.js';
import { ProductProfileConsumer } from './product-profile/product-profile.consumer.js';

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
        MessagingModule.forRoot({ clientId: 'decision-engine', brokers: config.KAFKA_BROKERS, logger, topics: [Topics.archiveRecordVersioned] }),
        ObservabilityModule.forRoot({ metrics: new Metrics('decision-engine'), checks: [DatabaseReadiness, KafkaReadiness] }),
      ],
      providers: [{ provide: ENGINE_LOGGER, useValue: logger }, ProductProfileConsumer],
    };
  }
}
