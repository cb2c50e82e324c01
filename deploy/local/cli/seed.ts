import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gatewayUrl, type Profile } from './profile.ts';
import { say } from './steps.ts';

// Demo archive: fictitious brands, GTINs under GS1's example company prefix 950600 (never a real
// product), each with a valid check digit.
const DEMO_PRODUCTS = [
  { body: '0950600010001', name: 'Alpenmilch Infant Formula Stage 1, 800 g', brand: 'Alpenmilch', category: 'infant-formula', hsCode: '190110', originCountry: 'DE' },
  { body: '0950600010002', name: 'Manuka Honey UMF 15+, 250 g', brand: 'Kowhai Hives', category: 'honey', hsCode: '040900', originCountry: 'NZ' },
  { body: '0950600010003', name: 'Vitamin C 1000 mg, 150 tablets', brand: 'Southern Cross Health', category: 'dietary-supplements', hsCode: '210690', originCountry: 'AU' },
  { body: '0950600010004', name: 'Bordeaux Rouge 2019, 750 ml', brand: 'Chateau Lumiere', category: 'wine', hsCode: '220421', originCountry: 'FR' },
];

function withCheckDigit(body: string): string {
  let sum = 0;
  for (let position = 0; position < body.length; position += 1) {
    sum += Number(body[body.length - 1 - position]) * (position % 2 === 0 ? 3 : 1);
  }
  return `${body}${(10 - (sum % 10)) % 10}`;
}

export interface DemoData {
  readonly productId: string;
  readonly recordKey: string;
}

/** Registers the demo archive through the gateway (as a user would), once; waits for the first proof to be anchored. */
export async function seedDemoData(profile: Profile): Promise<DemoData> {
  const file = join(profile.runDir, 'demo.json');
  const base = gatewayUrl(profile);
  let demo: DemoData | null = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as DemoData) : null;
  if (demo !== null) {
    const check = await fetch(`${base}/v1/products/${demo.productId}`);
    if (check.status !== 200) demo = null;
  }
  if (demo === null) {
    say('demo: registering the demo archive through the gateway');
    const created: DemoData[] = [];
    for (const product of DEMO_PRODUCTS) {
      const { body, ...fields } = product;
      const gtin = withCheckDigit(body);
      let response = await fetch(`${base}/v1/products`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ gtin, ...fields }),
      });
      // Already registered (the database outlived .run): use the product that is there.
      if (response.status === 409) response = await fetch(`${base}/v1/products/gtin/${gtin}`);
      const payload = (await response.json()) as { record?: { id: string }; record_key?: string; detail?: string };
      if (!response.ok || payload.record === undefined || payload.record_key === undefined) {
        throw new Error(`demo data: registering ${product.name} failed (${response.status}): ${payload.detail ?? ''}`);
      }
      created.push({ productId: payload.record.id, recordKey: payload.record_key });
    }
    demo = created[0]!;
    writeFileSync(file, `${JSON.stringify(demo, null, 2)}\n`);
  }
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const response = await fetch(`${base}/v1/proofs?record_key=${encodeURIComponent(demo.recordKey)}`);
    if (response.status === 200) {
      const proof = (await response.json()) as { proof: { status: string } };
      if (proof.proof.status === 'anchored') return demo;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  say('demo: the sample record is not anchored yet; its proof is provisional for now');
  return demo;
}
