import { status, type ServiceError } from '@grpc/grpc-js';
import { eventually, randomGtin, testPlatform } from '@traceport/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createArchiveRecord, createBrand } from '../support/archive-fixtures.js';
import { traceportClients, unary } from '../support/grpc-clients.js';
import { gatewayFetch } from '../support/gateway-client.js';
import { scrape } from '../support/prometheus.js';

// The product archive through the gateway: an importer's whole onboarding, versions that keep the
// past readable, search, and bad input refused with every problem named and nothing stored.

const platform = testPlatform();
const grpc = traceportClients(platform.gatewayGrpc);

async function send(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await gatewayFetch(path, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> & { record: Record<string, unknown> & { id: string; version: number } } };
}

let brandId: string;
let factoryId: string;

beforeAll(async () => {
  brandId = (await createBrand()).brandId;
  const factory = await createArchiveRecord('factories', {
    name: 'Kowhai Honey Packers Ltd',
    country: 'NZ',
    address: '14 Hive Road, Hamilton 3204, New Zealand',
    gln: '9506000000060',
    certifications: [{ type: 'ISO 22000', issuer: 'BSI', number: 'FSSC-2025-11', validFrom: '2025-01-01', validTo: '2027-12-31' }],
  }).catch(async () => (await (await gatewayFetch('/v1/factories?gln=9506000000060')).json() as { items: { record: { id: string } }[] }).items[0]!.record);
  factoryId = factory.id;
});

afterAll(() => {
  grpc.archive.close();
  grpc.ledger.close();
});

describe('archive onboarding', () => {
  it('records a product, a lot and its customs declarations, each anchored with a proof', async () => {
    const product = await send('POST', '/v1/products', { gtin: randomGtin(), name: 'Manuka Honey UMF 10+, 250 g', brandId, factoryId, category: 'honey', hsCode: '040900', originCountry: 'NZ', shelfLifeDays: 1095 });
    expect(product.status).toBe(201);
    expect(product.headers.get('etag')).toBe('"1"');
    const lot = await send('POST', '/v1/lots', { productId: product.body.record.id, lotNumber: `LOT${Date.now() % 1_000_000}`, quantity: 4800, productionDate: '2026-09-01', expiryDate: '2029-08-31' });
    expect(lot.status).toBe(201);
    const declaration = await send('POST', '/v1/customs-declarations', {
      direction: 'import', declarationNumber: `3101${Date.now()}`, port: 'Ningbo', date: '2026-10-20', status: 'cleared', lotIds: [lot.body.record.id], quarantineCertificateNumber: 'CIQ-3302-2026-1',
    });
    expect(declaration.status).toBe(201);
    const anchored = await eventually('the declaration anchored', async () => {
      const found = await send('GET', `/v1/customs-declarations/${declaration.body.record.id}`);
      return (found.body['proof'] as { status?: string } | null)?.status === 'anchored' ? found : undefined;
    });
    expect(anchored.body.record).toEqual(declaration.body.record);
    expect(anchored.body['record_key']).toBe(`customs.declaration/${declaration.body.record.id}/v1`);
  });
});

describe('versions', () => {
  it('keeps every version readable, and refuses a change based on a stale version', async () => {
    const written = async () => {
      const metrics = await scrape(`${platform.dataServiceUrl}/metrics`);
      const of = (change: string) => metrics.value('traceport_archive_records_written_total', { record_type: 'archive.product', change });
      return { created: of('created'), versioned: of('versioned') };
    };
    const before = await written();
    const fields = { gtin: randomGtin(), name: 'Honey 500 g', brandId, category: 'honey', hsCode: '040900', originCountry: 'NZ' };
    const created = await send('POST', '/v1/products', fields);
    const id = created.body.record.id;
    const changed = await send('PUT', `/v1/products/${id}`, { ...fields, name: 'Honey 500 g (new label)' }, { 'if-match': '"1"' });
    expect(changed.status).toBe(200);
    expect(changed.body.record).toMatchObject({ id, version: 2, name: 'Honey 500 g (new label)' });

    const stale = await send('PUT', `/v1/products/${id}`, { ...fields, name: 'lost update' }, { 'if-match': '"1"' });
    expect(stale.status).toBe(409);
    expect(stale.body['type']).toBe('/problems/version-conflict');
    // The data-service counts what it wrote, by record type; the refused change is not among it.
    const after = await written();
    expect({ created: after.created - before.created, versioned: after.versioned - before.versioned }).toEqual({ created: 1, versioned: 1 });

    expect((await send('GET', `/v1/products/${id}`)).body.record).toMatchObject({ version: 2, name: 'Honey 500 g (new label)' });
    expect((await send('GET', `/v1/products/${id}/versions/1`)).body.record).toMatchObject({ version: 1, name: 'Honey 500 g' });
    const history = (await send('GET', `/v1/products/${id}/versions`)).body['items'] as { record: { version: number } }[];
    expect(history.map((item) => item.record.version)).toEqual([1, 2]);
    // The old version keeps its own proof once anchored.
    await eventually('version 1 anchored', async () => {
      const version = await send('GET', `/v1/products/${id}/versions/1`);
      return (version.body['proof'] as { status?: string } | null)?.status === 'anchored' ? true : undefined;
    });
  });
});

