import { gatewayFetch } from './admin-key.ts';
import { say } from './steps.ts';

// The demo lot's item identities, issued through the gateway as the middle platform would, and three
// scan URLs that show the consumer's page: a fresh genuine code, a genuine code whose scans look
// cloned (scanned in five regions within minutes), and a code Traceport never issued.

interface IssuanceJson {
  id: string;
  status: string;
  total: number;
  issued: number;
  failure?: string | null;
}

export interface DemoScanUrls {
  readonly scanUrl: string;
  readonly clonedScanUrl: string;
  readonly unknownScanUrl: string;
  readonly labelsUrl: string;
}

/** Regions of the simulated copies: the same code in five places within minutes. */
const CLONE_REGIONS = ['CN-SH', 'CN-GD', 'DE-BY', 'US-CA', 'AU-NSW', 'CN-SH'];

async function json<T>(response: Response, what: string): Promise<T> {
  const body = (await response.json()) as T & { detail?: string };
  if (!response.ok) throw new Error(`demo data: ${what} failed (${response.status}): ${body.detail ?? ''}`);
  return body;
}

async function issued(base: string, lotId: string, quantity: number): Promise<{ issuance: IssuanceJson; fresh: boolean }> {
  const existing = await json<{ issuances: IssuanceJson[] }>(await gatewayFetch(`${base}/v1/lots/${lotId}/identity-issuances`), 'listing the demo lot’s issuances');
  let issuance = existing.issuances.find((candidate) => candidate.status !== 'failed');
  const fresh = issuance === undefined;
  if (issuance === undefined) {
    say(`demo: issuing ${quantity.toLocaleString('en')} item identities for the demo lot`);
    issuance = await json<IssuanceJson>(
      await gatewayFetch(`${base}/v1/lots/${lotId}/identities`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ quantity }) }),
      'issuing the demo lot’s identities',
    );
  }
  const deadline = Date.now() + 180_000;
  while (issuance.status !== 'succeeded') {
    if (issuance.status === 'failed') throw new Error(`demo data: the demo issuance failed: ${issuance.failure ?? ''}`);
    if (Date.now() > deadline) throw new Error('demo data: the demo issuance did not finish within 3 minutes');
    await new Promise((resolve) => setTimeout(resolve, 500));
    issuance = await json<IssuanceJson>(await gatewayFetch(`${base}/v1/identity-issuances/${issuance.id}`), 'reading the demo issuance');
  }
  return { issuance, fresh };
}

/** Issues the demo lot's identities (once) and answers the scan URLs the demo prints. */
export async function ensureDemoIdentities(base: string, demo: { lotId: string; gtin: string; lotNumber: string; expiryDate: string; quantity: number }): Promise<DemoScanUrls> {
  // Imported here, not at the top: the CLI starts before the libs are built (./traceport builds them).
  const { buildDigitalLink } = await import('@traceport/identity');
  const { issuance, fresh } = await issued(base, demo.lotId, demo.quantity);
  const page = await json<{ identities: { serial: string }[] }>(
    await gatewayFetch(`${base}/v1/identity-issuances/${issuance.id}/identities?from_index=0&limit=2`),
    'reading the demo identities',
  );
  const [first, second] = page.identities;
  if (first === undefined || second === undefined) throw new Error('demo data: the demo issuance has fewer than two identities');
  const expiry = demo.expiryDate.replace(/-/g, '').slice(2);
  const url = (serial: string) => buildDigitalLink({ gtin: demo.gtin, lot: demo.lotNumber, serial, expiry }, { resolver: base });
  if (fresh) {
    // Copies of one code scanned around the world: the page shows the cloning warning for it.
    for (const region of CLONE_REGIONS) {
      await gatewayFetch(url(second.serial), { headers: { accept: 'application/json', 'x-geo-region': region } });
    }
  }
  return {
    scanUrl: url(first.serial),
    clonedScanUrl: url(second.serial),
    unknownScanUrl: buildDigitalLink({ gtin: demo.gtin, lot: demo.lotNumber, serial: 'NOTISSUED0000' }, { resolver: base }),
    labelsUrl: `${base}/v1/identity-issuances/${issuance.id}/labels.pdf?limit=240`,
  };
}
