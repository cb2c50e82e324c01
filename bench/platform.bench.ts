// `./traceport bench platform`: the running platform, measured from the outside on a profile of its
// own (ports +20000, database traceport_bench, a fresh broker and chain), with the defaults a
// deployment gets (heads sealed every 2 s or 1,000 records).
import { credentials, loadPackageDefinition, type Client } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { archiveRecordVersionedV1, createCloudEvent, PROTO_FILES, PROTO_ROOT, recordKeyOf, toKafkaRecord } from '@traceport/contracts';
import { execFileSync } from 'node:child_process';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { gatewayFetch } from '../deploy/local/cli/admin-key.ts';
import { startPlatform, stopPlatform } from '../deploy/local/cli/platform.ts';
import { gatewayUrl, loadProfile, type Profile } from '../deploy/local/cli/profile.ts';
import { readState } from '../deploy/local/cli/state.ts';

export interface Table {
  readonly name: string;
  readonly header: string[];
  readonly rows: string[][];
}

const KAFKA_RECORDS = 50_000;
const REST_PRODUCTS = 1_000;
const PROOF_LOOKUPS = 2_000;

const ms = (value: number) => value.toFixed(value < 10 ? 2 : 0);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function gtinOf(n: number): string {
  const body = `09507${String(n).padStart(8, '0')}`;
  let sum = 0;
  for (let position = 0; position < body.length; position += 1) sum += Number(body[body.length - 1 - position]) * (position % 2 === 0 ? 3 : 1);
  return `${body}${(10 - (sum % 10)) % 10}`;
}

async function idleMemory(profile: Profile): Promise<Table> {
  await new Promise((resolve) => setTimeout(resolve, 15_000));
  const state = readState(profile.stateFile)!;
  const rows = Object.values(state.processes).map((record) => {
    const rssKb = Number(execFileSync('ps', ['-o', 'rss=', '-p', String(record.pid)], { encoding: 'utf8' }).trim());
    return [record.name, (rssKb / 1024).toFixed(0)];
  });
  const total = rows.reduce((sum, row) => sum + Number(row[1]), 0);
  return { name: 'idle memory, 15 s after ready (RSS)', header: ['process', 'MiB'], rows: [...rows, ['total', String(total)]] };
}

async function kafkaThroughput(profile: Profile, database: pg.Client): Promise<Table> {
  const kafka = new Kafka({ clientId: 'bench', brokers: [profile.kafkaBrokers], logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const before = Number((await database.query(`SELECT "tree_size" FROM "ledger"."log_state"`)).rows[0].tree_size);
  const messages = Array.from({ length: KAFKA_RECORDS }, (_, n) => {
    const id = crypto.randomUUID();
    const recordKey = recordKeyOf('archive.product', id, 1);
    const record = { id, version: 1, gtin: gtinOf(n), name: `Bench item ${n}`, brandId: id, category: 'bench', hsCode: '040900', originCountry: 'NZ', recordedAt: new Date().toISOString() };
    return toKafkaRecord(createCloudEvent({ type: archiveRecordVersionedV1.type, source: '/bench', subject: recordKey, data: { recordType: 'archive.product', recordKey, record } }), id);
  });
  const started = performance.now();
  for (let offset = 0; offset < messages.length; offset += 2_000) {
    await producer.send({ topic: archiveRecordVersionedV1.topic, acks: -1, messages: messages.slice(offset, offset + 2_000).map((message) => ({ ...message })) });
  }
  const published = performance.now();
  let size = before;
  while (size < before + KAFKA_RECORDS) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    size = Number((await database.query(`SELECT "tree_size" FROM "ledger"."log_state"`)).rows[0].tree_size);
  }
  const appended = performance.now();
  let anchored = before;
  while (anchored < before + KAFKA_RECORDS) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    anchored = Number((await database.query(`SELECT coalesce(max("tree_size"), 0) AS s FROM "ledger"."heads" WHERE "status" = 'anchored'`)).rows[0].s);
  }
  const done = performance.now();
  await producer.disconnect();
  const seconds = (appended - started) / 1000;
  return {
    name: `${KAFKA_RECORDS.toLocaleString('en')} anchorable records published to Kafka, appended by the ledger-anchor`,
    header: ['measure', 'value'],
    rows: [
      ['publish (kafkajs, batches of 2,000)', `${ms(published - started)} ms`],
      ['appended records/s, first publish to last leaf', `${Math.round(KAFKA_RECORDS / seconds).toLocaleString('en')}`],
      ['last leaf to its head anchored on chain', `${ms(done - appended)} ms`],
    ],
  };
}

