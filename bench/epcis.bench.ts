// `./traceport bench epcis`: EPCIS 2.0 capture through the gateway's REST binding, on the platform
// started on the bench profile (its own ports, database and broker): sustained capture throughput
// with 100-event documents from several concurrent clients, the latency of a capture, the latency
// from its 202 to its events being queryable, and how long the ledger takes to append them all —
// and, on Linux, where the machine's CPU went while it did, process by process.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import pg from 'pg';
import { gatewayFetch } from '../deploy/local/cli/admin-key.ts';
import { startPlatform, stopPlatform } from '../deploy/local/cli/platform.ts';
import { gatewayUrl, loadProfile, type Profile } from '../deploy/local/cli/profile.ts';
import { readState } from '../deploy/local/cli/state.ts';

export interface Table {
  readonly name: string;
  readonly header: string[];
  readonly rows: string[][];
  readonly notes?: string[];
}

const EVENTS_PER_DOCUMENT = 100;
const DOCUMENTS = 1_000; // 100,000 events
const WARM_UP_DOCUMENTS = 100;
const CLIENTS = 8;
/** Every this many documents, a client also measures 202 → queryable. */
const PROBE_EVERY = 5;
const GOAL_EVENTS_PER_SECOND = 5_000;

const ms = (value: number) => value.toFixed(value < 10 ? 1 : 0);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

function withCheckDigit(body: string): string {
  let sum = 0;
  for (let position = 0; position < body.length; position += 1) sum += Number(body[body.length - 1 - position]) * (position % 2 === 0 ? 3 : 1);
  return `${body}${(10 - (sum % 10)) % 10}`;
}

const BIZ_STEPS = [
  ['commissioning', 'active'],
  ['packing', 'in_progress'],
  ['shipping', 'in_transit'],
  ['receiving', 'in_progress'],
  ['inspecting', 'conformant'],
] as const;

/**
 * A document of 100 ObjectEvents as a factory line and the bonded warehouse would report them: each
 * names two serialised units (Digital Link on even documents, EPC URN on odd ones), a read point, a
 * business location, a business transaction, and — for commissioning — the lot in the ILMD.
 */
function documentOf(run: string, n: number): { json: string; firstEventId: string } {
  const [bizStep, disposition] = BIZ_STEPS[n % BIZ_STEPS.length]!;
  const gtin = withCheckDigit(`0950600${String(n % 997).padStart(6, '0')}`);
  const events = Array.from({ length: EVENTS_PER_DOCUMENT }, (_, k) => {
    const serial = (offset: number) => `${run}-${n}-${k * 2 + offset}`;
    const unit = (offset: number) =>
      n % 2 === 0 ? `https://id.gs1.org/01/${gtin}/21/${serial(offset)}` : `urn:epc:id:sgtin:${gtin.slice(1, 8)}.${gtin[0]}${gtin.slice(8, 13)}.${serial(offset)}`;
    return {
      type: 'ObjectEvent',
      eventID: `urn:uuid:${crypto.randomUUID()}`,
      eventTime: new Date(Date.UTC(2026, 9, 1) + n * 60_000 + k * 500).toISOString().replace('Z', '+00:00'),
      eventTimeZoneOffset: '+00:00',
      epcList: [unit(0), unit(1)],
      action: bizStep === 'commissioning' ? 'ADD' : 'OBSERVE',
      bizStep,
      disposition,
      readPoint: { id: `urn:epc:id:sgln:9506000.13430.${n % 7}` },
      bizLocation: { id: 'https://id.gs1.org/414/9506000134307' },
      bizTransactionList: [{ type: 'po', bizTransaction: `urn:epcglobal:cbv:bt:9506000134307:PO-${run}-${n}` }],
      ...(bizStep === 'commissioning' ? { ilmd: { 'cbvmda:lotNumber': `LOT-${run}-${n % 50}` } } : {}),
    };
  });
  const json = JSON.stringify({
    '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: new Date().toISOString(),
    epcisBody: { eventList: events },
  });
  return { json, firstEventId: events[0]!.eventID };
}

interface Timings {
  capture: number[];
  toQueryable: number[];
  /** When each 202 arrived, in ms since the first request was sent. */
  acceptedAt: number[];
}

