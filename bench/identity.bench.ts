// `./traceport bench identity`: one million item identities issued for one lot through the gateway,
// on the platform started on the bench profile (its own ports, database and broker): the job's
// rate and duration, the data-service's memory while it runs, proofs of issuance read back, the
// issuance record anchored, and the label sheet streamed for the first 100,000 labels.
import { execFileSync } from 'node:child_process';
import pg from 'pg';
import { gatewayFetch } from '../deploy/local/cli/admin-key.ts';
import { startPlatform, stopPlatform } from '../deploy/local/cli/platform.ts';
import { gatewayUrl, loadProfile, type Profile } from '../deploy/local/cli/profile.ts';
import { readState } from '../deploy/local/cli/state.ts';
import type { Table } from './epcis.bench.ts';

const IDENTITIES = 1_000_000;
const LABELS = 100_000;
const PROOF_LOOKUPS = 500;

const ms = (value: number) => value.toFixed(value < 10 ? 1 : 0);
const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(0);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

function gtinOf(n: number): string {
  const body = `09509${String(n).padStart(8, '0')}`;
  let sum = 0;
  for (let position = 0; position < body.length; position += 1) sum += Number(body[body.length - 1 - position]) * (position % 2 === 0 ? 3 : 1);
  return `${body}${(10 - (sum % 10)) % 10}`;
}

/** Resident set size of a platform process, in bytes. */
function rssOf(profile: Profile, name: string): number {
  const pid = readState(profile.stateFile)?.processes[name]?.pid;
  if (pid === null || pid === undefined) return 0;
  return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) * 1024;
}

/** Samples a process's RSS every 250 ms until stopped; the peak and the samples. */
function sampleRss(profile: Profile, name: string) {
  const samples: number[] = [];
  const timer = setInterval(() => samples.push(rssOf(profile, name)), 250);
  return {
    stop() {
      clearInterval(timer);
      const sorted = [...samples].sort((a, b) => a - b);
      return { peak: sorted.at(-1) ?? 0, median: sorted.length === 0 ? 0 : percentile(sorted, 50) };
    },
  };
}

