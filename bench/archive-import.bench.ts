// `./traceport bench archive-import`: the seed's scale in one CSV file — 14,500 brands (with their
// 500 importers) and 100,000 products — imported through the gateway on a platform of its own.
import pg from 'pg';
import { gatewayFetch } from '../deploy/local/cli/admin-key.ts';
import { startPlatform, stopPlatform } from '../deploy/local/cli/platform.ts';
import { gatewayUrl, loadProfile } from '../deploy/local/cli/profile.ts';
import type { Table } from './platform.bench.ts';

const MERCHANTS = 500;
const BRANDS = 14_500;
const PRODUCTS = 100_000;

function gtinOf(n: number): string {
  const body = `09508${String(n).padStart(8, '0')}`;
  let sum = 0;
  for (let position = 0; position < body.length; position += 1) sum += Number(body[body.length - 1 - position]) * (position % 2 === 0 ? 3 : 1);
  return `${body}${(10 - (sum % 10)) % 10}`;
}

function seedScaleCsv(): string {
  const lines = ['type,legalName,country,registrationNumber,name,ownerMerchant,gtin,brand,category,hsCode,originCountry,shelfLifeDays'];
  const countries = ['FR', 'DE', 'NZ', 'AU', 'JP', 'KR', 'US', 'IT', 'NL', 'CH'];
  for (let m = 0; m < MERCHANTS; m += 1) lines.push(`merchant,Bench Importer ${m} Ltd.,CN,BENCH${String(m).padStart(6, '0')},,,,,,,,`);
  for (let b = 0; b < BRANDS; b += 1) lines.push(`brand,,,,Bench Brand ${b},CN:BENCH${String(b % MERCHANTS).padStart(6, '0')},,,,,,`);
  for (let p = 0; p < PRODUCTS; p += 1) {
    lines.push(`product,,,,Bench Product ${p},,${gtinOf(p)},Bench Brand ${p % BRANDS},category-${p % 40},${String(190110 + (p % 50))},${countries[p % countries.length]},${365 + (p % 365)}`);
  }
  return `${lines.join('\n')}\n`;
}

export const benchmarks = {
  title: 'Archive import: the seed scale in one CSV file',
  run: async (): Promise<Table[]> => {
    const profile = loadProfile('bench', new URL('..', import.meta.url).pathname.replace(/\/$/, ''));
    await stopPlatform(profile);
    await startPlatform(profile, { fresh: true });
    const database = new pg.Client({ connectionString: profile.databaseUrl });
    await database.connect();
    try {
      const csv = seedScaleCsv();
      const rows = MERCHANTS + BRANDS + PRODUCTS;
      const started = performance.now();
      const response = await gatewayFetch(`${gatewayUrl(profile)}/v1/archive/imports`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: csv });
      if (response.status !== 202) throw new Error(`the import was refused (${response.status}): ${await response.text()}`);
      const accepted = performance.now();
      let job = (await response.json()) as { id: string; status: string; created_rows: number; failed_rows: number; rows_per_second: number };
      while (job.status === 'queued' || job.status === 'running') {
        await new Promise((resolve) => setTimeout(resolve, 500));
        job = (await (await gatewayFetch(`${gatewayUrl(profile)}/v1/archive/imports/${job.id}`)).json()) as typeof job;
      }
      const imported = performance.now();
      if (job.status !== 'succeeded' || job.failed_rows > 0) throw new Error(`the import ended ${job.status} with ${job.failed_rows} failed rows`);
      let anchored = 0;
      while (anchored < rows) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        anchored = Number((await database.query(`SELECT coalesce(max("tree_size"), 0) AS s FROM "ledger"."heads" WHERE "status" = 'anchored'`)).rows[0].s);
      }
      const done = performance.now();
      return [
        {
          name: `${rows.toLocaleString('en')} rows (${MERCHANTS} merchants, ${BRANDS.toLocaleString('en')} brands, ${PRODUCTS.toLocaleString('en')} products), ${(csv.length / 2 ** 20).toFixed(1)} MiB`,
          header: ['measure', 'value'],
          rows: [
            ['upload and validation until 202', `${((accepted - started) / 1000).toFixed(1)} s`],
            ['import: all rows stored (202 to succeeded)', `${((imported - accepted) / 1000).toFixed(1)} s`],
            ['import rate', `${Math.round(rows / ((imported - accepted) / 1000)).toLocaleString('en')} rows/s`],
            ['records created', job.created_rows.toLocaleString('en')],
            ['every record anchored on chain, from the upload', `${((done - started) / 1000).toFixed(1)} s`],
          ],
        },
      ];
    } finally {
      await database.end();
      await stopPlatform(profile);
    }
  },
};