describe('bad input', () => {
  it('names every problem at once: unknown fields, a missing reference, a GLN check digit, dates in the wrong order', async () => {
    const product = await send('POST', '/v1/products', { gtin: randomGtin(), name: 'X', brandId, category: 'c', hsCode: '040900', originCountry: 'NZ', colour: 'red' });
    expect(product.status).toBe(400);
    expect((product.body['errors'] as { field: string }[]).map((error) => error.field)).toEqual(['colour']);

    const orphan = await send('POST', '/v1/products', { gtin: randomGtin(), name: 'X', brandId: crypto.randomUUID(), category: 'c', hsCode: '040900', originCountry: 'NZ' });
    expect(orphan.status).toBe(400);
    expect(orphan.body['detail']).toMatch(/no brand with id/);

    const factory = await send('POST', '/v1/factories', { name: 'F', country: 'DE', address: 'A', gln: '9506000000063' });
    expect(factory.status).toBe(400);
    expect(factory.body['errors']).toEqual([{ field: 'gln', message: 'check digit should be 0, not 3' }]);

    const lot = await send('POST', '/v1/lots', { productId: crypto.randomUUID(), lotNumber: 'A1', quantity: 0, productionDate: '2026-05-01', expiryDate: '2026-04-01' });
    expect(lot.status).toBe(400);
    expect((lot.body['errors'] as { field: string }[]).map((error) => error.field).sort()).toEqual(['expiryDate', 'quantity']);
  });

  it('refuses a duplicate lot number for the same product, and an unknown collection', async () => {
    const product = await send('POST', '/v1/products', { gtin: randomGtin(), name: 'Y', brandId, category: 'c', hsCode: '040900', originCountry: 'NZ' });
    const lot = { productId: product.body.record.id, lotNumber: 'DUP1', quantity: 10, productionDate: '2026-01-01', expiryDate: '2026-12-31' };
    expect((await send('POST', '/v1/lots', lot)).status).toBe(201);
    const duplicate = await send('POST', '/v1/lots', lot);
    expect(duplicate.status).toBe(409);
    expect(duplicate.body['type']).toBe('/problems/lot-already-declared');
    expect((await send('GET', '/v1/spaceships')).status).toBe(404);
  });
});

describe('search', () => {
  it('filters, matches text and pages with opaque tokens', async () => {
    const product = await send('POST', '/v1/products', { gtin: randomGtin(), name: 'Paged Honey', brandId, category: 'honey', hsCode: '040900', originCountry: 'NZ' });
    const productId = product.body.record.id;
    for (const n of [1, 2, 3, 4, 5]) {
      await send('POST', '/v1/lots', { productId, lotNumber: `PG${n}`, quantity: n, productionDate: '2026-01-01', expiryDate: '2026-12-31' });
    }
    const seen: string[] = [];
    let token: string | null = null;
    let pages = 0;
    do {
      const page = await send('GET', `/v1/lots?productId=${productId}&page_size=2${token ? `&page_token=${token}` : ''}`);
      expect(page.status).toBe(200);
      seen.push(...(page.body['items'] as { record: { lotNumber: string } }[]).map((item) => item.record.lotNumber));
      token = page.body['next_page_token'] as string | null;
      pages += 1;
    } while (token !== null);
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual(['PG1', 'PG2', 'PG3', 'PG4', 'PG5']);
    const text = await send('GET', `/v1/lots?productId=${productId}&q=pg3`);
    expect((text.body['items'] as unknown[]).length).toBe(1);
    const wrong = await send('GET', '/v1/lots?colour=red');
    expect(wrong.status).toBe(400);
    expect(wrong.body['type']).toBe('/problems/invalid-search');
  });
});

describe('archive over gRPC', () => {
  it('creates, reads and searches any record type, and answers ABORTED-free conflicts as ALREADY_EXISTS', async () => {
    const created = await unary<{ recordType: string; recordJson: string; recordKey: string }>(grpc.archive, 'CreateRecord', {
      recordType: 'archive.inspection-standard',
      fieldsJson: JSON.stringify({ category: `honey-${Date.now()}`, items: [{ name: 'HMF', method: 'ISO 12824', limit: '≤ 40 mg/kg' }], defaultLevel: 'S-3', defaultAql: 2.5 }),
    });
    const record = JSON.parse(created.recordJson) as { id: string; category: string };
    const read = await unary<{ recordJson: string }>(grpc.archive, 'GetRecord', { recordType: 'archive.inspection-standard', id: record.id });
    expect(JSON.parse(read.recordJson)).toEqual(JSON.parse(created.recordJson));
    const page = await unary<{ records: { recordJson: string }[] }>(grpc.archive, 'SearchRecords', {
      recordType: 'archive.inspection-standard',
      filters: { category: record.category },
    });
    expect(page.records).toHaveLength(1);
    const again = await unary(grpc.archive, 'CreateRecord', {
      recordType: 'archive.inspection-standard',
      fieldsJson: JSON.stringify({ category: record.category, items: [{ name: 'HMF', method: 'ISO 12824', limit: '≤ 40 mg/kg' }], defaultLevel: 'S-3', defaultAql: 2.5 }),
    }).catch((error: ServiceError) => error);
    expect((again as ServiceError).code).toBe(status.ALREADY_EXISTS);
    const malformed = await unary(grpc.archive, 'CreateRecord', { recordType: 'archive.lot', fieldsJson: '{' }).catch((error: ServiceError) => error);
    expect((malformed as ServiceError).code).toBe(status.INVALID_ARGUMENT);
  });
});
