import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, randomGtin, testPlatform } from '@traceport/testing';
import { describe, expect, it } from 'vitest';
import { scrape } from '../support/prometheus.js';
import { adminKey, gatewayFetch } from '../support/gateway-client.js';

// Bulk import through the gateway and ./traceport import: rows in dependency order, references by
// natural key, bad rows reported by line and field while the good ones are stored.

const platform = testPlatform();

function csvFile(suffix: string, goodGtin: string) {
  const registration = `IMP${suffix}`;
  return [
    'type,legalName,country,registrationNumber,name,ownerMerchant,address,gln,gtin,brand,factory,category,hsCode,originCountry,shelfLifeDays,product,lotNumber,quantity,productionDate,expiryDate',
    `merchant,Import Test ${suffix} Ltd.,CN,${registration},,,,,,,,,,,,,,,,`,
    `brand,,,,Import Brand ${suffix},CN:${registration},,,,,,,,,,,,,,`,
    `brand,,,,Orphan Brand ${suffix},CN:NOPE${suffix},,,,,,,,,,,,,,`,
    `product,,,,Imported Honey ${suffix},,,,${goodGtin},Import Brand ${suffix},,honey,040900,NZ,730,,,,,`,
    `product,,,,Bad Digit ${suffix},,,,${goodGtin.slice(0, 13)}${(Number(goodGtin[13]) + 1) % 10},Import Brand ${suffix},,honey,040900,NZ,,,,,,`,
    `lot,,,,,,,,,,,,,,,${goodGtin},L${suffix},100,2026-01-01,2027-01-01`,
    `lot,,,,,,,,,,,,,,,${goodGtin},L${suffix},100,2026-01-01,2027-01-01`,
    `spaceship,,,,,,,,,,,,,,,,,,,`,
  ].join('\n');
}

describe('archive import', () => {
  it('stores the good rows and reports each bad one by line and field, and ./traceport import shows it', async () => {
    const suffix = String(Date.now() % 1_000_000_000);
    const gtin = randomGtin();
    const file = join(mkdtempSync(join(tmpdir(), 'traceport-import-')), 'archive.csv');
    writeFileSync(file, csvFile(suffix, gtin));
    const counters = async () => {
      const metrics = await scrape(`${platform.dataServiceUrl}/metrics`);
      return {
        rowsCreated: metrics.value('traceport_archive_import_rows_total', { outcome: 'created' }),
        rowsFailed: metrics.value('traceport_archive_import_rows_total', { outcome: 'failed' }),
        lotsCreated: metrics.value('traceport_archive_records_written_total', { record_type: 'archive.lot', change: 'created' }),
      };
    };
    const before = await counters();
    // The import sends the key it is given (TRACEPORT_API_KEY): here the test platform's admin key.
    const env = { ...process.env, TRACEPORT_API_KEY: adminKey() ?? '' };
    const run = spawnSync(join(platform.root, 'traceport'), ['import', file, '--gateway', platform.gatewayUrl], { encoding: 'utf8', cwd: platform.root, env });
    expect(run.stdout).toMatch(/succeeded: 4 records created, 4 rows with errors, 8 rows at [\d.,]+ rows\/s/);
    expect(run.stdout).toMatch(/line 4, ownerMerchant: no merchant CN:NOPE\d+/);
    expect(run.stdout).toMatch(/line 6, gtin: check digit should be \d, not \d/);
    expect(run.stdout).toMatch(/line 8, lot: lot already in the archive/);
    expect(run.stdout).toMatch(/line 9, type: type must be one of merchant, brand, factory, product, lot/);
    expect(run.status).toBe(1);
    // Counted just after each batch commits, so a moment after the job reads as finished.
    const counted = await eventually('the import rows counted', async () => {
      const after = await counters();
      const delta = { rowsCreated: after.rowsCreated - before.rowsCreated, rowsFailed: after.rowsFailed - before.rowsFailed, lotsCreated: after.lotsCreated - before.lotsCreated };
      return delta.rowsCreated + delta.rowsFailed >= 8 ? delta : undefined;
    });
    expect(counted).toEqual({ rowsCreated: 4, rowsFailed: 4, lotsCreated: 1 });

    const product = await eventually('the imported product, anchored', async () => {
      const found = (await (await gatewayFetch(`/v1/products/gtin/${gtin}`)).json()) as { record: { brandId: string; shelfLifeDays: number }; proof: { status: string } | null };
      return found.proof?.status === 'anchored' ? found : undefined;
    });
    expect(product.record.shelfLifeDays).toBe(730);
    const brand = (await (await gatewayFetch(`/v1/brands/${product.record.brandId}`)).json()) as { record: { name: string } };
    expect(brand.record.name).toBe(`Import Brand ${suffix}`);
  });

  it('refuses a file that is not CSV, or has no type column, and stores nothing', async () => {
    const notCsv = await gatewayFetch(`/v1/archive/imports`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: 'a,b\n"unterminated' });
    expect(notCsv.status).toBe(400);
    expect(((await notCsv.json()) as { type: string }).type).toBe('/problems/invalid-csv');
    const noType = await gatewayFetch(`/v1/archive/imports`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: 'name\nx' });
    expect(noType.status).toBe(400);
    const json = await gatewayFetch(`/v1/archive/imports`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(json.status).toBe(400);
  });
});