async function restLatency(profile: Profile, database: pg.Client): Promise<Table> {
  const base = gatewayUrl(profile);
  const post = async (collection: string, fields: Record<string, unknown>) => {
    const response = await gatewayFetch(`${base}/v1/${collection}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fields) });
    if (response.status !== 201) throw new Error(`creating a ${collection} record answered ${response.status}: ${await response.text()}`);
    return ((await response.json()) as { record: { id: string } }).record.id;
  };
  const merchantId = await post('merchants', { legalName: 'Bench Importer Ltd.', country: 'CN', registrationNumber: 'BENCH-0001' });
  const brandId = await post('brands', { name: 'Bench', ownerMerchantId: merchantId });
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < REST_PRODUCTS) {
      const n = KAFKA_RECORDS + next++;
      const response = await gatewayFetch(`${base}/v1/products`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ gtin: gtinOf(n), name: `REST item ${n}`, brandId, category: 'bench', hsCode: '040900', originCountry: 'NZ' }),
      });
      if (response.status !== 201) throw new Error(`registration answered ${response.status}: ${await response.text()}`);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  const elapsed = performance.now() - started;
  // Capture → anchored for each product: registered_at (data-service) to the anchoring of the first
  // head that covers its leaf (ledger), read from the two schemas once everything is anchored.
  const query = `
    WITH latencies AS (
      SELECT extract(epoch FROM (h."anchored_at" - p."recorded_at")) * 1000 AS ms
      FROM "data_service"."archive_records" p
      JOIN "ledger"."leaves" l ON l."record_key" = 'archive.product/' || p."id" || '/v1'
      JOIN LATERAL (SELECT "anchored_at" FROM "ledger"."heads" h WHERE h."status" = 'anchored' AND h."tree_size" > l."leaf_index"
                    ORDER BY h."tree_size" LIMIT 1) h ON true
      WHERE p."record_type" = 'archive.product' AND p."record"->>'brandId' = $1)
    SELECT count(*)::int AS n, percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY ms) AS p FROM latencies`;
  let result = (await database.query(query, [brandId])).rows[0] as { n: number; p: number[] | null };
  const deadline = Date.now() + 60_000;
  while (result.n < REST_PRODUCTS && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    result = (await database.query(query, [brandId])).rows[0] as { n: number; p: number[] | null };
  }
  const [p50, p95, p99] = result.p ?? [NaN, NaN, NaN];
  return {
    name: `${REST_PRODUCTS.toLocaleString('en')} products registered over REST (16 concurrent clients)`,
    header: ['measure', 'value'],
    rows: [
      ['registrations/s through the gateway', `${Math.round(REST_PRODUCTS / (elapsed / 1000))}`],
      ['capture to anchored head, p50', `${ms(p50!)} ms`],
      ['capture to anchored head, p95', `${ms(p95!)} ms`],
      ['capture to anchored head, p99', `${ms(p99!)} ms`],
    ],
  };
}

async function proofLookups(profile: Profile, database: pg.Client): Promise<Table> {
  const keys = (await database.query(`SELECT "record_key" FROM "ledger"."leaves" ORDER BY random() LIMIT $1`, [PROOF_LOOKUPS])).rows.map(
    (row: { record_key: string }) => row.record_key,
  );
  const base = gatewayUrl(profile);
  const overRest: number[] = [];
  for (const key of keys) {
    const started = performance.now();
    const response = await gatewayFetch(`${base}/v1/proofs?record_key=${encodeURIComponent(key)}`);
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`proof lookup answered ${response.status}`);
    overRest.push(performance.now() - started);
  }
  // The ledger's own lookup, as the gateway (or any gRPC client) calls it.
  const definition = loadPackageDefinition(loadSync(PROTO_FILES.map((file) => `${PROTO_ROOT}${file}`), { includeDirs: [PROTO_ROOT], longs: Number })) as unknown as {
    traceport: { v1: { LedgerService: new (address: string, creds: ReturnType<typeof credentials.createInsecure>) => Client } };
  };
  const ledger = new definition.traceport.v1.LedgerService(`127.0.0.1:${profile.ports.ledgerGrpc}`, credentials.createInsecure()) as Client & {
    GetRecordProof(request: { recordKey: string }, callback: (error: Error | null) => void): void;
  };
  const overGrpc: number[] = [];
  for (const key of keys) {
    const started = performance.now();
    await new Promise<void>((resolve, reject) => ledger.GetRecordProof({ recordKey: key }, (error) => (error ? reject(error) : resolve())));
    overGrpc.push(performance.now() - started);
  }
  ledger.close();
  overRest.sort((a, b) => a - b);
  overGrpc.sort((a, b) => a - b);
  const size = Number((await database.query(`SELECT "tree_size" FROM "ledger"."log_state"`)).rows[0].tree_size);
  return {
    name: `proof lookups, ${keys.length.toLocaleString('en')} random records of ${size.toLocaleString('en')}, one client`,
    header: ['path', 'p50', 'p95', 'p99'],
    rows: [
      ['REST: gateway → gRPC → ledger-anchor', ...[50, 95, 99].map((p) => `${ms(percentile(overRest, p))} ms`)],
      ['gRPC: ledger-anchor LedgerService.GetRecordProof', ...[50, 95, 99].map((p) => `${ms(percentile(overGrpc, p))} ms`)],
    ],
  };
}

export const benchmarks = {
  title: 'Platform: start, memory, throughput and latency end to end',
  run: async (): Promise<Table[]> => {
    const profile = loadProfile('bench', new URL('..', import.meta.url).pathname.replace(/\/$/, ''));
    await stopPlatform(profile);
    const started = performance.now();
    await startPlatform(profile, { fresh: true });
    const ready = performance.now() - started;
    const database = new pg.Client({ connectionString: profile.databaseUrl });
    await database.connect();
    try {
      const memory = await idleMemory(profile);
      const start: Table = { name: 'start', header: ['measure', 'value'], rows: [['fresh platform to every service ready (build warm)', `${(ready / 1000).toFixed(1)} s`]] };
      return [start, memory, await kafkaThroughput(profile, database), await restLatency(profile, database), await proofLookups(profile, database)];
    } finally {
      await database.end();
      await stopPlatform(profile);
    }
  },
};
