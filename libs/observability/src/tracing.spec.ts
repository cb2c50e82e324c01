import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { outboxTraceHeaders, traceBatchProcessing, traceMessageProcessing, tracingSettingsFromEnv } from './tracing.js';

describe('tracingSettingsFromEnv', () => {
  it('is off unless an OTLP endpoint is configured', () => {
    expect(tracingSettingsFromEnv({}).enabled).toBe(false);
    expect(tracingSettingsFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).enabled).toBe(true);
    expect(tracingSettingsFromEnv({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' }).enabled).toBe(true);
  });

  it('honours the standard switches that turn it off', () => {
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' };
    expect(tracingSettingsFromEnv({ ...endpoint, OTEL_SDK_DISABLED: 'true' }).enabled).toBe(false);
    expect(tracingSettingsFromEnv({ ...endpoint, OTEL_TRACES_EXPORTER: 'none' }).enabled).toBe(false);
  });

  it('names the service after OTEL_SERVICE_NAME, else the app it starts', () => {
    expect(tracingSettingsFromEnv({ OTEL_SERVICE_NAME: 'gw' }, '/app/apps/interaction-gateway/dist/main.js').serviceName).toBe('gw');
    expect(tracingSettingsFromEnv({}, '/app/apps/ledger-anchor/dist/main.js').serviceName).toBe('ledger-anchor');
  });
});

describe('Kafka trace context without an SDK', () => {
  it('adds no headers and still runs the work', async () => {
    expect(outboxTraceHeaders({ topic: 'a.b.c.v1', eventId: 'e1' })).toEqual({});
    await expect(traceMessageProcessing({}, { topic: 'a.b.c.v1', eventId: 'e1' }, async () => 42)).resolves.toBe(42);
  });
});

describe('Kafka trace context with the SDK', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  const tracer = () => trace.getTracer('spec');
  const spanNamed = (name: string, spans: readonly ReadableSpan[] = exporter.getFinishedSpans()) => spans.find((span) => span.name === name);

  beforeAll(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    trace.setGlobalTracerProvider(provider);
  });
  afterEach(() => exporter.reset());
  afterAll(async () => {
    await provider.shutdown();
    trace.disable();
    propagation.disable();
    context.disable();
  });

  it('carries a request span through the outbox headers into the consumer, in one trace', async () => {
    const headers = tracer().startActiveSpan('POST /v1/products', (request) => {
      const written = outboxTraceHeaders({ topic: 'archive.record.versioned.v1', eventId: 'e1' });
      request.end();
      return written;
    });
    expect(headers['traceparent']).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);

    // kafkajs hands header values out as Buffers.
    const received = Object.fromEntries(Object.entries(headers).map(([key, value]) => [key, Buffer.from(value)]));
    await traceMessageProcessing(received, { topic: 'archive.record.versioned.v1', eventId: 'e1', partition: 2, offset: '7', consumerGroup: 'g' }, async () => {
      tracer().startSpan('INSERT leaves').end();
    });

    const request = spanNamed('POST /v1/products')!;
    const create = spanNamed('create archive.record.versioned.v1')!;
    const process = spanNamed('process archive.record.versioned.v1')!;
    const insert = spanNamed('INSERT leaves')!;
    const traceId = request.spanContext().traceId;
    expect([create, process, insert].map((span) => span.spanContext().traceId)).toEqual([traceId, traceId, traceId]);
    expect(create.kind).toBe(SpanKind.PRODUCER);
    expect(create.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    expect(process.kind).toBe(SpanKind.CONSUMER);
    expect(process.parentSpanContext?.spanId).toBe(create.spanContext().spanId);
    expect(insert.parentSpanContext?.spanId).toBe(process.spanContext().spanId);
    expect(process.attributes).toMatchObject({
      'messaging.system': 'kafka',
      'messaging.destination.name': 'archive.record.versioned.v1',
      'messaging.destination.partition.id': '2',
      'messaging.kafka.offset': 7,
      'messaging.consumer.group.name': 'g',
      'messaging.message.id': 'e1',
    });
  });

  it('marks the consumer span failed and rethrows when the work fails', async () => {
    await expect(traceMessageProcessing({}, { topic: 't.v1', eventId: 'e2' }, () => Promise.reject(new Error('database down')))).rejects.toThrow(
      'database down',
    );
    expect(spanNamed('process t.v1')?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'database down' });
  });

  it('gives each message of a batch a span in its own trace, linked to the batch', async () => {
    const produced = ['first', 'second'].map((name) =>
      tracer().startActiveSpan(name, (span) => {
        const headers = outboxTraceHeaders({ topic: 't.v1', eventId: name });
        span.end();
        return { traceId: span.spanContext().traceId, headers };
      }),
    );
    exporter.reset();

    await traceBatchProcessing(
      produced.map((message, index) => ({ headers: message.headers, attributes: { topic: 't.v1', eventId: `e${index}` } })),
      async () => tracer().startSpan('INSERT leaves').end(),
    );

    const spans = exporter.getFinishedSpans();
    const perMessage = spans.filter((span) => span.name === 'process t.v1' && span.parentSpanContext !== undefined);
    expect(perMessage.map((span) => span.spanContext().traceId).sort()).toEqual(produced.map((message) => message.traceId).sort());
    const batch = spans.find((span) => span.name === 'process t.v1' && span.parentSpanContext === undefined)!;
    expect(batch.links.map((link) => link.context.traceId).sort()).toEqual(produced.map((message) => message.traceId).sort());
    for (const span of perMessage) expect(span.links[0]?.context.spanId).toBe(batch.spanContext().spanId);
    expect(spanNamed('INSERT leaves', spans)?.parentSpanContext?.spanId).toBe(batch.spanContext().spanId);
  });
});
