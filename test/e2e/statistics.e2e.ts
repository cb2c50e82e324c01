import { randomGtin } from '@traceport/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { createArchiveRecord, createBrand } from '../support/archive-fixtures.js';
import { gatewayFetch } from '../support/gateway-client.js';

// Pass rates from trace events: two lots of one brand are received and inspected, one conformant
// and one not (and then recalled); the brand's statistics say so, with the Wilson lower bound.

let brandId: string;
const lots: { gtin: string; lotNumber: string }[] = [];

function lotEvent(lot: { gtin: string; lotNumber: string }, n: number, eventTime: string, bizStep: string, disposition: string) {
  return {
    type: 'ObjectEvent',
    eventID: `urn:uuid:${crypto.randomUUID()}`,
    eventTime,
    eventTimeZoneOffset: '+08:00',
    quantityList: [{ epcClass: `https://id.gs1.org/01/${lot.gtin}/10/${lot.lotNumber}`, quantity: 100 + n, uom: 'EA' }],
    action: 'OBSERVE',
    bizStep,
    disposition,
  };
}

beforeAll(async () => {
  brandId = (await createBrand()).brandId;
  for (const lotNumber of ['S1', 'S2']) {
    const gtin = randomGtin();
    const product = await createArchiveRecord('products', { gtin, name: `Stat ${lotNumber}`, brandId, category: 'honey', hsCode: '040900', originCountry: 'NZ' });
    await createArchiveRecord('lots', { productId: product.id, lotNumber, quantity: 100, productionDate: '2026-01-01', expiryDate: '2027-01-01' });
    lots.push({ gtin, lotNumber });
  }
  const events = [
    lotEvent(lots[0]!, 1, '2026-11-01T08:00:00.000+08:00', 'receiving', 'in_progress'),
    lotEvent(lots[0]!, 2, '2026-11-02T08:00:00.000+08:00', 'inspecting', 'conformant'),
    lotEvent(lots[1]!, 3, '2026-11-01T09:00:00.000+08:00', 'receiving', 'in_progress'),
    lotEvent(lots[1]!, 4, '2026-11-02T09:00:00.000+08:00', 'inspecting', 'non_conformant'),
    lotEvent(lots[1]!, 5, '2026-11-03T09:00:00.000+08:00', 'holding', 'recalled'),
  ];
  const response = await gatewayFetch(`/epcis/capture`, {
    method: 'POST',
    headers: { 'content-type': 'application/ld+json' },
    body: JSON.stringify({
      '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
      type: 'EPCISDocument',
      schemaVersion: '2.0',
      creationDate: new Date().toISOString(),
      epcisBody: { eventList: events },
    }),
  });
  expect(response.status).toBe(202);
});

describe('lot statistics', () => {
  it('counts lots received and inspected, passes and failures, incidents, with the Wilson lower bound', async () => {
    const response = await gatewayFetch(`/v1/statistics/brand?key=${brandId}&from=2026-10-01T00:00:00Z&to=2026-12-01T00:00:00Z`);
    expect(response.status).toBe(200);
    const report = (await response.json()) as { groups: Record<string, unknown>[] };
    expect(report.groups).toHaveLength(1);
    expect(report.groups[0]).toMatchObject({ key: brandId, lots_received: 2, lots_inspected: 2, passed: 1, failed: 1, pass_rate: 0.5, incidents: 1 });
    expect(report.groups[0]!['pass_rate_lower_bound']).toBeCloseTo(0.0945, 3);
    expect((report.groups[0]!['last_results'] as { lot_number: string; result: string }[]).map((result) => [result.lot_number, result.result])).toEqual([
      ['S2', 'failed'],
      ['S1', 'passed'],
    ]);
  });

  it('leaves out events outside the window, and refuses an unknown dimension', async () => {
    const later = (await (await gatewayFetch(`/v1/statistics/brand?key=${brandId}&from=2026-11-02T12:00:00Z`)).json()) as { groups: { incidents: number; lots_inspected: number }[] };
    expect(later.groups[0]).toMatchObject({ incidents: 1, lots_inspected: 0 });
    const wrong = await gatewayFetch(`/v1/statistics/planet`);
    expect(wrong.status).toBe(400);
  });
});
