import { credentials, loadPackageDefinition, Metadata, status, type Client, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { PROTO_FILES, PROTO_ROOT } from '@traceport/contracts';
import { eventually, randomGtin, testPlatform } from '@traceport/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scrape } from '../support/prometheus.js';
import { adminMetadata, gatewayFetch } from '../support/gateway-client.js';

// The EPCIS 2.0 REST binding and traceport.v1.TraceService at the gateway of the platform
// `./traceport test` started: capture, query, refusal, retries, versions, trails, and the ledger
// anchoring every captured event.

const platform = testPlatform();
const run = Math.random().toString(36).slice(2, 8);
const GTIN = randomGtin();
const LOT = `L${run}`;
const item = (serial: string) => `https://id.gs1.org/01/${GTIN}/21/${run}-${serial}`;
/** The same item as an EPC URN: a 7-digit company prefix, then indicator digit + item reference. */
const urnItem = (serial: string) => `urn:epc:id:sgtin:${GTIN.slice(1, 8)}.${GTIN[0]}${GTIN.slice(8, 13)}.${run}-${serial}`;
const eventId = (n: number) => `urn:uuid:00000000-0000-4000-8000-${run.padStart(6, '0')}${String(n).padStart(6, '0')}`;

type Callback<T> = (error: ServiceError | null, response?: T) => void;
const loaderOptions = { keepCase: false, longs: Number, enums: String, defaults: true, oneofs: true, includeDirs: [PROTO_ROOT] };
const protos = loadPackageDefinition(loadSync(PROTO_FILES.map((file) => `${PROTO_ROOT}${file}`), loaderOptions)) as unknown as {
  traceport: { v1: { TraceService: new (address: string, creds: ReturnType<typeof credentials.createInsecure>) => Client } };
};
const trace = new protos.traceport.v1.TraceService(platform.gatewayGrpc, credentials.createInsecure()) as unknown as Client &
  Record<string, (request: unknown, metadata: Metadata, callback: Callback<unknown>) => void>;

function call<T>(method: string, request: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    trace[method]!(request, adminMetadata(), (error, response) => (error ? reject(error) : resolve(response as T)));
  });
}

afterAll(() => trace.close());

/**
 * The ledger's counters start at zero with its process while its log persists, and an earlier test
 * file may have restarted it (the fault suite does). So this file counts from a baseline: once the
 * log is quiet, the difference between records counted and log size stays fixed for as long as
 * the process lives, and the epcis.event counter grows by what this file captures.
 */
interface LedgerCounts {
  readonly offset: number;
  readonly epcisEvents: number;
}
async function ledgerCounts(): Promise<LedgerCounts & { treeSize: number }> {
  const metrics = await scrape(`${platform.ledgerUrl}/metrics`);
  const treeSize = metrics.value('traceport_ledger_tree_size');
  return { treeSize, offset: metrics.value('traceport_ledger_records_appended_total') - treeSize, epcisEvents: metrics.value('traceport_ledger_records_appended_total', { record_type: 'epcis.event' }) };
}
let baseline: LedgerCounts;
beforeAll(async () => {
  let previous = await ledgerCounts();
  baseline = await eventually('the ledger quiet before this file captures', async () => {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const current = await ledgerCounts();
    const quiet = current.treeSize === previous.treeSize && current.offset === previous.offset;
    previous = current;
    return quiet ? current : undefined;
  }, 120_000);
});

function documentOf(events: Record<string, unknown>[]): string {
  return JSON.stringify({
    '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld', { ex: 'https://ns.example.com/epcis/' }],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: new Date().toISOString(),
    epcisBody: { eventList: events },
  });
}

const commissioning = {
  type: 'ObjectEvent',
  eventID: eventId(1),
  eventTime: '2026-10-01T08:00:00.000+02:00',
  eventTimeZoneOffset: '+02:00',
  epcList: [item('1'), item('2')],
  action: 'ADD',
  bizStep: 'commissioning',
  disposition: 'active',
  readPoint: { id: 'https://id.gs1.org/414/9506000134307' },
  ilmd: { 'cbvmda:lotNumber': LOT },
  'ex:line': 'L-7',
};
const shipping = {
  type: 'ObjectEvent',
  eventID: eventId(2),
  eventTime: '2026-10-02T08:00:00.000+02:00',
  eventTimeZoneOffset: '+02:00',
  epcList: [urnItem('1'), urnItem('2')],
  action: 'OBSERVE',
  bizStep: 'shipping',
  disposition: 'in_transit',
};
const customsClearance = {
  type: 'ObjectEvent',
  eventID: eventId(3),
  eventTime: '2026-10-05T08:00:00.000+08:00',
  eventTimeZoneOffset: '+08:00',
  quantityList: [{ epcClass: `https://id.gs1.org/01/${GTIN}/10/${LOT}`, quantity: 2, uom: 'EA' }],
  action: 'OBSERVE',
  bizStep: 'inspecting',
  disposition: 'conformant',
};

