import { mkdirSync } from 'node:fs';
import { validate } from '@readme/openapi-parser';
import { testPlatform } from '@traceport/testing';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { gatewayFetch } from '../support/gateway-client.js';

// The gateway's OpenAPI 3.1 document and its interactive page, from the running platform: the
// document is valid, covers the public interface BRIEF §4 pins, documents every error as RFC 9457
// problem+json, and describes what the gateway really answers; the page works with nothing but the
// gateway (no CDN). That the document covers every registered route is checked where the routes
// are known: apps/interaction-gateway/src/openapi/openapi-document.spec.ts.

const platform = testPlatform();
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

interface Operation {
  operationId?: string;
  summary?: string;
  parameters?: { name: string; in: string; required?: boolean }[];
  requestBody?: { content: Record<string, { schema?: unknown }> };
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}
interface Document {
  openapi: string;
  paths: Record<string, Partial<Record<(typeof METHODS)[number], Operation>>>;
  components: { schemas: Record<string, unknown> };
}

let document: Document;

beforeAll(async () => {
  const response = await gatewayFetch(`/openapi.json`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  document = (await response.json()) as Document;
});

function operation(method: (typeof METHODS)[number], path: string): Operation {
  const found = document.paths[path]?.[method];
  if (found === undefined) throw new Error(`${method.toUpperCase()} ${path} is not documented`);
  return found;
}

/** A validator of one documented schema, its $refs into the document's components resolved. */
function validatorOf(schema: unknown) {
  const rewrite = (value: unknown) => JSON.parse(JSON.stringify(value).replaceAll('"#/components/schemas/', '"#/$defs/')) as Record<string, unknown>;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  return ajv.compile({ ...rewrite(schema), $defs: rewrite(document.components.schemas) });
}

async function expectDocumented(method: (typeof METHODS)[number], documentedPath: string, url: string, init: RequestInit = {}): Promise<unknown> {
  const response = await gatewayFetch(url, { ...init, method: method.toUpperCase() });
  const status = String(response.status);
  const contentType = (response.headers.get('content-type') ?? '').split(';')[0]!;
  const body: unknown = await response.json();
  const documented = operation(method, documentedPath).responses;
  const schema = (documented[status] ?? documented['default'])?.content?.[contentType]?.schema;
  expect(schema, `${method.toUpperCase()} ${url} answered ${status} ${contentType}, which ${documentedPath} does not document`).toBeDefined();
  const validator = validatorOf(schema);
  expect(validator(body) ? [] : validator.errors, `${method.toUpperCase()} ${url} → ${status}`).toEqual([]);
  return body;
}

describe('GET /openapi.json', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    expect(document.openapi).toBe('3.1.0');
    const result = await validate(structuredClone(document) as never);
    expect(result.valid ? [] : result.errors).toEqual([]);
  });

  it('covers the public interface of BRIEF §4 and every REST area of the gateway', () => {
    const pinned: [(typeof METHODS)[number], string][] = [
      ['post', '/epcis/capture'],
      ['get', '/epcis/capture/{captureId}'],
      ['get', '/epcis/events'],
      ['get', '/epcis/events/{eventId}'],
      ['get', '/01/{gtin}/21/{serial}'],
      ['get', '/v1/sampling/plan'],
      ['get', '/health/live'],
      ['get', '/health/ready'],
      ['get', '/metrics'],
      ['post', '/v1/merchants'],
      ['get', '/v1/factories/{id}'],
      ['put', '/v1/products/{id}'],
      ['get', '/v1/lots/{id}/versions/{version}'],
      ['get', '/v1/customs-declarations'],
      ['post', '/v1/archive/imports'],
      ['get', '/v1/products/gtin/{gtin}'],
      ['get', '/v1/proofs'],
      ['get', '/v1/ledger/consistency'],
      ['post', '/v1/ledger/audit'],
      ['get', '/v1/statistics/{dimension}'],
      ['get', '/v1/lots/trail'],
      ['get', '/v1/items/trail'],
      ['post', '/v1/rule-sets/simulate'],
      ['post', '/v1/rule-sets/{version}/publish'],
      ['put', '/v1/whitelist/{id}'],
      ['get', '/v1/decisions'],
      ['get', '/v1/lots/{lotId}/decision'],
      ['post', '/v1/inspection-orders/{id}/result'],
      ['get', '/v1/suppliers/{factoryId}/{category}'],
      ['post', '/v1/lots/{lotId}/identities'],
      ['get', '/v1/identity-issuances/{id}/labels.pdf'],
      ['get', '/v1/identities/{gtin}/{serial}/qr.svg'],
    ];
    for (const [method, path] of pinned) expect(operation(method, path).summary, `${method.toUpperCase()} ${path}`).toBeTruthy();
    expect(operation('get', '/v1/sampling/plan').parameters?.map((parameter) => parameter.name)).toEqual(expect.arrayContaining(['lot_size', 'level', 'aql', 'severity']));
    expect(Object.keys(operation('post', '/epcis/capture').requestBody?.content ?? {})).toEqual(['application/json', 'application/ld+json']);
  });

  it('documents the errors of every operation as RFC 9457 problem+json', () => {
    const problem = document.components.schemas['Problem'] as { required: string[]; properties: Record<string, unknown> };
    expect(problem.required).toEqual(['type', 'title', 'status', 'detail', 'code']);
    expect(problem.properties['errors']).toMatchObject({ type: 'array', items: { $ref: '#/components/schemas/FieldViolation' } });
    for (const [path, item] of Object.entries(document.paths)) {
      for (const method of METHODS) {
        const found = item[method];
        if (found === undefined) continue;
        expect(found.responses['default']?.content?.['application/problem+json']?.schema, `${method.toUpperCase()} ${path}`).toEqual({ $ref: '#/components/schemas/Problem' });
      }
    }
  });
});

