import { randomBytes } from 'node:crypto';
import { eventually, testPlatform } from '@traceport/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpanKind, startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from './support/otlp-receiver.js';
import { startTracedPlatform, type TracedPlatform } from './support/traced-platform.js';

// One request through every service, exported over OTLP to a receiver this test runs: the gateway's
// HTTP span, its gRPC call, the data-service's handler and the event it creates, and both consumers
// of that event must all carry the one trace id the caller sent in its traceparent header.

const platform = testPlatform();
let receiver: OtlpReceiver;
let traced: TracedPlatform;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  traced = await startTracedPlatform(platform.root, receiver.url);
}, 300_000);

afterAll(async () => {
  await traced?.stop();
  await receiver?.close();
}, 120_000);

function newMerchant() {
  const suffix = randomBytes(4).toString('hex');
  return { legalName: `Traced Importer ${suffix} Ltd.`, country: 'CN', registrationNumber: `91310000${suffix}` };
}

function spanOf(spans: readonly ReceivedSpan[], service: string, kind: number, name?: RegExp): ReceivedSpan | undefined {
  return spans.find((span) => span.service === service && span.kind === kind && (name === undefined || name.test(span.name)));
}

describe('a trace across HTTP, gRPC and Kafka', () => {
  it('shows the gateway, the data-service and both consumers under the caller’s trace id', async () => {
    const traceId = randomBytes(16).toString('hex');
    const callerSpanId = randomBytes(8).toString('hex');
    const response = await fetch(`${traced.gatewayUrl}/v1/merchants`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: `00-${traceId}-${callerSpanId}-01` },
      body: JSON.stringify(newMerchant()),
    });
    expect(response.status, await response.clone().text()).toBe(201);

    const spans = await eventually(
      'spans from all four services',
      async () => {
        const inTrace = receiver.spans.filter((span) => span.traceId === traceId);
        const consumers = ['ledger-anchor', 'decision-engine'].every((service) => spanOf(inTrace, service, SpanKind.consumer) !== undefined);
        return consumers ? inTrace : undefined;
      },
      60_000,
    ).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}\nspans: ${JSON.stringify(receiver.spans.filter((span) => span.traceId === traceId))}\n${traced.logTail('ledger-anchor')}`);
    });

    const httpServer = spanOf(spans, 'interaction-gateway', SpanKind.server)!;
    const grpcClient = spanOf(spans, 'interaction-gateway', SpanKind.client, /ArchiveService/)!;
    const grpcServer = spanOf(spans, 'data-service', SpanKind.server, /ArchiveService/)!;
    const created = spanOf(spans, 'data-service', SpanKind.producer, /^create /)!;
    const appended = spanOf(spans, 'ledger-anchor', SpanKind.consumer, /^process /)!;
    const profiled = spanOf(spans, 'decision-engine', SpanKind.consumer, /^process /)!;
    for (const span of [httpServer, grpcClient, grpcServer, created, appended, profiled]) expect(span).toBeDefined();

    // Parent links make one tree: caller → HTTP → gRPC client → gRPC server → … → create → consumers.
    expect(httpServer.parentSpanId).toBe(callerSpanId);
    expect(grpcClient.parentSpanId).toBe(httpServer.spanId);
    expect(grpcServer.parentSpanId).toBe(grpcClient.spanId);
    expect(appended.parentSpanId).toBe(created.spanId);
    expect(profiled.parentSpanId).toBe(created.spanId);
    const ids = new Set(spans.map((span) => span.spanId));
    const orphans = spans.filter((span) => span.parentSpanId !== callerSpanId && !ids.has(span.parentSpanId ?? ''));
    expect(orphans).toEqual([]);
    // The event was created inside the data-service's handler, not somewhere detached from it.
    const ancestors = (span: ReceivedSpan): string[] => {
      const parent = spans.find((candidate) => candidate.spanId === span.parentSpanId);
      return parent === undefined ? [] : [parent.spanId, ...ancestors(parent)];
    };
    expect(ancestors(created)).toContain(grpcServer.spanId);
    // Queries inside a traced request show up as database spans of that request.
    expect(spans.some((span) => span.service === 'data-service' && span.scope === '@opentelemetry/instrumentation-pg')).toBe(true);
    expect(receiver.rejected).toEqual([]);
  });
});

describe('without an OTLP endpoint', () => {
  it('writes no trace context into the events (the test platform runs untraced)', async () => {
    const response = await fetch(`${platform.gatewayUrl}/v1/merchants`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01` },
      body: JSON.stringify(newMerchant()),
    });
    expect(response.status).toBe(201);
    const { record } = (await response.json()) as { record: { id: string } };
    const client = new pg.Client({ connectionString: platform.databaseUrl });
    await client.connect();
    try {
      const rows = await client.query<{ headers: Record<string, string> }>(
        `SELECT "headers" FROM "data_service"."outbox" WHERE "message_key" = $1`,
        [record.id],
      );
      expect(rows.rows.length).toBeGreaterThan(0);
      for (const row of rows.rows) expect(Object.keys(row.headers)).not.toContain('traceparent');
    } finally {
      await client.end();
    }
  });
});