async function capture(body: string, contentType = 'application/ld+json'): Promise<Response> {
  return gatewayFetch(`/epcis/capture`, { method: 'POST', headers: { 'content-type': contentType }, body });
}

interface CaptureJobJson {
  captureID: string;
  running: boolean;
  success: boolean;
  storedCount: number;
  duplicateCount: number;
  newVersionCount: number;
}
interface QueryDocument {
  type: string;
  epcisBody: { queryResults: { resultsBody: { eventList: { eventID: string; recordTime: string; [key: string]: unknown }[] } } };
}
interface Problem {
  type: string;
  status: number;
  detail: string;
  errors?: { field: string; message: string }[];
}

const eventsOf = (document: QueryDocument) => document.epcisBody.queryResults.resultsBody.eventList;

describe('EPCIS 2.0 REST binding at /epcis', () => {
  let captureLocation = '';

  it('captures a document: 202, a Location, and a finished capture job', async () => {
    const response = await capture(documentOf([commissioning, shipping, customsClearance]));
    expect(response.status).toBe(202);
    const job = (await response.json()) as CaptureJobJson;
    expect(job).toMatchObject({ running: false, success: true, storedCount: 3, duplicateCount: 0 });
    captureLocation = response.headers.get('location') ?? '';
    expect(captureLocation).toBe(`/epcis/capture/${job.captureID}`);
    expect(response.headers.get('gs1-epcis-version')).toBe('2.0.0');
    const again = await gatewayFetch(captureLocation);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ captureID: job.captureID, running: false, success: true, captureErrorBehaviour: 'rollback', errors: [] });
  });

  it('answers queries with an EPCISQueryDocument, whichever identifier form is asked', async () => {
    for (const form of [item('1'), urnItem('1')]) {
      const response = await gatewayFetch(`/epcis/events?MATCH_anyEPC=${encodeURIComponent(form)}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('gs1-cbv-version')).toBe('2.0.0');
      const document = (await response.json()) as QueryDocument;
      expect(document.type).toBe('EPCISQueryDocument');
      expect(eventsOf(document).map((event) => event.eventID)).toEqual([eventId(1), eventId(2)]);
    }
    const window = new URLSearchParams({ eventType: 'ObjectEvent', EQ_bizStep: 'urn:epcglobal:cbv:bizstep:inspecting', GE_eventTime: '2026-10-04T00:00:00Z', LT_eventTime: '2026-10-06T00:00:00Z', EQ_disposition: 'conformant' });
    const byWindow = (await (await gatewayFetch(`/epcis/events?${window.toString()}`)).json()) as QueryDocument;
    expect(eventsOf(byWindow).map((event) => event.eventID)).toContain(eventId(3));
  });

  it('pages through results with nextPageToken and a Link header', async () => {
    const first = await gatewayFetch(`/epcis/events?MATCH_anyEPC=${encodeURIComponent(item('2'))}&perPage=1`);
    expect(eventsOf((await first.json()) as QueryDocument)).toHaveLength(1);
    const link = first.headers.get('link') ?? '';
    expect(link).toMatch(/^<\/epcis\/events\?.*nextPageToken=.+>; rel="next"$/);
    const second = (await (await gatewayFetch(`${link.slice(1, link.indexOf('>'))}`)).json()) as QueryDocument;
    expect(eventsOf(second).map((event) => event.eventID)).toEqual([eventId(2)]);
  });

  it('returns one event by its URL-encoded eventID', async () => {
    const response = await gatewayFetch(`/epcis/events/${encodeURIComponent(eventId(1))}`);
    expect(response.status).toBe(200);
    const [event] = eventsOf((await response.json()) as QueryDocument);
    expect(event).toMatchObject({ eventID: eventId(1), 'ex:line': 'L-7', '@context': [{ ex: 'https://ns.example.com/epcis/' }] });
    const missing = await gatewayFetch(`/epcis/events/${encodeURIComponent('urn:uuid:no-such-event')}`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as Problem).type).toBe('/problems/epcis-event-not-found');
  });

  it('refuses malformed JSON, schema violations, wrong check digits and unknown event types with 400, storing nothing', async () => {
    const marker = item('never');
    const bad = (overrides: Record<string, unknown>) => documentOf([{ ...shipping, eventID: eventId(90), epcList: [marker], ...overrides }]);
    const cases: [string, string, string | undefined][] = [
      ['{"type": "EPCISDocument", "epcisBody": ', '/problems/malformed-json', undefined],
      [bad({ eventTime: 'yesterday' }), '/problems/epcis-schema-violation', '/epcisBody/eventList/0/eventTime'],
      [bad({ epcList: [marker, `https://id.gs1.org/01/${GTIN.slice(0, 13)}${(Number(GTIN[13]) + 1) % 10}/21/x`] }), '/problems/epcis-invalid-identifier', '/epcisBody/eventList/0/epcList/1'],
      [bad({ type: 'ShippingEvent' }), '/problems/epcis-unknown-event-type', '/epcisBody/eventList/0/type'],
      // Only a missing or numeric 2.0 schemaVersion is tolerated (json-ld-form.normalizer.ts); another version is not.
      [JSON.stringify({ ...(JSON.parse(bad({})) as object), schemaVersion: '3.0' }), '/problems/epcis-schema-violation', '/schemaVersion'],
    ];
    for (const [body, type, field] of cases) {
      const response = await capture(body, 'application/json');
      expect(response.status, type).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      const problem = (await response.json()) as Problem;
      expect(problem.type).toBe(type);
      if (field !== undefined) expect(problem.errors?.[0]?.field).toBe(field);
    }
    const stored = (await (await gatewayFetch(`/epcis/events?MATCH_anyEPC=${encodeURIComponent(marker)}`)).json()) as QueryDocument;
    expect(eventsOf(stored)).toEqual([]);
  });

  it('captures a document sent as UTF-16, or as UTF-8 with a byte order mark, as it captures plain UTF-8', async () => {
    // The gateway forwards a UTF-8 body's bytes as they came, and any other form as the parsed value.
    const sent: [Uint8Array, string, number][] = [
      [Buffer.from(`\uFEFF${documentOf([{ ...shipping, eventID: eventId(70), epcList: [item('bom')] }])}`, 'utf8'), 'application/json; charset=utf-8', 70],
      [Buffer.from(documentOf([{ ...shipping, eventID: eventId(71), epcList: [item('utf16')] }]), 'utf16le'), 'application/json; charset=utf-16le', 71],
    ];
    for (const [body, contentType, n] of sent) {
      const response = await gatewayFetch(`/epcis/capture`, { method: 'POST', headers: { 'content-type': contentType }, body });
      expect(response.status, contentType).toBe(202);
      expect((await response.json()) as CaptureJobJson, contentType).toMatchObject({ success: true, storedCount: 1 });
      const found = await gatewayFetch(`/epcis/events/${encodeURIComponent(eventId(n))}`);
      expect(found.status, contentType).toBe(200);
    }
  });

  it('answers 413 problem+json above the 10 MB capture limit', async () => {
    const padding = 'x'.repeat(11 * 1024 * 1024);
    const response = await capture(documentOf([{ ...shipping, 'ex:padding': padding }]));
    expect(response.status).toBe(413);
    expect(((await response.json()) as Problem).type).toBe('/problems/payload-too-large');
  });

  it('stores nothing new for a retried capture, and a new version for a reused eventID with other content', async () => {
    const retry = (await (await capture(documentOf([commissioning, shipping, customsClearance]))).json()) as CaptureJobJson;
    expect(retry).toMatchObject({ storedCount: 0, duplicateCount: 3, newVersionCount: 0 });
    const reused = (await (await capture(documentOf([{ ...customsClearance, disposition: 'non_conformant' }]))).json()) as CaptureJobJson;
    expect(reused).toMatchObject({ storedCount: 0, duplicateCount: 0, newVersionCount: 1 });
    const latest = await gatewayFetch(`/epcis/events/${encodeURIComponent(eventId(3))}`);
    expect(latest.headers.get('traceport-event-versions')).toBe('1,2');
    expect(eventsOf((await latest.json()) as QueryDocument)[0]).toMatchObject({ disposition: 'non_conformant' });
    const first = await gatewayFetch(`/epcis/events/${encodeURIComponent(eventId(3))}?version=1`);
    expect(eventsOf((await first.json()) as QueryDocument)[0]).toMatchObject({ disposition: 'conformant' });
  });
});