describe('what the gateway answers is what the document says', () => {
  it('GET /v1/sampling/plan', async () => {
    const plan = await expectDocumented('get', '/v1/sampling/plan', '/v1/sampling/plan?lot_size=2000&level=II&aql=1.0&severity=normal');
    expect(plan).toMatchObject({ code_letter: 'K', n: 125, ac: 3, re: 4 });
    await expectDocumented('get', '/v1/sampling/plan', '/v1/sampling/plan?lot_size=2000&level=IV&aql=1.0');
  });

  it('GET /v1/rule-sets, GET /v1/whitelist, GET /v1/suppliers, GET /v1/decisions', async () => {
    await expectDocumented('get', '/v1/rule-sets', '/v1/rule-sets');
    await expectDocumented('get', '/v1/whitelist', '/v1/whitelist?include_inactive=true');
    await expectDocumented('get', '/v1/suppliers', '/v1/suppliers');
    await expectDocumented('get', '/v1/decisions', '/v1/decisions?page_size=5');
  });

  it('GET /v1/merchants and GET /v1/statistics/{dimension}', async () => {
    await expectDocumented('get', '/v1/merchants', '/v1/merchants?page_size=5');
    await expectDocumented('get', '/v1/statistics/{dimension}', '/v1/statistics/category');
  });

  it("the console's dashboard and the ledger state", async () => {
    await expectDocumented('get', '/v1/dashboard', '/v1/dashboard');
    await expectDocumented('get', '/v1/dashboard', '/v1/dashboard?days=91');
    await expectDocumented('get', '/v1/ledger/state', '/v1/ledger/state');
  });

  it('the ledger: an audit, and a proof refused for want of its record key', async () => {
    await expectDocumented('get', '/v1/ledger/audit', '/v1/ledger/audit');
    const problem = await expectDocumented('get', '/v1/proofs', '/v1/proofs');
    expect(problem).toMatchObject({ status: 400, code: 'missing-record-key', errors: [{ field: 'record_key' }] });
  });

  it('the resolver: problem+json for a code never issued, to a JSON client', async () => {
    const problem = await expectDocumented('get', '/01/{gtin}/21/{serial}', '/01/09506000000000/21/never-issued', { headers: { accept: 'application/json' } });
    expect(problem).toMatchObject({ status: 404, code: 'code-not-genuine' });
  });

  it('GET /epcis/capture', async () => {
    await expectDocumented('get', '/epcis/capture', '/epcis/capture');
  });
});

describe('GET /docs', () => {
  let browser: Browser | undefined;

  afterAll(async () => {
    await browser?.close();
  });

  it('is HTML whose scripts and styles all come from the gateway itself', async () => {
    const response = await gatewayFetch(`/docs`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    const assets = [...html.matchAll(/<(?:script|link)\b[^>]*?\b(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
    expect(assets).toEqual(expect.arrayContaining(['/docs/swagger-ui.css', '/docs/swagger-ui-bundle.js', '/docs/swagger-initializer.js']));
    for (const asset of assets) {
      expect(asset, 'a path on the gateway, not another host').toMatch(/^\/(?!\/)/);
      const loaded = await gatewayFetch(asset);
      expect(loaded.status, asset).toBe(200);
      expect(loaded.headers.get('content-type'), asset).toMatch(/^(text\/css|text\/javascript|application\/javascript|image\/png)/);
    }
    const initializer = await (await gatewayFetch(`/docs/swagger-initializer.js`)).text();
    expect(initializer).toContain('"/openapi.json"');
    expect(initializer).toContain('validatorUrl: null');
    expect((await gatewayFetch(`/docs/..%2Fpackage.json`)).status).toBe(404);
  });

  it('renders every operation in a browser that reaches no host but the gateway', async () => {
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const origin = new URL(platform.gatewayUrl).origin;
    const elsewhere: string[] = [];
    // Anything bound for another host is recorded and refused, as it would be on a machine without internet.
    await page.route('**/*', async (route) => {
      const url = route.request().url();
      if (new URL(url).origin === origin || url.startsWith('data:')) await route.continue();
      else {
        elsewhere.push(url);
        await route.abort();
      }
    });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${platform.gatewayUrl}/docs`);
    await page.locator('.opblock').first().waitFor({ timeout: 30_000 });
    const documented = Object.values(document.paths).reduce((count, item) => count + METHODS.filter((method) => item[method] !== undefined).length, 0);
    expect(await page.locator('.opblock').count()).toBe(documented);
    expect(await page.locator('.info .title').textContent()).toContain('Traceport API');
    mkdirSync('test-results/screenshots', { recursive: true });
    await page.screenshot({ path: 'test-results/screenshots/api-docs.png' });
    expect(elsewhere).toEqual([]);
    expect(errors).toEqual([]);
  });
});