/**
 * Events/s over each quarter of the run, from the order in which 202s arrived: the rate at which the
 * n-th quarter of the documents was accepted. Steady quarters are what "sustained" means; a falling
 * one would say the platform slows as its tables grow.
 */
function quarterRates(acceptedAt: readonly number[], eventsPerDocument: number): number[] {
  const sorted = [...acceptedAt].sort((a, b) => a - b);
  const quarter = Math.floor(sorted.length / 4);
  return [0, 1, 2, 3].map((q) => {
    const from = q === 0 ? 0 : sorted[q * quarter - 1]!;
    const to = sorted[(q + 1) * quarter - 1]!;
    return (quarter * eventsPerDocument) / ((to - from) / 1000);
  });
}

async function captureAll(base: string, documents: { json: string; firstEventId: string }[], clients: number): Promise<Timings & { seconds: number }> {
  const timings: Timings = { capture: [], toQueryable: [], acceptedAt: [] };
  let next = 0;
  const started = performance.now();
  const client = async () => {
    for (let index = next++; index < documents.length; index = next++) {
      const document = documents[index]!;
      const sent = performance.now();
      const response = await gatewayFetch(`${base}/epcis/capture`, { method: 'POST', headers: { 'content-type': 'application/ld+json' }, body: document.json });
      const accepted = performance.now();
      if (response.status !== 202) throw new Error(`capture answered ${response.status}: ${await response.text()}`);
      await response.arrayBuffer();
      timings.capture.push(accepted - sent);
      timings.acceptedAt.push(accepted - started);
      if (index % PROBE_EVERY !== 0) continue;
      for (;;) {
        const found = await gatewayFetch(`${base}/epcis/events/${encodeURIComponent(document.firstEventId)}`);
        await found.arrayBuffer();
        if (found.status === 200) break;
        if (found.status !== 404) throw new Error(`event lookup answered ${found.status}`);
      }
      timings.toQueryable.push(performance.now() - accepted);
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  return { ...timings, seconds: (performance.now() - started) / 1000 };
}

// ---------------------------------------------------------------------------------------------
// CPU accounting from /proc: each platform process with its children, PostgreSQL's backends for the
// bench database by application, and the machine as a whole (so other work on it shows too).

const TICKS_PER_SECOND = 100;

function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined; // gone
  }
}

function descendantsOf(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const parent = Number(statFields(Number(entry))?.[1]);
    if (Number.isInteger(parent)) children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const next = queue.pop()!;
    found.push(next);
    queue.push(...(children.get(next) ?? []));
  }
  return found;
}