describe('lot and item trails', () => {
  it('reads a lot trail in order over REST', async () => {
    const response = await gatewayFetch(`/v1/lots/trail?gtin=${GTIN}&lot=${LOT}`);
    expect(response.status).toBe(200);
    const trail = (await response.json()) as { gtin: string; lot: string; events: { event_id: string; version: number; biz_step: string; event: unknown }[] };
    expect(trail).toMatchObject({ gtin: GTIN, lot: LOT });
    expect(trail.events.map((event) => [event.event_id, event.biz_step])).toEqual([
      [eventId(1), 'https://ref.gs1.org/cbv/BizStep-commissioning'],
      [eventId(2), 'https://ref.gs1.org/cbv/BizStep-shipping'],
      [eventId(3), 'https://ref.gs1.org/cbv/BizStep-inspecting'],
    ]);
    expect(trail.events[2]?.version).toBe(2);
    const bad = await gatewayFetch(`/v1/lots/trail?gtin=12345&lot=${LOT}`);
    expect(bad.status).toBe(400);
  });

  it('reads the same trails over gRPC', async () => {
    const lot = await call<{ gtin: string; events: { eventId: string; eventJson: string }[] }>('GetLotTrail', { gtin: GTIN, lot: LOT });
    expect(lot.events.map((event) => event.eventId)).toEqual([eventId(1), eventId(2), eventId(3)]);
    const unit = await call<{ serial: string; events: { eventId: string }[] }>('GetItemTrail', { gtin: GTIN, serial: `${run}-1` });
    expect(unit.events.map((event) => event.eventId)).toEqual([eventId(1), eventId(2)]);
    const missing = await call('GetItemTrail', { gtin: '123', serial: 'x' }).catch((error: ServiceError) => error);
    expect((missing as ServiceError).code).toBe(status.INVALID_ARGUMENT);
  });

  it('captures and queries over gRPC too', async () => {
    const event = { ...shipping, eventID: eventId(4), eventTime: '2026-10-03T08:00:00.000+02:00', bizStep: 'receiving', disposition: 'in_progress' };
    const job = await call<{ storedCount: number; running: boolean }>('CaptureDocument', { documentJson: documentOf([event]) });
    expect(job).toMatchObject({ storedCount: 1, running: false });
    const found = await call<{ events: { eventId: string }[] }>('QueryEvents', {
      parameters: [
        { name: 'MATCH_epc', value: urnItem('1') },
        { name: 'EQ_bizStep', value: 'receiving' },
      ],
    });
    expect(found.events.map((match) => match.eventId)).toEqual([eventId(4)]);
    const refused = await call('CaptureDocument', { documentJson: '{' }).catch((error: ServiceError) => error);
    expect((refused as ServiceError).code).toBe(status.INVALID_ARGUMENT);
  });
});

