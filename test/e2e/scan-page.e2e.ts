import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { verifyInclusion } from '@traceport/ledger';
import { eventually, testPlatform } from '@traceport/testing';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProfile, type ProfileName } from '../../deploy/local/cli/profile.ts';
import { DEMO_RULE_SET } from '../../deploy/local/cli/seed-decisions.ts';
import { seedDemoData, type DemoData } from '../../deploy/local/cli/seed.ts';
import { launchChromium } from '../support/browser.js';
import { gatewayFetch } from '../support/gateway-client.js';

// The consumer's scan page in a real browser (Debian's Chromium, JavaScript off, a phone-sized
// viewport): the demo data that ./traceport up seeds, its genuine code with every section, the
// same in Chinese, a cloned code with its warning, and a code that was never issued. Screenshots
// go to test-results/screenshots/.

const platform = testPlatform();
const screenshots = join(platform.root, 'test-results', 'screenshots');
let demo: DemoData;
let browser: Browser;

interface ScanJson {
  records: { type: string; record_key: string; record: Record<string, unknown>; proof: { leaf_index: number; tree_size: number; inclusion_path: string[]; root_hash: string; leaf_hash: string; anchor: { block_number: number } | null } | null }[];
  scans: { signals: { kind: string }[] };
}

async function scanJson(url: string, region = ''): Promise<ScanJson> {
  const response = await fetch(url, { headers: { accept: 'application/json', ...(region === '' ? {} : { 'x-geo-region': region }) } });
  expect(response.status).toBe(200);
  return (await response.json()) as ScanJson;
}

beforeAll(async () => {
  mkdirSync(screenshots, { recursive: true });
  // Other tests publish rule sets of their own; the demo lot is decided by the demo's rules, as on `./traceport up`.
  const headers = { 'content-type': 'application/json' };
  const draft = (await (await gatewayFetch(`/v1/rule-sets`, { method: 'POST', headers, body: JSON.stringify({ definition: DEMO_RULE_SET }) })).json()) as { version: number };
  expect((await gatewayFetch(`/v1/rule-sets/${draft.version}/publish`, { method: 'POST', headers, body: '{}' })).status).toBe(200);
  demo = await seedDemoData(loadProfile((process.env['TRACEPORT_PROFILE'] ?? 'test') as ProfileName, platform.root));
  browser = await launchChromium();
  // The page shows each record as anchored once its log head is on chain.
  await eventually(
    'every record of the demo code anchored',
    async () => ((await scanJson(demo.scan.scanUrl)).records.every((record) => record.proof?.anchor) ? true : undefined),
    60_000,
  );
});

afterAll(async () => {
  await browser?.close();
});

async function openPage(url: string, locale: string) {
  const context = await browser.newContext({ javaScriptEnabled: false, locale, viewport: { width: 390, height: 844 }, extraHTTPHeaders: { 'accept-language': locale } });
  const page = await context.newPage();
  const response = await page.goto(url);
  return { page, status: response?.status(), close: () => context.close() };
}

