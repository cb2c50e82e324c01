import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, randomGtin, testPlatform } from '@traceport/testing';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createArchiveRecord } from '../support/archive-fixtures.js';
import { launchChromium } from '../support/browser.js';
import { adminKey, gatewayFetch } from '../support/gateway-client.js';
import { captureLotEvent as captureWholeLotEvent } from '../support/lot-events.js';
import { traceportClients, unary } from '../support/grpc-clients.js';

// The operations console in Debian's Chromium, on a laptop screen (1366×768), against the real
// platform: sign in with the admin key, write a rule in the sampling-rule editor (a deliberate CEL
// error is shown at its line, then fixed), simulate it against a lot already decided, publish it,
// receive a new lot through the API and see in the console that the new rule decided it. On the
// way: archive entry with the server's field errors shown inline, the whitelist, an inspection
// result, the ledger, the dashboard's charts, a quick accessibility check of every page, and how
// the gateway serves the console (CSP, caching, client-side routes). Screenshots go to
// test-results/screenshots/console-*.png.

const platform = testPlatform();
const run = crypto.randomUUID().slice(0, 8);
const category = `console-${run}`;
const ruleId = `console-hold-${run}`;
const screenshots = join(platform.root, 'test-results', 'screenshots');
const consoleUrl = `${platform.gatewayUrl}/console`;

interface Decision {
  lot_id: string;
  outcome: string;
  rule_id: string | null;
  rule_set_version: number;
  order: { id: string; status: string } | null;
}

let browser: Browser;
let context: BrowserContext;
let page: Page;
let merchantId: string;
let productId: string;
let gtin: string;
/** A lot decided before the new rule exists: the simulation must show its decision changing. */
let earlierLot: { id: string; number: string; decision: Decision };
let publishedVersion: number;
/** What Chromium reports against the console's Content-Security-Policy, over the whole visit. */
const cspViolations: string[] = [];
/** Scripts or styles that failed, and errors the application threw. */
const pageErrors: string[] = [];

/** An EPCIS event on a whole lot of the console's product, as the bonded warehouse reports it. */
async function captureLotEvent(lotNumber: string, bizStep: string, disposition: string): Promise<void> {
  const capture = await captureWholeLotEvent({ gtin, lot: lotNumber, quantity: 800, bizStep, disposition });
  expect(capture.status).toBe(202);
}

let lotCounter = 0;
/** A lot of the product, received into the bonded warehouse (as decision-flow does): its record, then the EPCIS receiving event. */
async function receiveLot(): Promise<{ id: string; number: string; decision: Decision }> {
  lotCounter += 1;
  const lotNumber = `C${run.slice(0, 6)}${lotCounter}`;
  const lot = await createArchiveRecord('lots', { productId, lotNumber, quantity: 800, productionDate: '2026-10-01', expiryDate: '2028-10-01' });
  await captureLotEvent(lotNumber, 'receiving', 'in_progress');
  const decision = await eventually(`the decision on lot ${lotNumber}`, async () => {
    const reply = await gatewayFetch(`/v1/lots/${lot.id}/decision`);
    return reply.status === 200 ? ((await reply.json()) as Decision) : undefined;
  });
  return { id: lot.id, number: lotNumber, decision };
}

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: join(screenshots, `console-${name}.png`), fullPage: true });
}

/** Navigates by the console's own menu, as a user would, and waits for the page's heading. */
async function openSection(link: string, heading: RegExp): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: link }).click();
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
}

interface AccessibilityReport {
  unlabelled: string[];
  unnamedButtons: string[];
  h1: number;
  landmarks: { main: number; nav: number; banner: number };
}

/**
 * Every form control has a label, every button a name; one h1; the banner, navigation and main
 * landmarks. Runs in the page (as text: the test's TypeScript has no DOM types).
 */
