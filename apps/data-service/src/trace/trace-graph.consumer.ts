import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { epcisCaptureStoredV1, type CloudEvent } from '@traceport/contracts';
import { IdempotentConsumer, KAFKA, KAFKA_PRODUCER } from '@traceport/messaging';
import { Metrics } from '@traceport/observability';
import type { Kafka, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { DataSource, type EntityManager } from 'typeorm';
import { DATA_SERVICE_SCHEMA } from '../config.js';
import { TraceGraphRecorder } from './trace-graph.recorder.js';

export const TRACE_GRAPH_LOGGER = Symbol('TRACE_GRAPH_LOGGER');

/**
 * Keeps the trace graph (aggregation history, the containers and locations lots reached,
 * transformations) current from the data layer's own epcis.capture.stored.v1 events. A Kafka batch
 * is recorded in one transaction with its event ids, so a redelivered event is never applied twice
 * (and applying it twice would change nothing: the recorder only adds set members).
 */
@Injectable()
export class TraceGraphConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly consumer: IdempotentConsumer;

  constructor(
    @Inject(KAFKA) kafka: Kafka,
    @Inject(KAFKA_PRODUCER) producer: Producer,
    @InjectDataSource() dataSource: DataSource,
    @Inject(TRACE_GRAPH_LOGGER) logger: Logger,
    metrics: Metrics,
  ) {
    this.consumer = new IdempotentConsumer({
      kafka,
      dataSource,
      producer,
      metrics,
      schema: DATA_SERVICE_SCHEMA,
      groupId: 'data-service.trace-graph',
      topics: [epcisCaptureStoredV1.topic],
      logger: logger.child({ component: 'trace-graph' }),
      handler: (event, _context, manager) => record(manager, [event]),
      batchHandler: (events, manager) => record(manager, events.map(({ event }) => event)),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.consumer.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }
}

function record(manager: EntityManager, events: readonly CloudEvent[]): Promise<void> {
  return new TraceGraphRecorder(manager).recordCaptured(events.flatMap((event) => epcisCaptureStoredV1.schema.parse(event.data).records));
}