describe('anchoring', () => {
  it('anchors every captured event: its proof carries the record the API shows', async () => {
    const shown = await gatewayFetch(`/epcis/events/${encodeURIComponent(eventId(2))}`);
    const recordKey = shown.headers.get('traceport-record-key') ?? '';
    expect(recordKey).toMatch(/^epcis\.event\/[0-9a-f]{64}\/v1$/);
    const event = eventsOf((await shown.json()) as QueryDocument)[0];
    const proof = await eventually('the event appended to the log', async () => {
      const response = await gatewayFetch(`/v1/proofs?record_key=${encodeURIComponent(recordKey)}`);
      return response.status === 200 ? ((await response.json()) as { type: string; record: unknown; proof: { leaf_index: number } }) : undefined;
    });
    expect(proof.type).toBe('epcis.event');
    expect(proof.record).toEqual(event);
  });

  it('counts the records it appends, by record type, in step with the log', async () => {
    // Once the ledger has caught up, every leaf appended since the baseline was counted once: the
    // difference between records counted and log size is what it was.
    const counted = await eventually('every appended record counted', async () => {
      const current = await ledgerCounts();
      return current.offset === baseline.offset ? current : undefined;
    });
    // This file stored five event versions: three, a new version of one, and one over gRPC.
    expect(counted.epcisEvents - baseline.epcisEvents).toBeGreaterThanOrEqual(5);
  });
});
