import { randomBytes, randomUUID } from 'node:crypto';
import { eventually, randomGtin, testPlatform } from '@traceport/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminHeaders } from '../support/gateway-client.js';
import { SpanKind, StatusCode, startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from './support/otlp-receiver.js';
import { startTracedPlatform, type TracedPlatform } from './support/traced-platform.js';

// Requests through every service, exported over OTLP to a receiver this test runs. One EPCIS capture
// is one trace: the gateway's HTTP span, its gRPC call, the data-service's handler and the outbox's
// `create` span, and the ledger-anchor appending each captured event, all under the trace id the
// caller sent in its traceparent header, and the decision-engine reading each event for lot
// receipts. An archive write shows the same fan-out to its topic's two consumer groups.

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

/** An EPCIS 2.0 capture document: two units commissioned, then shipped. */
function newCaptureDocument() {
  const gtin = randomGtin();
  const units = [1, 2].map((serial) => `https://id.gs1.org/01/${gtin}/21/T${serial}`);
  const event = (fields: Record<string, unknown>) => ({ type: 'ObjectEvent', eventID: `urn:uuid:${randomUUID()}`, eventTimeZoneOffset: '+08:00', epcList: units, ...fields });
  return {
    '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: new Date().toISOString(),
    epcisBody: {
      eventList: [
        event({ eventTime: '2026-11-01T08:00:00.000+08:00', action: 'ADD', bizStep: 'commissioning', disposition: 'active', ilmd: { 'cbvmda:lotNumber': 'TRACED-1' } }),
        event({ eventTime: '2026-11-02T08:00:00.000+08:00', action: 'OBSERVE', bizStep: 'shipping', disposition: 'in_transit' }),
      ],
    },
  };
}

function spanOf(spans: readonly ReceivedSpan[], service: string, kind: number, name?: RegExp): ReceivedSpan | undefined {
  return spans.find((span) => span.service === service && span.kind === kind && (name === undefined || name.test(span.name)));
}

/** A caller's traceparent: a new trace, sampled, and the caller's own span id. */
function callerContext() {
  const traceId = randomBytes(16).toString('hex');
  const callerSpanId = randomBytes(8).toString('hex');
  return { traceId, callerSpanId, traceparent: `00-${traceId}-${callerSpanId}-01` };
}

/** The spans of one trace, once `complete` says every expected one has been exported. */
async function traceOf(traceId: string, what: string, complete: (spans: readonly ReceivedSpan[]) => boolean): Promise<ReceivedSpan[]> {
  return eventually(
    what,
    async () => {
      const inTrace = receiver.spans.filter((span) => span.traceId === traceId);
      return complete(inTrace) ? inTrace : undefined;
    },
    60_000,
  ).catch((error: unknown) => {
    throw new Error(`${(error as Error).message}\nspans: ${JSON.stringify(receiver.spans.filter((span) => span.traceId === traceId))}\n${traced.logTail('ledger-anchor')}`);
  });
}

/** Every span's parent is in the trace, or is the caller's span: one tree, nothing detached. */
function expectOneTree(spans: readonly ReceivedSpan[], callerSpanId: string): void {
  const ids = new Set(spans.map((span) => span.spanId));
  expect(spans.filter((span) => span.parentSpanId !== callerSpanId && !ids.has(span.parentSpanId ?? ''))).toEqual([]);
}

function ancestorsOf(spans: readonly ReceivedSpan[], span: ReceivedSpan): string[] {
  const parent = spans.find((candidate) => candidate.spanId === span.parentSpanId);
  return parent === undefined ? [] : [parent.spanId, ...ancestorsOf(spans, parent)];
}

/** The request's path through gateway and data-service, linked parent to child. */
function expectRequestPath(spans: readonly ReceivedSpan[], callerSpanId: string, grpcMethod: RegExp): { handler: ReceivedSpan; created: ReceivedSpan } {
  const httpServer = spanOf(spans, 'interaction-gateway', SpanKind.server);
  const grpcClient = spanOf(spans, 'interaction-gateway', SpanKind.client, grpcMethod);
  const grpcServer = spanOf(spans, 'data-service', SpanKind.server, grpcMethod);
  const created = spanOf(spans, 'data-service', SpanKind.producer, /^create /);
  for (const span of [httpServer, grpcClient, grpcServer, created]) expect(span).toBeDefined();
  expect(httpServer!.parentSpanId).toBe(callerSpanId);
  expect(grpcClient!.parentSpanId).toBe(httpServer!.spanId);
  expect(grpcServer!.parentSpanId).toBe(grpcClient!.spanId);
  // The events were created inside the data-service's handler, not somewhere detached from it.
  expect(ancestorsOf(spans, created!)).toContain(grpcServer!.spanId);
  // Queries inside a traced request show up as database spans of that request.
  expect(spans.some((span) => span.service === 'data-service' && span.scope === '@opentelemetry/instrumentation-pg')).toBe(true);
  return { handler: grpcServer!, created: created! };
}

describe('a trace across HTTP, gRPC and Kafka', () => {
  it('shows one EPCIS capture in every service it crossed, under the caller’s trace id', async () => {
    const { traceId, callerSpanId, traceparent } = callerContext();
    const document = newCaptureDocument();
    const response = await fetch(`${traced.gatewayUrl}/epcis/capture`, {
      method: 'POST',
      headers: { 'content-type': 'application/ld+json', traceparent, ...adminHeaders() },
      body: JSON.stringify(document),
    });
    expect(response.status, await response.clone().text()).toBe(202);
    expect(await response.json()).toMatchObject({ success: true, storedCount: 2 });

    const appendedTopic = /^process epcis\.capture\.stored\.v1$/;
    const spans = await traceOf(
      traceId,
      'the capture’s spans down to its events appended and read for lot receipts',
      (inTrace) =>
        inTrace.some((span) => span.service === 'ledger-anchor' && span.kind === SpanKind.consumer && appendedTopic.test(span.name)) &&
        inTrace.some((span) => span.service === 'decision-engine' && span.kind === SpanKind.consumer && appendedTopic.test(span.name)),
    );

    const { created } = expectRequestPath(spans, callerSpanId, /TraceService\/CaptureDocument/);
    expect(created.name).toBe('create epcis.capture.stored.v1');
    // The document's two events travel in one message, under the one `create` span of its outbox
    // write; the ledger-anchor applies it under a consumer span, child of it (a Kafka batch of several
    // messages gets a span of its own, linked to each). So does the decision-engine, which reads every
    // captured document for lot receipts.
    for (const service of ['ledger-anchor', 'decision-engine']) {
      const consumed = spans.filter((span) => span.service === service && span.kind === SpanKind.consumer);
      expect(consumed, service).toHaveLength(1);
      for (const span of consumed) {
        expect(span.name).toMatch(appendedTopic);
        expect(span.parentSpanId).toBe(created.spanId);
      }
    }
    expectOneTree(spans, callerSpanId);
    // Exactly the services the capture crossed.
    expect([...new Set(spans.map((span) => span.service))].sort()).toEqual(['data-service', 'decision-engine', 'interaction-gateway', 'ledger-anchor']);
    expect(spans.filter((span) => span.statusCode === StatusCode.error)).toEqual([]);
    expect(receiver.rejected).toEqual([]);
  });

  it('follows an archive write to both consumer groups of its topic', async () => {
    const { traceId, callerSpanId, traceparent } = callerContext();
    const response = await fetch(`${traced.gatewayUrl}/v1/merchants`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent, ...adminHeaders() },
      body: JSON.stringify(newMerchant()),
    });
    expect(response.status, await response.clone().text()).toBe(201);

    const spans = await traceOf(traceId, 'spans from all four services', (inTrace) =>
      ['ledger-anchor', 'decision-engine'].every((service) => spanOf(inTrace, service, SpanKind.consumer) !== undefined),
    );
    const { created } = expectRequestPath(spans, callerSpanId, /ArchiveService\/CreateRecord/);
    expect(spanOf(spans, 'ledger-anchor', SpanKind.consumer, /^process /)!.parentSpanId).toBe(created.spanId);
    expect(spanOf(spans, 'decision-engine', SpanKind.consumer, /^process /)!.parentSpanId).toBe(created.spanId);
    expectOneTree(spans, callerSpanId);
    expect(receiver.rejected).toEqual([]);
  });
});

