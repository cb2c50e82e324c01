import { testPlatform } from '@traceport/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { gatewayFetch } from '../support/gateway-client.js';

// Security headers and Content-Security-Policies, checked as a browser enforces them: every response
// carries the headers; the API loads nothing; each page loads what it needs and nothing else, with
// no CSP violation reported by Debian's Chromium.

const platform = testPlatform();
const NOT_ISSUED = '/01/09506000134352/21/NEVER-ISSUED-CSP';
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

function directives(policy: string | null): Map<string, string> {
  return new Map(
    (policy ?? '')
      .split(';')
      .map((part) => part.trim())
      .filter(Boolean)
      .map((part) => [part.split(/\s+/)[0]!, part.slice(part.indexOf(' ') + 1)] as [string, string]),
  );
}

/** Opens a page and collects every CSP violation the browser reports while it loads and renders. */
async function openCollectingViolations(path: string, options: { javaScriptEnabled: boolean }): Promise<{ page: Page; violations: string[]; close(): Promise<void> }> {
  const context = await browser.newContext({ javaScriptEnabled: options.javaScriptEnabled });
  const page = await context.newPage();
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  await page.goto(`${platform.gatewayUrl}${path}`);
  return { page, violations, close: () => context.close() };
}

describe('security headers', () => {
  it.each(['/health/live', '/openapi.json', '/v1/sampling/plan?lot_size=500&level=II&aql=1.0&severity=normal', NOT_ISSUED])('%s carries them', async (path) => {
    const response = await gatewayFetch(path, { headers: { accept: 'text/html' } });
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    expect(response.headers.get('x-powered-by')).toBeNull();
    expect(directives(response.headers.get('content-security-policy')).get('frame-ancestors')).toBe("'none'");
  });

  it('gives the JSON API a CSP that allows nothing', async () => {
    const response = await fetch(`${platform.gatewayUrl}/openapi.json`);
    expect(directives(response.headers.get('content-security-policy')).get('default-src')).toBe("'none'");
  });

  it('lets the scan page apply its own style and nothing else: no script, no other style', async () => {
    const response = await fetch(`${platform.gatewayUrl}${NOT_ISSUED}`, { headers: { accept: 'text/html' } });
    const policy = directives(response.headers.get('content-security-policy'));
    expect(policy.get('default-src')).toBe("'none'");
    expect(policy.get('style-src')).toMatch(/^'sha256-[A-Za-z0-9+/]+=*'$/);
    expect(policy.has('script-src')).toBe(false);

    const { page, violations, close } = await openCollectingViolations(NOT_ISSUED, { javaScriptEnabled: true });
    try {
      // The hash admits the page's one style block: the background it sets is applied.
      // Evaluated in the page (strings: this file is type-checked without the DOM library).
      expect(await page.evaluate('getComputedStyle(document.body).backgroundColor')).toBe('rgb(243, 245, 247)');
      // An injected inline script would be refused.
      const ran = await page.evaluate(`(() => {
        const script = document.createElement('script');
        script.textContent = 'window.__injected = true';
        document.body.append(script);
        return window.__injected === true;
      })()`);
      expect(ran).toBe(false);
      expect(violations.some((text) => /script/i.test(text))).toBe(true);
      expect(violations.filter((text) => /style/i.test(text))).toEqual([]);
    } finally {
      await close();
    }
  });

  it('renders the API documentation under its CSP with no violation', async () => {
    const { page, violations, close } = await openCollectingViolations('/docs', { javaScriptEnabled: true });
    try {
      await page.locator('.swagger-ui .info .title').waitFor({ timeout: 30_000 });
      expect(await page.locator('.swagger-ui .info .title').innerText()).toMatch(/Traceport/);
      expect(violations).toEqual([]);
    } finally {
      await close();
    }
  });
});
