import { describe, expect, it } from 'vitest';
import { renderNotGenuinePage, renderScanPage } from './scan-page.html.js';
import { languageOf } from './scan-page.i18n.js';
import type { ScanPageView } from './scan-page.view.js';

const view: ScanPageView = {
  code: { gtin: '09506000100012', serial: 'ABC', lot: 'L1', expiry: '271004', digitalLink: 'https://id.gs1.org/01/09506000100012/10/L1/21/ABC?17=271004', issuance_proof: { leaf_index: 0, tree_size: 1, inclusion_path: [], serials_root: '' } },
  product: { name: 'Formula <script>alert(1)</script>', gtin: '09506000100012', category: 'infant-formula', originCountry: 'DE', hsCode: '190110' },
  brand: { name: 'Alpenmilch' },
  merchant: { legalName: 'Harbour Bridge', country: 'CN' },
  factory: { name: 'Molkerei', country: 'DE', address: 'Kempten', certifications: [{ type: 'GMP', issuer: 'LGL', number: 'G-1', validFrom: '2023-01-01', validTo: '2025-01-01', status: 'expired' }] },
  lot: { lotNumber: 'L1', productionDate: '2026-04-12', expiryDate: '2027-10-04', quantity: 12000 },
  customs: [],
  inspection: null,
  timeline: [],
  scans: { scans: 1, firstScanAt: '2026-11-26T10:00:00.000Z', regions: [], signals: [] },
  records: [{ type: 'archive.lot', record_key: 'archive.lot/x/v1', record: {}, proof: null, integrity: 'pending' }],
};

describe('the scan page HTML', () => {
  it('escapes every value and marks pending records and expired certificates', () => {
    const html = renderScanPage(view, 'en', '?lang=zh');
    expect(html).not.toContain('<script>');
    expect(html).toContain('Formula &lt;script&gt;');
    expect(html).toContain('pending anchoring');
    expect(html).toMatch(/GMP.*expired/);
    expect(html).toContain('No customs declaration recorded yet.');
  });

  it('shows the cloning warning instead of the genuine banner when signals are raised', () => {
    const html = renderScanPage({ ...view, scans: { ...view.scans, signals: [{ kind: 'too-many-regions', message: 'scanned in 5 regions' }] } }, 'zh', '?lang=en');
    expect(html).toContain('role="alert"');
    expect(html).toContain('此码疑似被复制');
    expect(html).not.toContain('正品码</span>');
  });

  it('says a never-issued code is not genuine', () => {
    expect(renderNotGenuinePage('/01/x/21/<b>', 'en', '?lang=zh', false)).toContain('This is not a genuine code');
    expect(renderNotGenuinePage('/01/x/21/<b>', 'en', '?lang=zh', false)).toContain('&lt;b&gt;');
  });
});

describe('languageOf', () => {
  it('prefers ?lang, then the Accept-Language order', () => {
    expect(languageOf('zh', 'en-GB')).toBe('zh');
    expect(languageOf(undefined, 'fr-FR,zh-CN;q=0.8,en;q=0.5')).toBe('zh');
    expect(languageOf(undefined, 'en-US,zh;q=0.9')).toBe('en');
    expect(languageOf(undefined, 'de-DE')).toBe('en');
    expect(languageOf(undefined, undefined)).toBe('en');
  });
});