describe('without an OTLP endpoint', () => {
  it('writes no trace context into the events (the test platform runs untraced)', async () => {
    const traceparent = callerContext().traceparent;
    const merchant = await fetch(`${platform.gatewayUrl}/v1/merchants`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent, ...adminHeaders() },
      body: JSON.stringify(newMerchant()),
    });
    expect(merchant.status).toBe(201);
    const { record } = (await merchant.json()) as { record: { id: string } };
    const document = newCaptureDocument();
    const capture = await fetch(`${platform.gatewayUrl}/epcis/capture`, {
      method: 'POST',
      headers: { 'content-type': 'application/ld+json', traceparent, ...adminHeaders() },
      body: JSON.stringify(document),
    });
    expect(capture.status).toBe(202);
    const { captureID: captureId } = (await capture.json()) as { captureID: string };

    const client = new pg.Client({ connectionString: platform.databaseUrl });
    await client.connect();
    try {
      const rows = await client.query<{ headers: Record<string, string> }>(
        `SELECT "headers" FROM "data_service"."outbox"
         WHERE "message_key" = $1 OR ("topic" = 'epcis.capture.stored.v1' AND "message_key" = $2)`,
        [record.id, captureId],
      );
      expect(rows.rows).toHaveLength(2);
      for (const row of rows.rows) expect(Object.keys(row.headers)).not.toContain('traceparent');
    } finally {
      await client.end();
    }
  });
});