async function post(base: string, path: string, body: unknown): Promise<Response> {
  return gatewayFetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

async function created(response: Response): Promise<string> {
  if (response.status !== 201) throw new Error(`creating a record answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { record: { id: string } }).record.id;
}

interface Job {
  id: string;
  status: string;
  issued: number;
  identities_per_second: number;
  started_at: string | null;
  finished_at: string | null;
  record_key: string | null;
  labels: string | null;
}

export const benchmarks = {
  title: 'Identity issuance: a million identities for one lot, and their labels',
  run: async (): Promise<Table[]> => {
    const profile = loadProfile('bench', new URL('..', import.meta.url).pathname.replace(/\/$/, ''));
    await stopPlatform(profile);
    await startPlatform(profile, { fresh: true });
    const database = new pg.Client({ connectionString: profile.databaseUrl });
    await database.connect();
    try {
      const base = gatewayUrl(profile);
      const merchantId = await created(await post(base, '/v1/merchants', { legalName: 'Bench Importer Ltd.', country: 'CN', registrationNumber: 'BENCH-ID-1' }));
      const brandId = await created(await post(base, '/v1/brands', { name: 'Bench Identity Brand', ownerMerchantId: merchantId }));
      const gtin = gtinOf(1);
      const productId = await created(await post(base, '/v1/products', { gtin, name: 'Bench formula 800 g', brandId, category: 'infant-formula', hsCode: '190110', originCountry: 'NL' }));
      const lotId = await created(
        await post(base, '/v1/lots', { productId, lotNumber: 'BENCH-1M', quantity: IDENTITIES, productionDate: '2026-03-01', expiryDate: '2028-03-01' }),
      );

      const idleRss = rssOf(profile, 'data-service');
      const memory = sampleRss(profile, 'data-service');
      const started = performance.now();
      const response = await post(base, `/v1/lots/${lotId}/identities`, { quantity: IDENTITIES });
      const accepted = performance.now();
      if (response.status !== 202) throw new Error(`the issuance was refused (${response.status}): ${await response.text()}`);
      let job = (await response.json()) as Job;
      const progress: string[] = [];
      let lastReport = 0;
      while (job.status === 'queued' || job.status === 'running') {
        await new Promise((resolve) => setTimeout(resolve, 250));
        job = (await (await gatewayFetch(`${base}/v1/identity-issuances/${job.id}`)).json()) as Job;
        if (performance.now() - lastReport >= 2_000) {
          lastReport = performance.now();
          progress.push(`${((lastReport - accepted) / 1000).toFixed(0)} s: ${job.issued.toLocaleString('en')}`);
        }
      }
      const finished = performance.now();
      const rss = memory.stop();
      if (job.status !== 'succeeded') throw new Error(`the issuance ended ${job.status}`);
      const jobSeconds = (Date.parse(job.finished_at!) - Date.parse(job.started_at!)) / 1000;

      let anchoredAt = 0;
      while (anchoredAt === 0) {
        const proof = await gatewayFetch(`${base}/v1/proofs?record_key=${encodeURIComponent(job.record_key!)}`);
        if (proof.status === 200 && ((await proof.json()) as { proof: { anchor: unknown } }).proof.anchor !== null) anchoredAt = performance.now();
        else await new Promise((resolve) => setTimeout(resolve, 250));
      }

      const sizes = (
        await database.query<{ identities: string; nodes: string }>(
          `SELECT pg_total_relation_size('data_service.identities') AS identities, pg_total_relation_size('data_service.identity_serial_nodes') AS nodes`,
        )
      ).rows[0]!;
      const sample = (await database.query<{ serial: string }>(`SELECT "serial" FROM data_service.identities ORDER BY random() LIMIT $1`, [PROOF_LOOKUPS])).rows;
      const lookups: number[] = [];
      for (const { serial } of sample) {
        const before = performance.now();
        const found = await gatewayFetch(`${base}/v1/identities/${gtin}/${serial}`);
        await found.arrayBuffer();
        if (found.status !== 200) throw new Error(`an issued identity answered ${found.status}`);
        lookups.push(performance.now() - before);
      }
      lookups.sort((a, b) => a - b);

      const labelMemory = sampleRss(profile, 'data-service');
      const gatewayMemory = sampleRss(profile, 'interaction-gateway');
      const labelsStarted = performance.now();
      const sheet = await gatewayFetch(`${base}${job.labels!}?limit=${LABELS}`);
      if (sheet.status !== 200 || sheet.body === null) throw new Error(`labels.pdf answered ${sheet.status}`);
      let firstByte = 0;
      let bytes = 0;
      for await (const chunk of sheet.body) {
        if (firstByte === 0) firstByte = performance.now();
        bytes += (chunk as Uint8Array).length;
      }
      const labelsDone = performance.now();
      const labelRss = labelMemory.stop();
      const gatewayRss = gatewayMemory.stop();
      const labelSeconds = (labelsDone - labelsStarted) / 1000;

      return [
        {
          name: `${IDENTITIES.toLocaleString('en')} identities for one lot: POST /v1/lots/{id}/identities, polled until succeeded`,
          header: ['measure', 'value'],
          rows: [
            ['request to 202', `${ms(accepted - started)} ms`],
            ['job duration (started_at → finished_at)', `${jobSeconds.toFixed(1)} s`],
            ['identities/s (the job’s own rate)', job.identities_per_second.toLocaleString('en')],
            ['202 → succeeded, as the client sees it', `${((finished - accepted) / 1000).toFixed(1)} s`],
            ['succeeded → issuance record anchored on chain', `${((anchoredAt - finished) / 1000).toFixed(1)} s`],
            ['data-service RSS: idle before / median / peak during the job', `${mib(idleRss)} / ${mib(rss.median)} / ${mib(rss.peak)} MiB`],
            ['storage: identities (table + indexes) / serial-tree nodes', `${mib(Number(sizes.identities))} MiB / ${(Number(sizes.nodes) / 1024).toFixed(0)} KiB`],
            [`GET /v1/identities/{gtin}/{serial} with its proof, p50 / p95 / p99 (${lookups.length} sequential lookups)`, `${ms(percentile(lookups, 50))} / ${ms(percentile(lookups, 95))} / ${ms(percentile(lookups, 99))} ms`],
          ],
          notes: [`progress seen by the client: ${progress.join(', ')}`],
        },
        {
          name: `labels.pdf for the first ${LABELS.toLocaleString('en')} labels (GET …/labels.pdf?limit=${LABELS}), read as it streams`,
          header: ['measure', 'value'],
          rows: [
            ['first byte', `${ms(firstByte - labelsStarted)} ms`],
            ['labels/s', Math.round(LABELS / labelSeconds).toLocaleString('en')],
            ['duration / size', `${labelSeconds.toFixed(1)} s / ${mib(bytes)} MiB (${Math.ceil(LABELS / 24).toLocaleString('en')} pages)`],
            ['streamed MiB/s', (bytes / 2 ** 20 / labelSeconds).toFixed(2)],
            ['peak RSS while streaming: data-service / gateway', `${mib(labelRss.peak)} / ${mib(gatewayRss.peak)} MiB`],
          ],
          notes: [
            'The gateway draws each label (QR code as vector modules, GS1 human-readable text) as identities arrive from the data-service in pages of 1,000; memory stays flat whatever the count.',
            'Everything runs on this machine at once: PostgreSQL, the Kafka broker, the chain node, the four services and the client share its cores.',
          ],
        },
      ];
    } finally {
      await database.end();
      await stopPlatform(profile);
    }
  },
};