const ACCESSIBILITY_PROBE = `(() => {
  const controls = [...document.querySelectorAll('input, select, textarea')].filter((control) => control.type !== 'hidden');
  const unlabelled = controls
    .filter((control) => (control.labels?.length ?? 0) === 0 && !control.getAttribute('aria-label') && !control.getAttribute('aria-labelledby'))
    .map((control) => control.outerHTML.slice(0, 120));
  const unnamedButtons = [...document.querySelectorAll('button')].filter((button) => button.textContent.trim() === '' && !button.getAttribute('aria-label')).map((button) => button.outerHTML.slice(0, 120));
  return {
    unlabelled,
    unnamedButtons,
    h1: document.querySelectorAll('h1').length,
    landmarks: { main: document.querySelectorAll('main').length, nav: document.querySelectorAll('nav').length, banner: document.querySelectorAll('header').length },
    width: document.documentElement.scrollWidth,
  };
})()`;

async function accessibilityOf(): Promise<AccessibilityReport & { width: number }> {
  return page.evaluate<AccessibilityReport & { width: number }>(ACCESSIBILITY_PROBE);
}

const storedKey = () => page.evaluate<string | null>(`sessionStorage.getItem('traceport.console.apiKey')`);

async function expectAccessible(): Promise<void> {
  const report = await accessibilityOf();
  expect(report.unlabelled, 'form controls without a label').toEqual([]);
  expect(report.unnamedButtons, 'buttons without a name').toEqual([]);
  expect(report.h1).toBe(1);
  expect(report.landmarks.main).toBe(1);
  expect(report.landmarks.nav).toBeGreaterThanOrEqual(1);
  expect(report.landmarks.banner).toBe(1);
  // Nothing wider than a 1366×768 laptop screen.
  expect(report.width).toBeLessThanOrEqual(1366);
}

beforeAll(async () => {
  mkdirSync(screenshots, { recursive: true });
  const merchant = await createArchiveRecord('merchants', { legalName: `Console Importer ${run} Ltd.`, country: 'CN', registrationNumber: `91310000K${run}` });
  merchantId = merchant.id;
  const brand = await createArchiveRecord('brands', { name: `Console Brand ${run}`, ownerMerchantId: merchantId });
  const factory = await createArchiveRecord('factories', {
    name: `Console Factory ${run}`,
    country: 'DE',
    address: '1 Teststraße, Hamburg',
    certifications: [{ type: 'ISO 9001', issuer: 'TÜV Nord', number: `DE-${run}`, validFrom: '2020-01-01', validTo: '2030-12-31' }],
  });
  gtin = randomGtin();
  productId = (await createArchiveRecord('products', { gtin, name: `Console Product ${run}`, brandId: brand.id, factoryId: factory.id, category, hsCode: '190110', originCountry: 'DE' })).id;
  earlierLot = await receiveLot();
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  page = await context.newPage();
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  page.on('pageerror', (error) => pageErrors.push(error.message));
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
});

