import { Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { TopicSpec } from '@traceport/contracts';
import type { Admin, Kafka, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { createKafka } from './kafka.factory.js';
import { ensureTopics } from './topic-provisioner.js';

export const KAFKA = Symbol('KAFKA');
export const KAFKA_PRODUCER = Symbol('KAFKA_PRODUCER');

/** Readiness: the cluster answers metadata requests on a long-lived admin connection. */
@Injectable()
export class KafkaReadiness implements OnApplicationShutdown {
  readonly name = 'kafka';
  private admin: Admin | undefined;

  constructor(@Inject(KAFKA) private readonly kafka: Kafka) {}

  async check(): Promise<void> {
    if (this.admin === undefined) {
      const admin = this.kafka.admin();
      await admin.connect();
      this.admin = admin;
    }
    try {
      await this.admin.describeCluster();
    } catch (error) {
      await this.admin.disconnect().catch(() => undefined);
      this.admin = undefined;
      throw error;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.admin?.disconnect();
  }
}

@Injectable()
class ProducerLifecycle implements OnApplicationShutdown {
  constructor(@Inject(KAFKA_PRODUCER) private readonly producer: Producer) {}
  async onApplicationShutdown(): Promise<void> {
    await this.producer.disconnect();
  }
}

export interface MessagingOptions {
  readonly clientId: string;
  readonly brokers: string[];
  readonly logger: Logger;
  /** Topics this service publishes to or consumes, created at start-up when missing. */
  readonly topics: readonly TopicSpec[];
}

/** A Kafka client, an idempotent producer and a readiness check for one service. */
@Module({})
export class MessagingModule {
  static forRoot(options: MessagingOptions): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      providers: [
        {
          provide: KAFKA,
          useFactory: async () => {
            const kafka = createKafka(options);
            await ensureTopics(kafka, options.topics);
            return kafka;
          },
        },
        {
          provide: KAFKA_PRODUCER,
          inject: [KAFKA],
          useFactory: async (kafka: Kafka) => {
            // Idempotent: broker-side dedup of retried sends, so a retry never reorders or doubles a batch.
            const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
            await producer.connect();
            return producer;
          },
        },
        ProducerLifecycle,
        KafkaReadiness,
      ],
      exports: [KAFKA, KAFKA_PRODUCER, KafkaReadiness],
    };
  }
}
