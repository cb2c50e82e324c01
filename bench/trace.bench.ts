// `./traceport bench trace`: trace forward from a factory over a synthetic history of 1,000 lots and
// 1,000,000 items with aggregation (items in cases of 24, cases on pallets of 40, pallets shipped
// from the factory and received at five warehouses), to the full affected set: exact counts of
// lots, items, containers and locations, the first page of items, and the graph. The goal (issue 10)
// is under 1 s. It runs the data layer's own TraceForwardService, built, against a fresh database
// on the bench profile's PostgreSQL server, loaded with set-based SQL straight into the tables the
// capture and the trace graph consumer fill; the platform itself is not started.
import { cpus, loadavg } from 'node:os';
import pg from 'pg';
import type { DataSource } from 'typeorm';
// The built data layer, as the service runs it. The data-source factory is imported from its own
// module: the lib's index also declares Nest modules, whose sources this type-stripped check refuses.
import { DATA_SERVICE_MIGRATIONS } from '../apps/data-service/dist/database/migrations/index.js';
import { TraceBackService } from '../apps/data-service/dist/trace/trace-back.service.js';
import { TraceForwardService } from '../apps/data-service/dist/trace/trace-forward.service.js';
import { CONTAINERS_FROM_TRAILS, LOCATIONS_FROM_TRAILS, LOCATIONS_GROUPING } from '../apps/data-service/dist/trace/trace-graph.recorder.js';
import { encodePageToken } from '../apps/data-service/dist/trace/trace-request.js';
import { loadProfile } from '../deploy/local/cli/profile.ts';
import { openServiceDataSource } from '../libs/database/dist/data-source.factory.js';
import type { Table } from './epcis.bench.ts';

const LOTS = 1_000;
const ITEMS_PER_LOT = 1_000;
const PRODUCTS = 10;
const ITEMS_PER_CASE = 24;
const CASES_PER_PALLET = 40;
const WAREHOUSES = 5;
/** Items per commissioning event: a line reports a batch at a time. */
const ITEMS_PER_COMMISSIONING = 25;
const RUNS = 11;
const GOAL_MS = 1_000;
const DATABASE = 'traceport_bench_trace';
const FACTORY_ID = '10000000-0000-4000-8000-000000000001';

const progress = (message: string) => process.stderr.write(`  trace bench: ${message}\n`);
const ms = (value: number) => value.toFixed(value < 10 ? 1 : 0);
const count = (value: number) => value.toLocaleString('en');

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

function gs1CheckDigit(body: string): number {
  let sum = 0;
  for (let position = 0; position < body.length; position += 1) sum += Number(body[body.length - 1 - position]) * (position % 2 === 0 ? 3 : 1);
  return (10 - (sum % 10)) % 10;
}
const withCheck = (body: string) => `${body}${gs1CheckDigit(body)}`;

/**
 * The history, as capture and the trace graph consumer would have stored it: archive records
 * (the factory, its products, its lots), identity issuances, the EPCIS events (commissioning with
 * the lot in the ILMD, packing into cases and onto pallets, shipping, receiving) with their trail
 * links, item lots and current containment, and the trace graph's tables.
 */