describe('the gateway serves the console', () => {
  it('answers the application page with a strict Content-Security-Policy, revalidated on every visit', async () => {
    const response = await fetch(`${consoleUrl}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    const html = await response.text();
    // No inline script: every <script> has a src.
    expect(html.match(/<script(?![^>]*\bsrc=)[^>]*>/g) ?? []).toEqual([]);
    const asset = /src="(\/console\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset).toBeDefined();
    const script = await fetch(`${platform.gatewayUrl}${asset}`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('answers the page for client-side routes, and 404 problem+json for a missing file', async () => {
    const route = await fetch(`${consoleUrl}/rules`);
    expect(route.status).toBe(200);
    expect(route.headers.get('content-type')).toMatch(/^text\/html/);
    const missing = await fetch(`${consoleUrl}/assets/nothing-here.js`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const climbing = await fetch(`${consoleUrl}/..%2f..%2fpackage.json`);
    expect(climbing.status).toBe(404);
  });
});

describe('the dashboard figures', () => {
  it('GET /v1/dashboard counts the archive, the decisions of each day and the anchoring lag', async () => {
    const response = await gatewayFetch('/v1/dashboard?days=7');
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      counts: Record<string, number>;
      decisions_per_day: { day: string; released: number; inspection_ordered: number; held: number }[];
      ledger: { log_size: number; anchored_size: number; lag_records: number };
    };
    for (const kind of ['merchants', 'factories', 'products', 'lots', 'events']) expect(body.counts[kind], kind).toBeGreaterThanOrEqual(1);
    expect(body.counts['identities']).toBeGreaterThanOrEqual(0);
    expect(body.decisions_per_day).toHaveLength(7);
    const today = body.decisions_per_day.at(-1)!;
    expect(today.day).toBe(new Date().toISOString().slice(0, 10));
    expect(today.released + today.inspection_ordered + today.held).toBeGreaterThanOrEqual(1);
    expect(body.ledger.log_size).toBeGreaterThanOrEqual(body.ledger.anchored_size);
    expect(body.ledger.lag_records).toBe(body.ledger.log_size - body.ledger.anchored_size);
    const refused = await gatewayFetch('/v1/dashboard?days=0');
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { errors: { field: string }[] }).errors[0]?.field).toBe('days');
  });
});

describe('the same figures over gRPC', () => {
  it('StatisticsService/GetArchiveCounts and LedgerService/GetLedgerState answer what REST shows', async () => {
    const clients = traceportClients(platform.gatewayGrpc);
    try {
      const counts = await unary<Record<string, number>>(clients.statistics, 'GetArchiveCounts', {});
      const rest = ((await (await gatewayFetch('/v1/dashboard?days=1')).json()) as { counts: Record<string, number> }).counts;
      expect(counts).toEqual(rest);
      const state = await unary<{ logSize: number; anchoredSize: number; blockNumber: number; anchoredRoot: string; contract: string }>(clients.ledger, 'GetLedgerState', {});
      expect(state.logSize).toBeGreaterThanOrEqual(state.anchoredSize);
      expect(state.contract).toMatch(/^0x[0-9a-f]{40}$/);
      if (state.anchoredSize > 0) {
        expect(state.anchoredRoot).toMatch(/^[0-9a-f]{64}$/);
        expect(state.blockNumber).toBeGreaterThan(0);
      }
    } finally {
      clients.archive.close();
      clients.ledger.close();
      clients.statistics.close();
    }
  });
});

describe('an operator in the console', () => {
  it('signs in with the API key and sees who is signed in', async () => {
    await page.goto(`${consoleUrl}/`);
    await page.getByRole('heading', { level: 1, name: 'Traceport console' }).waitFor();
    await shot('login');
    const whoami = await gatewayFetch('/v1/auth/whoami');
    const checksKeys = whoami.status !== 404;
    if (checksKeys) {
      // A key the gateway does not know is refused, with the reason shown next to the field.
      await page.getByLabel('API key').fill('tp_not_a_real_key');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('alert').waitFor();
    }
    await page.getByLabel('API key').fill(adminKey() ?? 'the-gateway-checks-no-keys-yet');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    const banner = page.getByRole('banner');
    await banner.getByRole('button', { name: 'Log out' }).waitFor();
    if (checksKeys) {
      const who = (await whoami.json()) as { role: string; organisation: { name: string } };
      await expect.poll(() => banner.textContent(), { message: `the banner names ${JSON.stringify(who)}` }).toContain(who.role);
      await expect.poll(() => banner.textContent(), { message: `the banner names ${JSON.stringify(who)}` }).toContain(who.organisation.name);
    } else {
      await expect.poll(() => banner.textContent()).toContain('does not check keys yet');
    }
    expect(await storedKey()).not.toBeNull();
  });

  it('reads the dashboard as charts, each with its figures as a table', async () => {
    await page.getByTestId('counts').waitFor();
    await expect.poll(async () => page.locator('figure.chart svg.recharts-surface').count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(3);
    const productTile = page.getByTestId('counts').locator('li', { hasText: 'Products' });
    expect(Number((await productTile.locator('.count-value').textContent())?.replaceAll(',', ''))).toBeGreaterThanOrEqual(1);
    await page.getByTestId('ledger-state').waitFor();
    // Keyboard users land on the skip link first (on a fresh load: the key stays in the tab's session).
    await page.goto(`${consoleUrl}/dashboard`);
    await page.getByTestId('counts').waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string | undefined>('document.activeElement?.textContent')).toBe('Skip to content');
    await expect.poll(async () => page.locator('figure.chart svg.recharts-surface').count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(3);
    await expectAccessible();
    await shot('dashboard');
  });

  it('writes a rule: a CEL error is shown at its line, and goes once fixed', async () => {
    await openSection('Sampling rules', /Sampling rules/);
    await page.getByTestId('validation-status').waitFor();
    await page.getByRole('button', { name: 'Add a rule' }).click();
    const rule = page.locator('fieldset.rule').first();
    await rule.getByLabel('Rule id').fill(ruleId);
    await rule.getByLabel('Priority').fill('1000');
    await rule.getByLabel('Description').fill('Holds every lot of the console test category');
    await rule.getByLabel('Condition (CEL)').fill(`product.category == '${category}' &&\n  lot.quantity > "many"`);
    // The engine's validation answers a moment after typing: the error is marked on line 2.
    await rule.locator('.cel-line.error-line[data-line="2"]').waitFor();
    const problem = rule.locator('.cel-problems li[data-line="2"]');
    await problem.waitFor();
    expect(await problem.textContent()).toMatch(/^Line 2, column \d+: /);
    expect(await rule.getByLabel('Condition (CEL)').getAttribute('aria-invalid')).toBe('true');
    await shot('rules-cel-error');

    await rule.getByLabel('Condition (CEL)').fill(`product.category == '${category}'`);
    await rule.getByLabel('Action').selectOption('hold');
    await expect.poll(() => page.getByTestId('validation-status').textContent(), { timeout: 15_000 }).toContain('Every condition compiles');
    expect(await rule.locator('.cel-line.error-line').count()).toBe(0);
    await page.getByLabel('Note for this version').fill(`console e2e ${run}`);
    await expectAccessible();
  });

  it('simulates it: the lot decided earlier would now be held by the new rule', async () => {
    await page.getByRole('button', { name: 'Simulate' }).click();
    await page.getByRole('heading', { name: /^Simulation over \d+ past lot/ }).waitFor({ timeout: 30_000 });
    expect(Number(await page.getByTestId('simulation-changed').textContent())).toBeGreaterThanOrEqual(1);
    await expect.poll(() => page.getByTestId('simulation-inspections').textContent()).toMatch(/^\d+ → \d+$/);
    const change = page.locator('table.data tr', { hasText: earlierLot.number });
    await change.waitFor();
    expect(await change.textContent()).toContain(`held by ${ruleId}`);
    await shot('rules-simulated');
  });

  it('publishes it', async () => {
    await page.getByRole('button', { name: 'Publish' }).click();
    const status = page.getByRole('status').filter({ hasText: /is published/ });
    await status.waitFor({ timeout: 15_000 });
    publishedVersion = Number(/Version (\d+) is published/.exec((await status.textContent()) ?? '')?.[1]);
    expect(publishedVersion).toBeGreaterThanOrEqual(1);
    const active = (await (await gatewayFetch('/v1/rule-sets/active')).json()) as { version: number; definition: { rules: { id: string }[] } };
    expect(active.version).toBe(publishedVersion);
    expect(active.definition.rules.map((rule) => rule.id)).toContain(ruleId);
    await page.locator('tr.active-row', { hasText: 'in force' }).waitFor();
    await shot('rules-published');
  });

  it('sees in the console that a lot received after that is decided by the new rule', async () => {
    const lot = await receiveLot();
    expect(lot.decision.rule_id).toBe(ruleId);
    await openSection('Decisions', /Decisions/);
    await page.getByLabel('Lot id').fill(lot.id);
    await page.getByRole('button', { name: 'Show decision' }).click();
    const detail = page.getByTestId('decision-detail');
    await detail.waitFor();
    expect(await detail.getByTestId('decision-rule').textContent()).toBe(ruleId);
    expect(await detail.getByTestId('decision-outcome').textContent()).toContain('held');
    expect(Number(await detail.getByTestId('decision-version').textContent())).toBe(publishedVersion);
    await expectAccessible();
    await shot('decision');
  });

  it("enters archive records, with the server's field errors next to their fields", async () => {
    await openSection('Archive', /Archive: Products/);
    await page.getByRole('search').getByLabel('Search').fill(`Console Product ${run}`);
    await page.getByRole('search').getByRole('button', { name: 'Search' }).click();
    await page.locator('table.data tr', { hasText: gtin }).waitFor();
    await expectAccessible();
    await shot('archive-products');

    await page.getByRole('navigation', { name: 'Archive collections' }).getByRole('link', { name: 'Factories' }).click();
    await page.getByRole('heading', { level: 1, name: /Archive: Factories/ }).waitFor();
    await page.getByRole('button', { name: 'New factory' }).click();
    const form = page.locator('form', { has: page.getByRole('heading', { name: 'New factory' }) });
    await form.getByLabel('Name').fill(`Console Factory Two ${run}`);
    await form.getByLabel('Country').fill('de');
    await form.getByLabel('Address').fill('2 Teststraße, Hamburg');
    await form.getByRole('button', { name: 'Add a certification' }).click();
    await form.getByLabel('Type').fill('GMP');
    await form.getByLabel('Issuer').fill('SGS');
    await form.getByLabel('Number').fill(`GMP-${run}`);
    await form.getByLabel('Valid from').fill('2025-06-01');
    await form.getByLabel('Valid to').fill('2024-06-01');
    await form.getByRole('button', { name: 'Create factory' }).click();
    await form.getByRole('alert').waitFor();
    // Each error sits in its field's box, under its input.
    const country = form.locator('.field.has-error', { has: page.getByLabel('Country') });
    await country.locator('.field-error').waitFor();
    const validTo = form.locator('.field.has-error', { has: page.getByLabel('Valid to') });
    expect(await validTo.locator('.field-error').textContent()).toContain('validTo is before validFrom');
    expect(await form.getByLabel('Country').getAttribute('aria-invalid')).toBe('true');
    await shot('archive-factory-errors');

    await form.getByLabel('Country').fill('DE');
    await form.getByLabel('Valid to').fill('2029-06-01');
    await form.getByRole('button', { name: 'Create factory' }).click();
    const created = page.getByRole('status').filter({ hasText: /Created factory/ });
    await created.waitFor();
    const factoryId = /Created factory ([0-9a-f-]{36})/.exec((await created.textContent()) ?? '')?.[1];
    const stored = (await (await gatewayFetch(`/v1/factories/${factoryId}`)).json()) as { record: { country: string; certifications: { type: string; validTo: string }[] } };
    expect(stored.record.country).toBe('DE');
    expect(stored.record.certifications).toEqual([expect.objectContaining({ type: 'GMP', validTo: '2029-06-01' })]);
    await expectAccessible();
  });

  it('whitelists a merchant with reason, owner and expiry, then removes it', async () => {
    await openSection('Whitelist', /Whitelist/);
    await page.getByLabel('Subject id').fill(merchantId);
    await page.getByLabel('Effect').selectOption('reduced');
    await page.getByLabel('Owner').fill('console e2e');
    await page.getByLabel('Reason').fill('Trusted importer, console test');
    await page.getByRole('button', { name: 'Add to the whitelist' }).click();
    const row = page.locator('table.data tr', { hasText: merchantId });
    await row.waitFor();
    expect(await row.textContent()).toContain('Trusted importer, console test');
    await expectAccessible();
    await shot('whitelist');
    page.once('dialog', (dialog) => void dialog.accept('test over'));
    await row.getByRole('button', { name: 'Remove' }).click();
    await row.waitFor({ state: 'detached' });
    const entries = (await (await gatewayFetch(`/v1/whitelist?subject_id=${merchantId}&include_inactive=true`)).json()) as { entries: { status: string }[] };
    expect(entries.entries.map((entry) => entry.status)).toEqual(['revoked']);
  });

  it("lists inspection orders and submits the earlier lot's result", async () => {
    await openSection('Inspections', /Inspection orders and results/);
    await expectAccessible();
    await shot('inspections');
    if (earlierLot.decision.order === null) return; // released under the rules then in force: no order to answer
    const row = page.locator('table.data tr', { hasText: earlierLot.id });
    await row.getByRole('button', { name: 'Enter result' }).click();
    await page.getByLabel('Inspector').fill('Inspector Console');
    await page.getByLabel('Major nonconforming units').fill('0');
    await expectAccessible();
    await shot('inspection-result');
    await page.getByRole('button', { name: 'Submit result' }).click();
    await page.getByRole('status').filter({ hasText: 'Result recorded' }).waitFor();
    const order = (await (await gatewayFetch(`/v1/inspection-orders/${earlierLot.decision.order.id}`)).json()) as { status: string; result: { inspector: string } | null };
    expect(order.result?.inspector).toBe('Inspector Console');
    // The warehouse reports the inspection as an EPCIS event; the statistics count it, and the
    // dashboard's pass-rate charts show the category.
    await captureLotEvent(earlierLot.number, 'inspecting', 'conformant');
    await eventually('the pass rate of the console category', async () => {
      const report = (await (await gatewayFetch(`/v1/statistics/category?key=${category}`)).json()) as { groups: { pass_rate: number | null }[] };
      return report.groups[0]?.pass_rate === 1 ? true : undefined;
    });
    await openSection('Dashboard', /Dashboard/);
    const byCategory = page.getByRole('figure', { name: 'Inspection pass rate by product category' });
    await byCategory.locator('svg.recharts-surface').waitFor();
    await byCategory.getByText('Show the figures').click();
    await byCategory.locator('tr', { hasText: category }).getByText('100.0%').waitFor();
    await shot('dashboard-pass-rates');
  });

  it('reads the ledger state', async () => {
    await openSection('Ledger', /Ledger/);
    await page.getByTestId('ledger-state').waitFor();
    await page.getByRole('button', { name: 'Audit now' }).click();
    await page.getByRole('status').filter({ hasText: 'The log matches what was anchored' }).waitFor({ timeout: 60_000 });
    await expectAccessible();
    await shot('ledger');
  });

  it('lists holds and recalls, and lifts a hold (or says they are not available)', async () => {
    const holdsServed = (await gatewayFetch('/v1/holds?status=open')).status !== 404;
    if (holdsServed) {
      // A recall of the console's product holds its lots still in the warehouse.
      const recall = await gatewayFetch('/v1/recalls', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ scope: { product_id: productId }, reason: `console e2e recall ${run}` }),
      });
      expect(recall.status, await recall.clone().text()).toBe(201);
    }
    await openSection('Holds and recalls', /Holds and recalls/);
    await page.getByRole('heading', { level: 2, name: 'Open holds' }).waitFor();
    if (!holdsServed) {
      await page.getByText('Holds are not available on this gateway yet.').waitFor();
      await expectAccessible();
      await shot('holds');
      return;
    }
    await page.getByRole('region', { name: 'Recalls' }).locator('tr', { hasText: `console e2e recall ${run}` }).waitFor();
    const held = page.getByRole('region', { name: 'Open holds' }).locator('tr', { hasText: earlierLot.number });
    await held.waitFor();
    await expectAccessible();
    await shot('holds');
    await held.getByRole('button', { name: /^Lift/ }).click();
    await page.getByLabel('Why the hold is lifted').fill('Checked by the console test');
    await page.getByRole('button', { name: 'Lift the hold', exact: true }).click();
    await page.getByRole('status').filter({ hasText: `Lifted the hold on lot ${earlierLot.number}` }).waitFor();
    await held.waitFor({ state: 'detached' });
  });

  it('logs out: the key is gone and the sign-in page is back', async () => {
    await page.getByRole('banner').getByRole('button', { name: 'Log out' }).click();
    await page.getByLabel('API key').waitFor();
    expect(await storedKey()).toBeNull();
  });

  it('met no Content-Security-Policy violation and no script error on the way', () => {
    expect(cspViolations).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
