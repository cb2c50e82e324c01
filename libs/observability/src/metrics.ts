import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** One registry per process, with the process/runtime metrics and the request metrics every service has. */
export class Metrics {
  readonly registry = new Registry();

  readonly requestDuration: Histogram<'transport' | 'route' | 'outcome'>;
  readonly messagesConsumed: Counter<'topic' | 'outcome'>;
  readonly messagesPublished: Counter<'topic'>;

  constructor(service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
    this.requestDuration = new Histogram({
      name: 'traceport_request_duration_seconds',
      help: 'Duration of HTTP and gRPC requests handled',
      labelNames: ['transport', 'route', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [this.registry],
    });
    this.messagesConsumed = new Counter({
      name: 'traceport_messages_consumed_total',
      help: 'Kafka messages consumed, by outcome (processed, duplicate, dead_lettered)',
      labelNames: ['topic', 'outcome'],
      registers: [this.registry],
    });
    this.messagesPublished = new Counter({
      name: 'traceport_messages_published_total',
      help: 'Kafka messages published from the outbox',
      labelNames: ['topic'],
      registers: [this.registry],
    });
  }
}