function loadStatements(gtins: readonly string[]): { what: string; sql: string; params?: unknown[] }[] {
  const sscc = (extension: number, n: string) => `pg_temp.gs1('${extension}950600' || lpad((${n})::text, 10, '0'))`;
  const factoryGln = withCheck('950600000001');
  const warehouseGln = (n: string) => `pg_temp.gs1('9506001' || lpad((${n})::text, 5, '0'))`;
  const dl = (ai: string, key: string) => `'https://id.gs1.org/${ai}/' || ${key}`;
  const event = (seq: string, type: string, time: string, action: string, bizStep: string, location: string, epcs: string, anyEpcs: string) =>
    `SELECT ${seq}, 'urn:uuid:' || gen_random_uuid(), 1, true, 'ni:///sha-256;' || md5(${seq}::text), 'ni:///sha-256;' || md5(${seq}::text),
       'epcis.event:' || md5(${seq}::text) || ':1', '20000000-0000-4000-8000-000000000001'::uuid, '${type}', ${time}, now(), '${action}',
       'https://ref.gs1.org/cbv/BizStep-${bizStep}', NULL, ${location}, ${location}, ${epcs}, ${anyEpcs}, '{}'::text[],
       jsonb_build_object('type', '${type}', 'eventTime', ${time}, 'action', '${action}', 'bizStep', '${bizStep}')`;
  const columns = `("seq", "event_id", "version", "latest", "event_hash", "content_digest", "record_key", "capture_id", "event_type", "event_time",
    "record_time", "action", "biz_step", "disposition", "read_point", "biz_location", "epcs", "any_epcs", "epc_classes", "body")`;
  const seq = {
    commissioning: (n: string) => `(1 + (${n}) / ${ITEMS_PER_COMMISSIONING})`,
    casePacking: (caseNumber: string) => `(100001 + ${caseNumber})`,
    palletPacking: (pallet: string) => `(200001 + ${pallet})`,
    shipping: (pallet: string) => `(300001 + ${pallet})`,
    receiving: (pallet: string) => `(400001 + ${pallet})`,
  };
  return [
    {
      what: 'helpers',
      sql: `CREATE FUNCTION pg_temp.gs1(body text) RETURNS text IMMUTABLE LANGUAGE sql AS $$
        SELECT body || ((10 - sum(substr(body, length(body) - i, 1)::int * CASE WHEN i % 2 = 0 THEN 3 ELSE 1 END) % 10) % 10)::text
        FROM generate_series(0, length(body) - 1) AS i $$`,
    },
    {
      what: 'lots',
      sql: `CREATE TEMP TABLE lots AS SELECT l AS "n", ($1::text[])[l / ${LOTS / PRODUCTS} + 1] AS "gtin", 'L' || lpad(l::text, 4, '0') AS "lot",
        ('10000000-0000-4000-8002-' || lpad(l::text, 12, '0'))::uuid AS "id", ('10000000-0000-4000-8001-' || lpad((l / ${LOTS / PRODUCTS})::text, 12, '0')) AS "product_id",
        date '2026-01-01' + (l % 365) AS "produced" FROM generate_series(0, ${LOTS - 1}) AS l`,
      params: [gtins],
    },
    {
      what: 'items',
      sql: `CREATE TEMP TABLE items AS SELECT i."n", i."n" / ${ITEMS_PER_LOT} AS "lot_n", i."n" / ${ITEMS_PER_CASE} AS "case_n", i."n" / ${ITEMS_PER_CASE * CASES_PER_PALLET} AS "pallet_n",
        l."gtin", l."lot", s."serial", 'https://id.gs1.org/01/' || l."gtin" || '/21/' || s."serial" AS "uri"
        FROM generate_series(0, ${LOTS * ITEMS_PER_LOT - 1}) AS i ("n") JOIN lots l ON l."n" = i."n" / ${ITEMS_PER_LOT}
        CROSS JOIN LATERAL (SELECT substr(md5('item' || i."n"), 1, 12) AS "serial") AS s`,
    },
    {
      what: 'case and pallet numbers',
      sql: `CREATE TEMP TABLE cases AS SELECT k AS "case_n", k / ${CASES_PER_PALLET} AS "pallet_n", ${sscc(0, 'k')} AS "sscc"
        FROM generate_series(0, ${Math.ceil((LOTS * ITEMS_PER_LOT) / ITEMS_PER_CASE) - 1}) AS k;
        CREATE TEMP TABLE pallets AS SELECT p AS "pallet_n", ${sscc(1, 'p')} AS "sscc"
        FROM generate_series(0, ${Math.ceil((LOTS * ITEMS_PER_LOT) / (ITEMS_PER_CASE * CASES_PER_PALLET)) - 1}) AS p`,
    },
    {
      what: 'archive: factory, products, lots',
      sql: `INSERT INTO "data_service"."archive_records" ("record_type", "id", "version", "record", "recorded_at")
        SELECT 'archive.factory', '${FACTORY_ID}', 1, jsonb_build_object('id', '${FACTORY_ID}', 'version', 1, 'name', 'Bench Dairy', 'country', 'NZ', 'address', '1 Bench Road',
          'gln', '${factoryGln}', 'certifications', jsonb_build_array(jsonb_build_object('type', 'ISO 9001', 'issuer', 'BSI', 'number', 'Q-1', 'validFrom', '2025-01-01', 'validTo', '2099-12-31'))), now()
        UNION ALL
        SELECT DISTINCT 'archive.product', "product_id"::uuid, 1, jsonb_build_object('id', "product_id", 'version', 1, 'gtin', "gtin", 'name', 'Bench product ' || "gtin",
          'factoryId', '${FACTORY_ID}', 'category', 'dairy', 'hsCode', '040221', 'originCountry', 'NZ'), now() FROM lots
        UNION ALL
        SELECT 'archive.lot', "id", 1, jsonb_build_object('id', "id", 'version', 1, 'productId', "product_id", 'lotNumber', "lot", 'quantity', ${ITEMS_PER_LOT},
          'productionDate', to_char("produced", 'YYYY-MM-DD'), 'expiryDate', to_char("produced" + 730, 'YYYY-MM-DD')), now() FROM lots`,
    },
    {
      what: 'identity issuances',
      sql: `INSERT INTO "data_service"."identity_issuances" ("id", "lot_id", "lot_version", "gtin", "lot_number", "quantity", "status", "issued", "serials_root", "record")
        SELECT gen_random_uuid(), "id", 1, "gtin", "lot", ${ITEMS_PER_LOT}, 'succeeded', ${ITEMS_PER_LOT}, decode(md5("lot") || md5("lot"), 'hex'), '{}' FROM lots`,
    },
    {
      what: 'capture job',
      sql: `INSERT INTO "data_service"."epcis_capture_jobs" VALUES ('20000000-0000-4000-8000-000000000001', now(), now(), false, true, 'rollback', '[]', 0, 0, 0, 0)`,
    },
    {
      what: 'events: commissioning',
      sql: `INSERT INTO "data_service"."epcis_events" ${columns}
        ${event('c."seq"', 'ObjectEvent', `(timestamptz '2026-01-01' + c."seq" * interval '1 minute')`, 'ADD', 'commissioning', `'https://id.gs1.org/414/${factoryGln}'`, 'c."uris"', 'c."uris"')}
        FROM (SELECT ${seq.commissioning('"n"')} AS "seq", array_agg("uri" ORDER BY "n") AS "uris" FROM items GROUP BY 1) AS c`,
    },
    {
      what: 'events: packing into cases',
      sql: `INSERT INTO "data_service"."epcis_events" ${columns}
        ${event('c."seq"', 'AggregationEvent', `(timestamptz '2026-03-01' + c."seq" * interval '1 second')`, 'ADD', 'packing', `'https://id.gs1.org/414/${factoryGln}'`, 'c."uris"', `array_append(c."uris", ${dl('00', 'c."sscc"')})`)}
        FROM (SELECT ${seq.casePacking('i."case_n"')} AS "seq", k."sscc", array_agg(i."uri" ORDER BY i."n") AS "uris" FROM items i JOIN cases k USING ("case_n") GROUP BY 1, 2) AS c`,
    },
    {
      what: 'events: packing onto pallets, shipping, receiving',
      sql: `INSERT INTO "data_service"."epcis_events" ${columns}
        ${event('p."seq"', 'AggregationEvent', `(timestamptz '2026-04-01' + p."pallet_n" * interval '1 minute')`, 'ADD', 'packing', `'https://id.gs1.org/414/${factoryGln}'`, 'p."cases"', `array_append(p."cases", ${dl('00', 'p."sscc"')})`)}
        FROM (SELECT ${seq.palletPacking('k."pallet_n"')} AS "seq", k."pallet_n", p."sscc", array_agg(${dl('00', 'k."sscc"')} ORDER BY k."case_n") AS "cases"
              FROM cases k JOIN pallets p USING ("pallet_n") GROUP BY 1, 2, 3) AS p
        UNION ALL
        ${event(seq.shipping('p."pallet_n"'), 'ObjectEvent', `(timestamptz '2026-04-02' + p."pallet_n" * interval '1 minute')`, 'OBSERVE', 'shipping', `'https://id.gs1.org/414/${factoryGln}'`, `ARRAY[${dl('00', 'p."sscc"')}]`, `ARRAY[${dl('00', 'p."sscc"')}]`)}
        FROM pallets p
        UNION ALL
        ${event(seq.receiving('p."pallet_n"'), 'ObjectEvent', `(timestamptz '2026-04-20' + p."pallet_n" * interval '1 minute')`, 'OBSERVE', 'receiving', `${dl('414', warehouseGln(`p."pallet_n" % ${WAREHOUSES}`))}`, `ARRAY[${dl('00', 'p."sscc"')}]`, `ARRAY[${dl('00', 'p."sscc"')}]`)}
        FROM pallets p`,
    },
    { what: 'event sequence', sql: `SELECT setval('"data_service"."epcis_events_seq_seq"', 1000000)` },
    { what: 'item lots', sql: `INSERT INTO "data_service"."epcis_item_lots" ("gtin", "serial", "lot") SELECT "gtin", "serial", "lot" FROM items` },
    {
      what: 'item trail links (5 per item)',
      sql: `INSERT INTO "data_service"."epcis_item_links" ("gtin", "serial", "event_seq")
        SELECT i."gtin", i."serial", s."seq" FROM items i
        CROSS JOIN LATERAL (VALUES (${seq.commissioning('i."n"')}), (${seq.casePacking('i."case_n"')}), (${seq.palletPacking('i."pallet_n"')}),
          (${seq.shipping('i."pallet_n"')}), (${seq.receiving('i."pallet_n"')})) AS s ("seq")`,
    },
    {
      what: 'lot trail links',
      sql: `INSERT INTO "data_service"."epcis_lot_links" ("gtin", "lot", "event_seq")
        SELECT DISTINCT i."gtin", i."lot", s."seq" FROM items i
        CROSS JOIN LATERAL (VALUES (${seq.commissioning('i."n"')}), (${seq.casePacking('i."case_n"')}), (${seq.palletPacking('i."pallet_n"')}),
          (${seq.shipping('i."pallet_n"')}), (${seq.receiving('i."pallet_n"')})) AS s ("seq")`,
    },
    {
      what: 'containment today',
      sql: `INSERT INTO "data_service"."epcis_containment" ("parent", "child")
        SELECT ${dl('00', 'k."sscc"')}, i."uri" FROM items i JOIN cases k USING ("case_n")
        UNION ALL SELECT ${dl('00', 'p."sscc"')}, ${dl('00', 'k."sscc"')} FROM cases k JOIN pallets p USING ("pallet_n")`,
    },
    {
      what: 'trace graph: aggregation history',
      sql: `INSERT INTO "data_service"."trace_aggregations" ("event_seq", "parent", "child", "child_gtin", "child_lot", "child_serial")
        SELECT ${seq.casePacking('i."case_n"')}, ${dl('00', 'k."sscc"')}, i."uri", i."gtin", NULL, i."serial" FROM items i JOIN cases k USING ("case_n")
        UNION ALL
        SELECT ${seq.palletPacking('k."pallet_n"')}, ${dl('00', 'p."sscc"')}, ${dl('00', 'k."sscc"')}, NULL, NULL, NULL FROM cases k JOIN pallets p USING ("pallet_n")`,
    },
    { what: 'trace graph: containers per lot', sql: CONTAINERS_FROM_TRAILS },
    { what: 'trace graph: locations per lot', sql: `${LOCATIONS_FROM_TRAILS} ${LOCATIONS_GROUPING}` },
    { what: 'vacuum analyze', sql: `VACUUM ANALYZE` },
  ];
}