/** user + system CPU seconds of the processes (utime and stime are fields 14 and 15 of stat). */
function cpuSeconds(pids: readonly number[]): number {
  return pids.reduce((sum, pid) => {
    const fields = statFields(pid);
    return sum + (fields === undefined ? 0 : (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND);
  }, 0);
}

/** The machine's busy CPU seconds over all cores (/proc/stat: everything but idle and iowait). */
function machineBusySeconds(): number {
  const [, ...times] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  const values = times.map(Number);
  return (values.reduce((sum, value) => sum + value, 0) - values[3]! - values[4]!) / TICKS_PER_SECOND;
}

/** CPU seconds of every process that counts, by pid, with the group it is reported under. */
interface CpuSnapshot {
  readonly processes: Map<number, { readonly group: string; readonly seconds: number }>;
  readonly machine: number;
}

/**
 * Taken before and after the run: connection pools open backends as load grows, so the processes
 * are listed again each time (one that appeared in between used all its CPU during the run).
 */
async function cpuSnapshot(profile: Profile, database: pg.Client): Promise<CpuSnapshot> {
  const groups: [string, number[]][] = [];
  for (const record of Object.values(readState(profile.stateFile)?.processes ?? {})) {
    if (record.pid !== null) groups.push([record.name, descendantsOf(record.pid)]);
  }
  const backends: { pid: number; group: string }[] = (
    await database.query(
      `SELECT "pid", 'PostgreSQL for ' || coalesce(nullif("application_name", ''), "backend_type") AS "group" FROM pg_stat_activity WHERE "datname" = current_database() AND "pid" <> pg_backend_pid()
       UNION ALL
       SELECT "pid", 'PostgreSQL server: WAL writer, checkpointer, background writer' FROM pg_stat_activity WHERE "backend_type" IN ('walwriter', 'checkpointer', 'background writer')`,
    )
  ).rows;
  for (const { pid, group } of backends) groups.push([group, [pid]]);
  groups.push(['load generator (this benchmark)', [process.pid]]);
  const processes = new Map(groups.flatMap(([group, pids]) => pids.map((pid) => [pid, { group, seconds: cpuSeconds([pid]) }] as const)));
  // Connection pools close idle connections and open new ones as load changes, so backends also
  // start and end between the two snapshots: their CPU is found in the server's reaped-children
  // time (cutime + cstime, stat fields 16 and 17), which grows as each one exits.
  const postmaster = Number(statFields(backends[0]?.pid ?? -1)?.[1]);
  const reaped = statFields(postmaster);
  if (reaped !== undefined) {
    processes.set(-postmaster, { group: 'PostgreSQL backends that ended during the run (any database)', seconds: (Number(reaped[13]) + Number(reaped[14])) / TICKS_PER_SECOND });
  }
  return { processes, machine: machineBusySeconds() };
}

function cpuTable(before: CpuSnapshot, after: CpuSnapshot, events: number, wallSeconds: number, cores: number): Table {
  const byGroup = new Map<string, number>();
  for (const [pid, { group, seconds }] of after.processes) byGroup.set(group, (byGroup.get(group) ?? 0) + seconds - (before.processes.get(pid)?.seconds ?? 0));
  const used = [...byGroup].map(([name, seconds]) => ({ name, seconds })).sort((a, b) => b.seconds - a.seconds);
  const ours = used.reduce((sum, { seconds }) => sum + seconds, 0);
  const machine = after.machine - before.machine;
  const perEvent = (seconds: number) => `${Math.round((seconds * 1e6) / events).toLocaleString('en')}`;
  const share = (seconds: number) => `${((100 * seconds) / machine).toFixed(0)}%`;
  return {
    name: `Where the CPU went: from the first capture until the ledger had appended the last event (${wallSeconds.toFixed(1)} s × ${cores} cores)`,
    header: ['process', 'CPU s', 'µs per event', 'share of the machine'],
    rows: [
      ...used.filter(({ seconds }) => seconds >= 0.05).map(({ name, seconds }) => [name, seconds.toFixed(1), perEvent(seconds), share(seconds)]),
      ['everything above', ours.toFixed(1), perEvent(ours), share(ours)],
      ['rest of the machine (PostgreSQL background writers, anything else running)', (machine - ours).toFixed(1), perEvent(machine - ours), share(machine - ours)],
      ['machine idle', Math.max(0, wallSeconds * cores - machine).toFixed(1), '', `${((100 * Math.max(0, wallSeconds * cores - machine)) / (wallSeconds * cores)).toFixed(0)}% of ${(wallSeconds * cores).toFixed(0)} s`],
    ],
    notes: [
      `At ${GOAL_EVENTS_PER_SECOND.toLocaleString('en')} events/s, ${cores} cores give ${Math.round((cores * 1e6) / GOAL_EVENTS_PER_SECOND)} µs of CPU per event to everything on the machine together.`,
      'CPU seconds from /proc (user + system) of each platform process and its children, of the PostgreSQL backends serving each service on the bench database, and of the server\'s WAL writer, checkpointer and background writer (shared with anything else the server serves, which during a benchmark is nothing).',
    ],
  };
}

async function ledgerSize(database: pg.Client): Promise<number> {
  return Number((await database.query(`SELECT "tree_size" FROM "ledger"."log_state"`)).rows[0].tree_size);
}

export const benchmarks = {
  title: 'EPCIS 2.0 capture: throughput and latency end to end',
  run: async (): Promise<Table[]> => {
    const profile = loadProfile('bench', new URL('..', import.meta.url).pathname.replace(/\/$/, ''));
    await stopPlatform(profile);
    await startPlatform(profile, { fresh: true });
    const database = new pg.Client({ connectionString: profile.databaseUrl });
    await database.connect();
    try {
      const base = gatewayUrl(profile);
      const run = Math.random().toString(36).slice(2, 8);
      const warmUp = Array.from({ length: WARM_UP_DOCUMENTS }, (_, n) => documentOf(`${run}w`, n));
      const documents = Array.from({ length: DOCUMENTS }, (_, n) => documentOf(run, n));
      const bytes = documents.reduce((sum, document) => sum + Buffer.byteLength(document.json), 0) / documents.length;
      await captureAll(base, warmUp, 2);
      const ledgerBefore = await ledgerSize(database);
      const accounting = existsSync('/proc/stat');
      const cpuBefore = accounting ? await cpuSnapshot(profile, database) : undefined;

      const started = performance.now();
      const result = await captureAll(base, documents, CLIENTS);
      const captured = performance.now();
      const total = DOCUMENTS * EVENTS_PER_DOCUMENT;
      const rate = total / result.seconds;
      let size = ledgerBefore;
      while (size < ledgerBefore + total) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        size = await ledgerSize(database);
      }
      const drained = performance.now();
      const ledgerLag = drained - captured;
      const cpuAfter = accounting ? await cpuSnapshot(profile, database) : undefined;
      const stored = Number((await database.query(`SELECT count(*) AS n FROM "data_service"."epcis_events"`)).rows[0].n);

      const capture = [...result.capture].sort((a, b) => a - b);
      const queryable = [...result.toQueryable].sort((a, b) => a - b);
      return [
        {
          name: `${total.toLocaleString('en')} events in ${DOCUMENTS.toLocaleString('en')} documents of ${EVENTS_PER_DOCUMENT} (${(bytes / 1024).toFixed(0)} KiB each), ${CLIENTS} concurrent clients, POST /epcis/capture`,
          header: ['measure', 'value'],
          rows: [
            ['sustained capture, events/s', Math.round(rate).toLocaleString('en')],
            [`goal ≥ ${GOAL_EVENTS_PER_SECOND.toLocaleString('en')} events/s`, rate >= GOAL_EVENTS_PER_SECOND ? 'met' : 'not met'],
            ['events/s in each quarter of the run', quarterRates(result.acceptedAt, EVENTS_PER_DOCUMENT).map((quarter) => Math.round(quarter).toLocaleString('en')).join(' / ')],
            ['documents/s', (DOCUMENTS / result.seconds).toFixed(1)],
            ['capture request (to 202) p50 / p95 / p99', `${ms(percentile(capture, 50))} / ${ms(percentile(capture, 95))} / ${ms(percentile(capture, 99))} ms`],
            [`202 → queryable by eventID p50 / p95 / p99 (${queryable.length} probes)`, `${ms(percentile(queryable, 50))} / ${ms(percentile(queryable, 95))} / ${ms(percentile(queryable, 99))} ms`],
            ['last 202 → all events appended to the ledger log', `${(ledgerLag / 1000).toFixed(1)} s`],
            ['events stored (warm-up included)', stored.toLocaleString('en')],
          ],
          notes: [
            'A capture is validated (GS1 JSON Schema, identifiers, check digits), hashed (CBV 2.0 event hash) and committed in one transaction before the 202, so an event is queryable as soon as its capture is answered; the probe is one GET /epcis/events/{eventID} after the 202.',
            'Everything runs on this machine at once: PostgreSQL, the Kafka broker, the chain node, the four services and the load generator share its cores.',
            `Measured after ${WARM_UP_DOCUMENTS} warm-up documents on the freshly started platform, so that it is the platform's sustained rate, not its JIT compilers warming up, that is timed.`,
            "Each quarter's rate is how fast that quarter of the documents was answered 202 (in arrival order). The services' compilers still improve their code through the first quarters; the last one ends at the last 202, while the consumers still finish the last documents (the ledger's lag above).",
          ],
        },
        ...(cpuBefore === undefined || cpuAfter === undefined
          ? []
          : [cpuTable(cpuBefore, cpuAfter, total, (drained - started) / 1000, cpus().length)]),
      ];
    } finally {
      await database.end();
      await stopPlatform(profile);
    }
  },
};
