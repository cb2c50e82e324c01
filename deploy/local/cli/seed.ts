import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureAdminKey, gatewayFetch } from './admin-key.ts';
import { gatewayUrl, type Profile } from './profile.ts';
import { completeDemoInspection, ensureDemoRuleSet } from './seed-decisions.ts';
import { ensureDemoIdentities, type DemoScanUrls } from './seed-identities.ts';
import { say } from './steps.ts';

// The demo archive, registered through the gateway as a user would: an importer, its brand, the
// overseas factory with its certifications, the category's inspection standard, products, a lot
// and its customs declarations. Fictitious names; GTINs under GS1's example company prefix
// 950600 (never a real product) with valid check digits.

function withCheckDigit(body: string): string {
  let sum = 0;
  for (let position = 0; position < body.length; position += 1) {
    sum += Number(body[body.length - 1 - position]) * (position % 2 === 0 ? 3 : 1);
  }
  return `${body}${(10 - (sum % 10)) % 10}`;
}

type StoredRecord = { id: string; version: number } & Record<string, unknown>;

export interface DemoData {
  readonly productId: string;
  readonly recordKey: string;
  readonly gtin: string;
  readonly lotNumber: string;
  readonly lotId: string;
  /** The engine's decision on the demo lot, once made. */
  readonly decision: { outcome: string; rule: string } | null;
  readonly scan: DemoScanUrls;
}

/**
 * The demo lot's journey as EPCIS events: produced in Kempten, exported through Hamburg, received
 * into the bonded warehouse in Shanghai, inspected and found conformant. Fixed content, so
 * capturing it again stores nothing new (events are identified by their GS1 hash).
 */
async function captureDemoTrail(base: string, gtin: string, lot: string): Promise<void> {
  const lotClass = `https://id.gs1.org/01/${gtin}/10/${lot}`;
  const event = (eventTime: string, offset: string, bizStep: string, disposition: string, location: string, action = 'OBSERVE') => ({
    type: 'ObjectEvent',
    eventTime,
    eventTimeZoneOffset: offset,
    quantityList: [{ epcClass: lotClass, quantity: 12_000, uom: 'EA' }],
    action,
    bizStep,
    disposition,
    bizLocation: { id: `https://id.gs1.org/414/${location}` },
  });
  const response = await gatewayFetch(`${base}/epcis/capture`, {
    method: 'POST',
    headers: { 'content-type': 'application/ld+json' },
    body: JSON.stringify({
      '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
      type: 'EPCISDocument',
      schemaVersion: '2.0',
      creationDate: '2026-06-12T00:00:00Z',
      epcisBody: {
        eventList: [
          event('2026-04-12T06:00:00.000+02:00', '+02:00', 'commissioning', 'active', '9506000001005', 'ADD'),
          event('2026-05-02T10:00:00.000+02:00', '+02:00', 'shipping', 'in_transit', '9506000001005'),
          event('2026-06-09T15:00:00.000+08:00', '+08:00', 'receiving', 'in_progress', '9506000002002'),
          event('2026-06-11T09:30:00.000+08:00', '+08:00', 'inspecting', 'conformant', '9506000002002'),
        ],
      },
    }),
  });
  if (response.status !== 202) throw new Error(`demo data: capturing the demo lot's events failed (${response.status}): ${await response.text()}`);
}

