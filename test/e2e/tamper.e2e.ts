import { eventually, randomGtin, testPlatform } from '@traceport/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createArchiveRecord, createBrand } from '../support/archive-fixtures.js';
import { gatewayFetch } from '../support/gateway-client.js';

// Tampering with a stored record behind Traceport's back: a product's name changed directly in the
// data-service's PostgreSQL table after the record was anchored. The scan page re-derives each
// record's leaf from what it shows, so it marks exactly that record (JSON and HTML) and vouches for
// the rest; once the row is put back, the mark goes. The store audit (POST /v1/ledger/audit/stores)
// finds a changed row, a deleted one and two swapped ones across the whole store, by key.
// (Tampering with the log itself is the ledger audit's job: test/e2e/verify-and-audit.e2e.ts.)

const platform = testPlatform();
let database: pg.Client;
let scanPath: string;
let productId: string;
let lotId: string;
let brandId: string;
let merchantId: string;

interface ScanJson {
  records: { type: string; record_key: string; integrity: 'verified' | 'mismatch' | 'pending'; proof: { anchor: unknown } | null }[];
}

async function scan(): Promise<ScanJson> {
  const response = await gatewayFetch(scanPath, { headers: { accept: 'application/json' } });
  expect(response.status).toBe(200);
  return (await response.json()) as ScanJson;
}

beforeAll(async () => {
  database = new pg.Client({ connectionString: platform.databaseUrl });
  await database.connect();
  ({ brandId, merchantId } = await createBrand());
  const gtin = randomGtin();
  const product = await createArchiveRecord('products', { gtin, name: 'Tamper Test Honey 500 g', brandId, category: 'honey', hsCode: '040900', originCountry: 'NZ' });
  productId = product.id;
  const lot = await createArchiveRecord('lots', { productId, lotNumber: `TT${Date.now() % 1e8}`, quantity: 3, productionDate: '2026-03-01', expiryDate: '2029-02-28' });
  lotId = lot.id;
  const queued = await gatewayFetch(`/v1/lots/${lot.id}/identities`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ quantity: 3 }) });
  expect(queued.status).toBe(202);
  const { id } = (await queued.json()) as { id: string };
  const serial = await eventually('the issuance to finish', async () => {
    const page = (await (await gatewayFetch(`/v1/identity-issuances/${id}/identities?limit=1`)).json()) as { identities?: { serial: string }[] };
    return page.identities?.[0]?.serial;
  });
  scanPath = `/01/${gtin}/21/${serial}`;
  await eventually('every record on the page anchored', async () => ((await scan()).records.every((record) => record.proof?.anchor) ? true : undefined), 60_000);
});

afterAll(async () => {
  await database?.end();
});

describe('a stored record changed after anchoring', () => {
  it('is vouched for while untouched', async () => {
    const page = await scan();
    expect(page.records.length).toBeGreaterThan(2);
    expect(page.records.map((record) => record.integrity)).toEqual(page.records.map(() => 'verified'));
  });

  it('is marked, alone, on the page and in its JSON; the mark goes once the row is restored', async () => {
    const productKey = (await scan()).records.find((record) => record.type === 'archive.product')!.record_key;
    const where = `"record_type" = 'archive.product' AND "id" = $1 AND "superseded_at" IS NULL`;
    const { rows } = await database.query<{ record: Record<string, unknown> }>(`SELECT "record" FROM "data_service"."archive_records" WHERE ${where}`, [productId]);
    const original = rows[0]!.record;
    try {
      await database.query(`UPDATE "data_service"."archive_records" SET "record" = jsonb_set("record", '{name}', '"Tamper Test Honey 1 kg"') WHERE ${where}`, [productId]);
      const page = await scan();
      expect(page.records.filter((record) => record.integrity === 'mismatch').map((record) => record.record_key)).toEqual([productKey]);
      expect(page.records.filter((record) => record.integrity !== 'mismatch').every((record) => record.integrity === 'verified')).toBe(true);

      const html = await (await gatewayFetch(`${scanPath}?lang=en`, { headers: { accept: 'text/html' } })).text();
      expect(html).toContain('Warning: some records shown here were changed after they were anchored');
      expect(html).toContain(productKey);
      expect(html.match(/does not match its anchored record/g)).toHaveLength(1);
    } finally {
      await database.query(`UPDATE "data_service"."archive_records" SET "record" = $2 WHERE ${where}`, [productId, original]);
    }
    const restored = await scan();
    expect(restored.records.every((record) => record.integrity === 'verified')).toBe(true);
    const html = await (await gatewayFetch(`${scanPath}?lang=en`, { headers: { accept: 'text/html' } })).text();
    expect(html).not.toContain('changed after they were anchored');
  });
});