async function administer(baseUrl: string, statements: readonly string[]): Promise<void> {
  const admin = new URL(baseUrl);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    for (const statement of statements) await client.query(statement);
  } finally {
    await client.end();
  }
}

async function freshDatabase(baseUrl: string): Promise<string> {
  await administer(baseUrl, [`DROP DATABASE IF EXISTS "${DATABASE}" WITH (FORCE)`, `CREATE DATABASE "${DATABASE}"`]);
  const url = new URL(baseUrl);
  url.pathname = `/${DATABASE}`;
  return url.toString();
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const started = performance.now();
  const result = await work();
  return { ms: performance.now() - started, result };
}

async function repeat(runs: number, work: () => Promise<unknown>): Promise<number[]> {
  await work(); // warm-up: the plan cache and the buffer cache, as on a running service
  const samples: number[] = [];
  for (let run = 0; run < runs; run += 1) samples.push((await timed(work)).ms);
  return samples.sort((a, b) => a - b);
}

const summary = (samples: readonly number[]) => `${ms(percentile(samples, 50))} / ${ms(percentile(samples, 95))} / ${ms(samples.at(-1)!)} ms`;

export const benchmarks = {
  title: 'Trace forward: a factory to its full affected set (1,000 lots, 1,000,000 items)',
  run: async (): Promise<Table[]> => {
    const profile = loadProfile('bench', new URL('..', import.meta.url).pathname.replace(/\/$/, ''));
    const url = await freshDatabase(profile.databaseUrl);
    let dataSource: DataSource | undefined;
    const loader = new pg.Client({ connectionString: url });
    try {
      progress(`migrating ${DATABASE}`);
      dataSource = await openServiceDataSource({ url, schema: 'data_service', applicationName: 'trace-bench', entities: [], migrations: DATA_SERVICE_MIGRATIONS, poolMax: 10 });
      await loader.connect();
      await loader.query(`SET work_mem = '256MB'`);
      await loader.query(`SET maintenance_work_mem = '512MB'`);
      const gtins = Array.from({ length: PRODUCTS }, (_, n) => withCheck(`09506000${String(n + 10).padStart(5, '0')}`));
      const loadStarted = performance.now();
      for (const statement of loadStatements(gtins)) {
        const { ms: took } = await timed(() => loader.query(statement.sql, statement.params));
        progress(`loaded ${statement.what} in ${(took / 1000).toFixed(1)} s`);
      }
      const loadSeconds = (performance.now() - loadStarted) / 1000;
      const sizes = (
        await loader.query(
          `SELECT (SELECT count(*) FROM data_service.epcis_events)::int AS events, (SELECT count(*) FROM data_service.epcis_item_links)::int AS item_links,
             (SELECT count(*) FROM data_service.trace_lot_containers)::int AS lot_containers, pg_size_pretty(pg_database_size(current_database())) AS size`,
        )
      ).rows[0] as { events: number; item_links: number; lot_containers: number; size: string };

      const forward = new TraceForwardService(dataSource);
      const back = new TraceBackService(dataSource);
      const scope = { factoryId: FACTORY_ID };
      progress(`timing trace forward from the factory, ${RUNS} runs after a warm-up`);
      const trace = await forward.traceForward({ ...scope, pageSize: 100 });
      const expected = { lots: LOTS, items: LOTS * ITEMS_PER_LOT, containers: Math.ceil((LOTS * ITEMS_PER_LOT) / ITEMS_PER_CASE) + Math.ceil((LOTS * ITEMS_PER_LOT) / (ITEMS_PER_CASE * CASES_PER_PALLET)), locations: 1 + WAREHOUSES };
      const found = { lots: trace.counts.lots, items: trace.counts.items, containers: trace.counts.containers, locations: trace.counts.locations };
      if (JSON.stringify(found) !== JSON.stringify(expected)) throw new Error(`trace forward found ${JSON.stringify(found)}, not ${JSON.stringify(expected)}`);
      const loadBefore = loadavg()[0]!;
      const forwardMs = await repeat(RUNS, () => forward.traceForward({ ...scope, pageSize: 100 }));

      progress('timing a page of 1,000 affected items in the middle of the set, and trace back from one item');
      const middle = await dataSource.query(`SELECT "gtin"::text AS "gtin", "lot", "serial" FROM "data_service"."epcis_item_lots" WHERE "lot" = 'L0500' ORDER BY "serial" LIMIT 1 OFFSET 500`);
      const token = encodePageToken({ kind: 'factory', factoryId: FACTORY_ID, window: null }, middle[0] as { gtin: string; lot: string; serial: string });
      const pageMs = await repeat(RUNS, () => forward.listAffectedItems({ ...scope, pageSize: 1_000, pageToken: token }));
      const backMs = await repeat(RUNS, () => back.traceBack({ gtin: (middle[0] as { gtin: string }).gtin, serial: (middle[0] as { serial: string }).serial }));

      const loadAfter = loadavg()[0]!;
      const p50 = percentile(forwardMs, 50);
      return [
        {
          name: `Trace forward from one factory: ${count(LOTS)} lots of ${count(ITEMS_PER_LOT)} items, cases of ${ITEMS_PER_CASE}, pallets of ${CASES_PER_PALLET} cases, ${WAREHOUSES} warehouses`,
          header: ['measure', 'value'],
          rows: [
            [`trace forward to the full affected set, p50 / p95 / max (${RUNS} runs)`, summary(forwardMs)],
            [`goal < ${count(GOAL_MS)} ms (p50)`, p50 < GOAL_MS ? 'met' : 'not met'],
            ['affected set (exact counts)', `${count(trace.counts.lots)} lots, ${count(trace.counts.items)} items, ${count(trace.counts.containers)} containers, ${count(trace.counts.locations)} locations`],
            ['first page, graph', `${trace.items.length} items; ${count(trace.graph.nodes.length)} nodes, ${count(trace.graph.edges.length)} edges (items and containers grouped per lot)`],
            [`a page of 1,000 items from the middle (lot 500 of 1,000), p50 / p95 / max`, summary(pageMs)],
            ['trace back from one item (lot, product, factory, certifications, containers, events), p50 / p95 / max', summary(backMs)],
            ['history loaded', `${count(sizes.events)} events, ${count(sizes.item_links)} item trail links, ${count(sizes.lot_containers)} lot-container rows; ${sizes.size}; ${(loadSeconds / 60).toFixed(1)} min`],
          ],
          notes: [
            'Measured: TraceForwardService.traceForward in-process (the data layer’s gRPC handler without the wire), from the factory id to the response: the lots of its products, transformation outputs (none here), the containers its lots reached and what shared them, exact item counts per lot (an index-only count over the million), the locations, the first page of 100 items and the aggregated graph.',
            `Not measured: the gRPC hop and the gateway's JSON (the response is ${count(JSON.stringify(trace).length)} bytes), and loading the history, which the capture and the trace graph consumer do as events arrive.`,
            `PostgreSQL 15 on this machine (${cpus().length} cores, shared with everything else running: 1-minute load average ${loadBefore.toFixed(1)} before the trace forward runs, ${loadAfter.toFixed(1)} after), default settings; the database is vacuumed and analysed after the load, and each timing follows one warm-up run.`,
          ],
        },
      ];
    } finally {
      await loader.end().catch(() => undefined);
      await dataSource?.destroy();
      // Two gigabytes: not left behind between runs.
      await administer(profile.databaseUrl, [`DROP DATABASE IF EXISTS "${DATABASE}" WITH (FORCE)`]);
    }
  },
};
