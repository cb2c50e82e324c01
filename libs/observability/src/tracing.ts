import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
  type TextMapGetter,
} from '@opentelemetry/api';

// Distributed tracing through the API only. Until the SDK is started (tracing-preload.ts, when an OTLP
// endpoint is configured) every call here hits OpenTelemetry's no-op tracer and propagator, so a
// service without tracing pays a few object allocations per message and sends no extra headers.

export interface TracingSettings {
  /** True when an OTLP endpoint is configured and tracing is not switched off. */
  readonly enabled: boolean;
  readonly serviceName: string;
}

/**
 * Tracing is on exactly when an OTLP endpoint is configured (the standard OpenTelemetry variables);
 * OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none turn it off again. The service name defaults to
 * the app folder of the entry point (apps/<service>/dist/main.js).
 */
export function tracingSettingsFromEnv(env: NodeJS.ProcessEnv, entryPoint = ''): TracingSettings {
  const endpoint = env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'] || env['OTEL_EXPORTER_OTLP_ENDPOINT'];
  const switchedOff = env['OTEL_SDK_DISABLED']?.trim().toLowerCase() === 'true' || env['OTEL_TRACES_EXPORTER']?.trim() === 'none';
  const fromEntryPoint = /apps[/\\]([^/\\]+)[/\\]dist[/\\]/.exec(entryPoint)?.[1];
  return { enabled: Boolean(endpoint) && !switchedOff, serviceName: env['OTEL_SERVICE_NAME'] || fromEntryPoint || 'traceport' };
}

/** Kafka header values as kafkajs hands them out. */
export type KafkaHeaderValue = Buffer | string | (Buffer | string)[] | undefined;
export type KafkaHeaders = Record<string, KafkaHeaderValue>;

const kafkaHeaderGetter: TextMapGetter<KafkaHeaders> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => {
    const value = carrier[key];
    const first = Array.isArray(value) ? value[0] : value;
    return first?.toString();
  },
};

const tracer = () => trace.getTracer('@traceport/messaging');

/** Semantic-convention attributes of one Kafka message (messaging.* namespace). */
export interface MessageTraceAttributes {
  readonly topic: string;
  /** The CloudEvent id; absent for a span that stands for several events. */
  readonly eventId?: string;
  readonly messageCount?: number;
  readonly partition?: number;
  readonly offset?: string;
  readonly consumerGroup?: string;
}

function messagingAttributes(operation: 'create' | 'process', message: MessageTraceAttributes): Attributes {
  return {
    'messaging.system': 'kafka',
    'messaging.operation.type': operation,
    'messaging.operation.name': operation,
    'messaging.destination.name': message.topic,
    ...(message.eventId === undefined ? {} : { 'messaging.message.id': message.eventId }),
    ...(message.messageCount === undefined ? {} : { 'messaging.batch.message_count': message.messageCount }),
    ...(message.partition === undefined ? {} : { 'messaging.destination.partition.id': String(message.partition) }),
    ...(message.offset === undefined ? {} : { 'messaging.kafka.offset': Number(message.offset) }),
    ...(message.consumerGroup === undefined ? {} : { 'messaging.consumer.group.name': message.consumerGroup }),
  };
}

/**
 * W3C trace context (`traceparent`, `tracestate`) for events written to the outbox. The relay
 * publishes the rows later, outside any request, so the context is captured here, inside the
 * transaction that created the events, under a `create <topic>` producer span (one for a bulk write).
 */
export function outboxTraceHeaders(message: MessageTraceAttributes): Record<string, string> {
  const span = tracer().startSpan(`create ${message.topic}`, { kind: SpanKind.PRODUCER, attributes: messagingAttributes('create', message) });
  const headers: Record<string, string> = {};
  propagation.inject(trace.setSpan(context.active(), span), headers);
  span.end();
  return headers;
}

/** The producer's context carried in a Kafka message's headers (the root context when there is none). */
export function extractTraceContext(headers: KafkaHeaders): Context {
  return propagation.extract(ROOT_CONTEXT, headers, kafkaHeaderGetter);
}

async function endWith<T>(spans: readonly Span[], work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    for (const span of spans) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
    }
    throw error;
  } finally {
    for (const span of spans) span.end();
  }
}

/**
 * Runs a consumer's work for one message under a `process <topic>` consumer span, child of the span
 * that produced the message, so the consumer's work joins the producer's trace.
 */
export function traceMessageProcessing<T>(headers: KafkaHeaders, message: MessageTraceAttributes, work: () => Promise<T>): Promise<T> {
  const parent = extractTraceContext(headers);
  const span = tracer().startSpan(`process ${message.topic}`, { kind: SpanKind.CONSUMER, attributes: messagingAttributes('process', message) }, parent);
  return context.with(trace.setSpan(parent, span), () => endWith([span], work));
}

/**
 * Runs a consumer's work for several messages applied together. The work itself (its database
 * calls) runs under one batch span linked to every message; each message also gets its own
 * `process <topic>` span in its producer's trace, linked to the batch, so a request's trace shows
 * where it was consumed even when that happened in bulk.
 */
export function traceBatchProcessing<T>(
  messages: readonly { readonly headers: KafkaHeaders; readonly attributes: MessageTraceAttributes }[],
  work: () => Promise<T>,
): Promise<T> {
  const topic = messages[0]?.attributes.topic ?? 'batch';
  const parents = messages.map((message) => extractTraceContext(message.headers));
  const links = parents.flatMap((parent) => {
    const spanContext = trace.getSpanContext(parent);
    return spanContext === undefined ? [] : [{ context: spanContext }];
  });
  return tracer().startActiveSpan(
    `process ${topic}`,
    { kind: SpanKind.CONSUMER, root: true, links, attributes: { 'messaging.system': 'kafka', 'messaging.batch.message_count': messages.length } },
    (batchSpan) => {
      const perMessage = messages.map((message, index) =>
        tracer().startSpan(
          `process ${message.attributes.topic}`,
          { kind: SpanKind.CONSUMER, links: [{ context: batchSpan.spanContext() }], attributes: messagingAttributes('process', message.attributes) },
          parents[index],
        ),
      );
      return endWith([batchSpan, ...perMessage], work);
    },
  );
}
