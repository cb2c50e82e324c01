import { Inject, Injectable, Module, type DynamicModule, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { Metrics } from '@traceport/observability';
import type { Producer } from 'kafkajs';
import { Gauge } from 'prom-client';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { KAFKA_PRODUCER } from './messaging.module.js';
import { OutboxRelay } from './outbox-relay.js';

/** Runs the relay for the life of the service; stopping waits for an in-flight batch. */
@Injectable()
class OutboxRelayLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(OutboxRelay) private readonly relay: OutboxRelay) {}
  onApplicationBootstrap(): void {
    this.relay.start();
  }
  async onApplicationShutdown(): Promise<void> {
    await this.relay.stop();
  }
}

/** The outbox relay of one service's schema, started with the app and stopped with it. */
@Module({})
export class OutboxRelayModule {
  static forRoot(options: { schema: string; logger: Logger }): DynamicModule {
    return {
      module: OutboxRelayModule,
      global: true,
      providers: [
        {
          provide: OutboxRelay,
          inject: [getDataSourceToken(), KAFKA_PRODUCER, Metrics],
          useFactory: (dataSource: DataSource, producer: Producer, metrics: Metrics) => {
            const relay = new OutboxRelay(dataSource, producer, {
              schema: options.schema,
              logger: options.logger.child({ component: 'outbox-relay' }),
              onPublished: (topic, count) => metrics.messagesPublished.inc({ topic }, count),
            });
            // Read at scrape time (an indexed count): a backlog that grows means Kafka is not taking events.
            new Gauge({
              name: 'traceport_outbox_backlog',
              help: 'Events committed to the outbox and not yet published to Kafka',
              registers: [metrics.registry],
              async collect() {
                this.set(await relay.backlog().catch(() => Number.NaN));
              },
            });
            return relay;
          },
        },
        OutboxRelayLifecycle,
      ],
      exports: [OutboxRelay],
    };
  }
}