describe('the scan page', () => {
  it('shows a genuine code with every section, readable without JavaScript', async () => {
    const { page, status, close } = await openPage(demo.scan.scanUrl, 'en-GB');
    expect(status).toBe(200);
    const text = await page.locator('main').innerText();
    expect(await page.locator('h1').innerText()).toBe('Alpenmilch Infant Formula Stage 1, 800 g');
    for (const expected of [
      'Genuine code',
      'Alpenmilch', // brand
      'Harbour Bridge Imports (Shanghai) Co., Ltd.',
      'Alpenmilch Molkerei GmbH',
      'ISO 22000',
      'L2026-0412',
      'Hamburg',
      'Shanghai Yangshan',
      'CIQ-3101-2026-778812',
      'Released',
      'Shanghai Yangshan Inspection Centre',
      'Passed',
      'commissioning',
      'receiving',
      'Records and proofs',
    ]) {
      expect(text, expected).toContain(expected);
    }
    // The expired GMP certificate is shown as expired, the ISO 22000 one as valid.
    await expect.poll(() => page.locator('#factory ~ ul li, section:has(#factory) li').allInnerTexts()).toEqual(
      expect.arrayContaining([expect.stringMatching(/ISO 22000.*valid/), expect.stringMatching(/GMP.*expired/)]),
    );
    expect(await page.locator('section:has(#records) li').count()).toBeGreaterThanOrEqual(10);
    expect(await page.locator('section:has(#records) li', { hasText: 'pending' }).count()).toBe(0);
    expect(await page.locator('a[download]').first().getAttribute('href')).toMatch(/^\/v1\/proofs\?record_key=.+&download=true$/);
    expect(await page.locator('[role=alert]').count()).toBe(0);
    await page.screenshot({ path: join(screenshots, 'scan-page-genuine.png'), fullPage: true });
    await close();
  });

  it('speaks Simplified Chinese to a Chinese browser, with a switch back', async () => {
    const { page, close } = await openPage(demo.scan.scanUrl, 'zh-CN');
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    const text = await page.locator('main').innerText();
    for (const expected of ['正品码', '生产工厂', '海关', '检验', '放行', '合格', '记录与证明']) expect(text, expected).toContain(expected);
    await page.screenshot({ path: join(screenshots, 'scan-page-genuine-zh.png'), fullPage: true });
    await page.locator('header a').click();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await close();
  });

  it('warns on a code scanned in too many places, and not on a fresh one', async () => {
    const { page, close } = await openPage(demo.scan.clonedScanUrl, 'en-GB');
    const alert = page.locator('[role=alert]');
    expect(await alert.innerText()).toContain('signs of copying');
    expect(await alert.innerText()).toMatch(/regions/);
    await page.screenshot({ path: join(screenshots, 'scan-page-cloned.png'), fullPage: true });
    await close();
    const fresh = await scanJson(demo.scan.scanUrl);
    expect(fresh.scans.signals).toEqual([]);
  });

  it('says plainly that a code never issued is not genuine', async () => {
    const { page, status, close } = await openPage(demo.scan.unknownScanUrl, 'en-GB');
    expect(status).toBe(404);
    expect(await page.locator('h1').innerText()).toBe('This is not a genuine code');
    expect(await page.locator('main').innerText()).toContain('report it');
    await page.screenshot({ path: join(screenshots, 'scan-page-not-genuine.png'), fullPage: true });
    await close();
    const malformed = await openPage(`${platform.gatewayUrl}/01/12345/21/x`, 'en-GB');
    expect(malformed.status).toBe(404);
    await malformed.close();
    const json = await fetch(demo.scan.unknownScanUrl, { headers: { accept: 'application/json' } });
    expect(json.status).toBe(404);
    expect(json.headers.get('content-type')).toMatch(/problem\+json/);
  });

  it('answers the same content as JSON, every record with its proof, the issuance proving the serial', async () => {
    const page = await scanJson(demo.scan.scanUrl);
    const types = new Set(page.records.map((record) => record.type));
    for (const type of ['identity.issuance', 'archive.product', 'archive.brand', 'archive.merchant', 'archive.factory', 'archive.lot', 'customs.declaration', 'decision.lot-decision', 'decision.inspection-result', 'epcis.event']) {
      expect(types, type).toContain(type);
    }
    for (const record of page.records) expect(record.proof?.anchor?.block_number, record.record_key).toBeGreaterThan(0);
    // The code's own proof of issuance: its serial is a leaf of the tree whose root the anchored issuance record holds.
    const serial = new URL(demo.scan.scanUrl).pathname.split('/21/')[1]!;
    const identity = (await (await gatewayFetch(`/v1/identities/${demo.gtin}/${serial}`)).json()) as { issuance_proof: { leaf_index: number; tree_size: number; inclusion_path: string[]; serials_root: string; leaf_hash: string } };
    const issuance = page.records.find((record) => record.type === 'identity.issuance')!;
    expect(issuance.record['serialsRoot']).toBe(identity.issuance_proof.serials_root);
    const proof = identity.issuance_proof;
    const verdict = verifyInclusion({
      leafIndex: proof.leaf_index,
      treeSize: proof.tree_size,
      leafHash: Buffer.from(proof.leaf_hash, 'hex'),
      inclusionPath: proof.inclusion_path.map((hash) => Buffer.from(hash, 'hex')),
      rootHash: Buffer.from(proof.serials_root, 'hex'),
    });
    expect(verdict).toEqual({ valid: true });
  });

  it('verifies offline: ./traceport verify <scan-url> checks the code and every record against the chain', () => {
    const output = execFileSync(join(platform.root, 'traceport'), ['verify', demo.scan.scanUrl, '--rpc', platform.chainRpcUrl], { encoding: 'utf8' });
    expect(output).toMatch(/✓ code \d{14}\/\w+ is serial 0 of the 12000 the issuance committed to/);
    expect(output).not.toContain('✗');
    expect(output).toMatch(/verified: the code and all \d+ records on its page are the ones anchored on chain/);
  });
});