interface StoreAuditJson {
  ok: boolean;
  records_checked: number;
  changed: { count: number; record_keys: string[] };
  missing: { count: number; record_keys: string[] };
  not_in_log: { count: number; record_keys: string[] };
}

async function storeAudit(): Promise<StoreAuditJson> {
  const response = await gatewayFetch('/v1/ledger/audit/stores', { method: 'POST' });
  expect(response.status).toBe(200);
  return (await response.json()) as StoreAuditJson;
}

describe('the store audit', () => {
  it('finds nothing wrong with an untouched store', async () => {
    const report = await storeAudit();
    expect(report).toMatchObject({ ok: true, changed: { count: 0 }, missing: { count: 0 } });
    expect(report.records_checked).toBeGreaterThan(3);
  });

  it('names exactly the row changed, the row deleted and the two rows swapped, and clears once they are restored', async () => {
    const current = (type: string, id: string) =>
      database.query<{ version: number; record: Record<string, unknown> }>(`SELECT "version", "record" FROM "data_service"."archive_records" WHERE "record_type" = $1 AND "id" = $2 AND "superseded_at" IS NULL`, [type, id]);
    const key = (type: string, id: string, version: number) => `${type}/${id}/v${version}`;
    const [merchant, brand, product, lot] = await Promise.all([current('archive.merchant', merchantId), current('archive.brand', brandId), current('archive.product', productId), current('archive.lot', lotId)]);
    const row = (result: typeof merchant) => result.rows[0]!;
    const brandRow = (await database.query(`SELECT * FROM "data_service"."archive_records" WHERE "record_type" = 'archive.brand' AND "id" = $1`, [brandId])).rows as Record<string, unknown>[];
    const set = (type: string, id: string, record: unknown) =>
      database.query(`UPDATE "data_service"."archive_records" SET "record" = $3 WHERE "record_type" = $1 AND "id" = $2 AND "superseded_at" IS NULL`, [type, id, record]);
    try {
      await set('archive.merchant', merchantId, { ...row(merchant).record, legalName: 'Someone Else Ltd.' });
      await database.query(`DELETE FROM "data_service"."archive_records" WHERE "record_type" = 'archive.brand' AND "id" = $1`, [brandId]);
      await set('archive.product', productId, row(lot).record);
      await set('archive.lot', lotId, row(product).record);

      const report = await storeAudit();
      expect(report.ok).toBe(false);
      expect(report.changed.record_keys.sort()).toEqual(
        [key('archive.merchant', merchantId, row(merchant).version), key('archive.product', productId, row(product).version), key('archive.lot', lotId, row(lot).version)].sort(),
      );
      expect(report.changed.count).toBe(3);
      expect(report.missing).toEqual({ count: 1, record_keys: [key('archive.brand', brandId, row(brand).version)] });
    } finally {
      await set('archive.merchant', merchantId, row(merchant).record);
      await set('archive.product', productId, row(product).record);
      await set('archive.lot', lotId, row(lot).record);
      for (const saved of brandRow) {
        await database.query(
          `INSERT INTO "data_service"."archive_records" ("record_type", "id", "version", "record", "recorded_at", "superseded_at") VALUES ($1, $2, $3, $4, $5, $6)`,
          [saved['record_type'], saved['id'], saved['version'], saved['record'], saved['recorded_at'], saved['superseded_at']],
        );
      }
    }
    expect(await storeAudit()).toMatchObject({ ok: true, changed: { count: 0 }, missing: { count: 0 } });
  });
});