/** Finds the current record matching `naturalKey`, or creates it: seeding twice changes nothing. */
async function ensure(base: string, collection: string, naturalKey: Record<string, string>, fields: Record<string, unknown>): Promise<StoredRecord> {
  const search = await gatewayFetch(`${base}/v1/${collection}?${new URLSearchParams(naturalKey).toString()}`);
  const found = (await search.json()) as { items?: { record: StoredRecord }[]; detail?: string };
  if (!search.ok) throw new Error(`demo data: searching ${collection} failed (${search.status}): ${found.detail ?? ''}`);
  if (found.items?.[0] !== undefined) return found.items[0].record;
  const response = await gatewayFetch(`${base}/v1/${collection}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fields) });
  const created = (await response.json()) as { record?: StoredRecord; detail?: string };
  if (response.status !== 201 || created.record === undefined) {
    throw new Error(`demo data: creating a ${collection} record failed (${response.status}): ${created.detail ?? ''}`);
  }
  return created.record;
}

export async function seedDemoData(profile: Profile): Promise<DemoData> {
  const base = gatewayUrl(profile);
  ensureAdminKey(profile);
  say('demo: registering the demo archive through the gateway');
  const merchant = await ensure(base, 'merchants', { country: 'CN', registrationNumber: '91310000MA1FL8XQ2K' }, {
    legalName: 'Harbour Bridge Imports (Shanghai) Co., Ltd.',
    country: 'CN',
    registrationNumber: '91310000MA1FL8XQ2K',
  });
  const brand = await ensure(base, 'brands', { ownerMerchantId: merchant.id }, {
    name: 'Alpenmilch',
    ownerMerchantId: merchant.id,
    trademarks: [{ office: 'CNIPA', number: '58812345', classes: [29] }],
  });
  const factory = await ensure(base, 'factories', { gln: withCheckDigit('950600000100') }, {
    name: 'Alpenmilch Molkerei GmbH',
    country: 'DE',
    address: 'Bergstrasse 12, 87435 Kempten, Germany',
    gln: withCheckDigit('950600000100'),
    certifications: [
      { type: 'ISO 22000', issuer: 'TUV SUD', number: 'ISO22K-2024-0815', validFrom: '2024-03-01', validTo: '2027-02-28' },
      { type: 'GMP', issuer: 'Bavarian State Office for Health and Food Safety', number: 'GMP-DE-BY-1187', validFrom: '2023-06-15', validTo: '2025-06-14' },
    ],
  });
  await ensure(base, 'inspection-standards', { category: 'infant-formula' }, {
    category: 'infant-formula',
    items: [
      { name: 'Melamine', method: 'GB 22388', limit: '≤ 1 mg/kg' },
      { name: 'Enterobacter sakazakii', method: 'GB 4789.40', limit: 'not detected in 100 g' },
      { name: 'Protein', method: 'GB 5009.5', limit: '1.8–3.3 g/100 kcal' },
    ],
    defaultLevel: 'II',
    defaultAql: 0.65,
  });
  const products = [
    { body: '0950600010001', name: 'Alpenmilch Infant Formula Stage 1, 800 g', category: 'infant-formula', hsCode: '190110', shelfLifeDays: 540 },
    { body: '0950600010002', name: 'Alpenmilch Infant Formula Stage 2, 800 g', category: 'infant-formula', hsCode: '190110', shelfLifeDays: 540 },
    { body: '0950600010003', name: 'Alpenmilch Whole Milk Powder, 1 kg', category: 'dairy', hsCode: '040221', shelfLifeDays: 365 },
  ];
  const stored: StoredRecord[] = [];
  for (const { body, ...fields } of products) {
    const gtin = withCheckDigit(body);
    stored.push(await ensure(base, 'products', { gtin }, { gtin, brandId: brand.id, factoryId: factory.id, originCountry: 'DE', ...fields }));
  }
  const lot = await ensure(base, 'lots', { productId: stored[0]!.id, lotNumber: 'L2026-0412' }, {
    productId: stored[0]!.id,
    lotNumber: 'L2026-0412',
    quantity: 12_000,
    productionDate: '2026-04-12',
    expiryDate: '2027-10-04',
  });
  await ensure(base, 'customs-declarations', { direction: 'export', declarationNumber: 'DE-EX-2026-004411' }, {
    direction: 'export', declarationNumber: 'DE-EX-2026-004411', port: 'Hamburg', date: '2026-05-02', status: 'cleared', lotIds: [lot.id],
  });
  await ensure(base, 'customs-declarations', { direction: 'import', declarationNumber: '310120260000123456' }, {
    direction: 'import', declarationNumber: '310120260000123456', port: 'Shanghai Yangshan', date: '2026-06-09', status: 'cleared', lotIds: [lot.id],
    quarantineCertificateNumber: 'CIQ-3101-2026-778812',
  });

  await ensureDemoRuleSet(base);
  await captureDemoTrail(base, String(stored[0]!['gtin']), 'L2026-0412');
  const decision = await completeDemoInspection(base, lot.id);
  const scan = await ensureDemoIdentities(base, { lotId: lot.id, gtin: String(stored[0]!['gtin']), lotNumber: 'L2026-0412', expiryDate: '2027-10-04', quantity: 12_000 });

  const demo: DemoData = {
    productId: stored[0]!.id,
    recordKey: `archive.product/${stored[0]!.id}/v${stored[0]!.version}`,
    gtin: String(stored[0]!['gtin']),
    lotNumber: 'L2026-0412',
    lotId: lot.id,
    decision,
    scan,
  };
  writeFileSync(join(profile.runDir, 'demo.json'), `${JSON.stringify(demo, null, 2)}\n`);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const response = await gatewayFetch(`${base}/v1/proofs?record_key=${encodeURIComponent(demo.recordKey)}`);
    if (response.status === 200) {
      const proof = (await response.json()) as { proof: { status: string } };
      if (proof.proof.status === 'anchored') return demo;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  say('demo: the sample record is not anchored yet; its proof is provisional for now');
  return demo;
}

