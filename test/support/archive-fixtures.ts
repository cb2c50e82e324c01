import { gatewayFetch } from './gateway-client.js';

async function create(collection: string, fields: Record<string, unknown>): Promise<{ id: string; version: number } & Record<string, unknown>> {
  const response = await gatewayFetch(`/v1/${collection}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(fields),
  });
  const body = (await response.json()) as { record: { id: string; version: number } & Record<string, unknown>; detail?: string };
  if (response.status !== 201) throw new Error(`creating a ${collection} record answered ${response.status}: ${body.detail}`);
  return body.record;
}

/** A merchant and a brand it owns, new for each call (names carry a random suffix). */
export async function createBrand(): Promise<{ merchantId: string; brandId: string }> {
  const suffix = crypto.randomUUID().slice(0, 8);
  const merchant = await create('merchants', { legalName: `Test Importer ${suffix} Ltd.`, country: 'CN', registrationNumber: `91310000${suffix}` });
  const brand = await create('brands', { name: `Test Brand ${suffix}`, ownerMerchantId: merchant.id });
  return { merchantId: merchant.id, brandId: brand.id };
}

export { create as createArchiveRecord };
