import { testPlatform } from '@traceport/testing';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayFetch } from '../support/gateway-client.js';
import { anyText, arbitraryFor, type JsonSchema, firstLine, serviceRestarts } from './arbitraries.js';
import { SERVICES, supervisedProcesses } from '../support/platform-processes.js';
import { quiescentRowCounts, type RowCounts } from './row-counts.js';

let restartsBefore: Record<string, number>;
beforeAll(() => {
  restartsBefore = serviceRestarts(supervisedProcesses(), SERVICES);
});

// Property-based fuzzing of the whole REST surface, driven by the live OpenAPI document: every
// documented operation gets generated path parameters, query strings and bodies (shaped like its
// schemas, with hostile content, and sometimes nothing like them), as the platform admin, who gets
// furthest into the code. The properties: no 5xx, ever; every refusal is RFC 9457 problem+json with
// a type and a title; and a refused write changes nothing in any service's tables.
// FUZZ_RUNS (default 3,000 requests) and FUZZ_SEED reproduce or widen a run.

const platform = testPlatform();
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
type Method = (typeof METHODS)[number];
const TOTAL_RUNS = Number(process.env['FUZZ_RUNS'] ?? 3_000);
const SEED = process.env['FUZZ_SEED'] === undefined ? undefined : Number(process.env['FUZZ_SEED']);

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema?: JsonSchema;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema?: JsonSchema }> };
}
interface Document {
  paths: Record<string, Partial<Record<Method, Operation>>>;
  components: { schemas: Record<string, JsonSchema> };
}
interface Endpoint {
  method: Method;
  path: string;
  operation: Operation;
}
interface Request {
  url: string;
  body: string | undefined;
  contentType: string | undefined;
}

let document: Document;
let endpoints: Endpoint[];
let database: pg.Client;
const tally = { requests: 0, statuses: new Map<number, number>() };

const resolve = (ref: string): JsonSchema => document.components.schemas[ref.replace('#/components/schemas/', '')] ?? {};

beforeAll(async () => {
  document = (await (await gatewayFetch('/openapi.json')).json()) as Document;
  endpoints = Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method] !== undefined).map((method) => ({ method, path, operation: item[method]! })),
  );
  database = new pg.Client({ connectionString: platform.databaseUrl });
  await database.connect();
});

afterAll(async () => {
  await database?.end();
  const statuses = [...tally.statuses.entries()].sort(([a], [b]) => a - b).map(([status, count]) => `${status}×${count}`);
  console.info(`REST fuzz: ${tally.requests} requests over ${endpoints.length} operations; statuses ${statuses.join(' ')}`);
});

/** A path parameter: hostile text, or for versions a number no real version has (so nothing real is published by chance). */
function pathValue(parameter: Parameter): fc.Arbitrary<string> {
  if (parameter.name === 'version') return fc.oneof(anyText, fc.integer({ min: 1_000_000 }).map(String));
  return fc.oneof(anyText, arbitraryFor(parameter.schema, resolve).map((value) => (typeof value === 'string' ? value : JSON.stringify(value) ?? '')));
}

function requestFor(endpoint: Endpoint): fc.Arbitrary<Request> {
  const parameters = endpoint.operation.parameters ?? [];
  const pathParameters = parameters.filter((parameter) => parameter.in === 'path');
  const queryParameters = parameters.filter((parameter) => parameter.in === 'query');
  const jsonBody = endpoint.operation.requestBody?.content['application/json'] ?? endpoint.operation.requestBody?.content['application/ld+json'];
  const otherBody = endpoint.operation.requestBody === undefined ? undefined : Object.keys(endpoint.operation.requestBody.content).find((type) => !type.includes('json'));
  const path = fc.record(Object.fromEntries(pathParameters.map((parameter) => [parameter.name, pathValue(parameter)])) as Record<string, fc.Arbitrary<string>>);
  const query = fc.record(
    Object.fromEntries(queryParameters.map((parameter) => [parameter.name, arbitraryFor(parameter.schema, resolve).map((value) => (typeof value === 'string' ? value : JSON.stringify(value) ?? ''))])) as Record<string, fc.Arbitrary<string>>,
    { requiredKeys: [] },
  );
  const body: fc.Arbitrary<{ body: string | undefined; contentType: string | undefined }> =
    jsonBody !== undefined
      ? fc.oneof(
          { weight: 8, arbitrary: arbitraryFor(jsonBody.schema, resolve).map((value) => ({ body: JSON.stringify(value) ?? 'null', contentType: 'application/json' })) },
          { weight: 1, arbitrary: anyText.map((text) => ({ body: text, contentType: 'application/json' })) },
          { weight: 1, arbitrary: anyText.map((text) => ({ body: text, contentType: 'text/plain' })) },
        )
      : otherBody !== undefined
        ? anyText.map((text) => ({ body: text, contentType: otherBody }))
        : fc.constant({ body: undefined, contentType: undefined });
  return fc.tuple(path, query, body).map(([pathValues, queryValues, payload]) => {
    const filled = endpoint.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent((pathValues[name] ?? 'x').toWellFormed()));
    const search = new URLSearchParams(Object.entries(queryValues).filter((entry): entry is [string, string] => entry[1] !== undefined)).toString();
    return { url: `${filled}${search === '' ? '' : `?${search}`}`, ...payload };
  });
}

async function send(endpoint: Endpoint, request: Request): Promise<Response> {
  const response = await gatewayFetch(request.url, {
    method: endpoint.method.toUpperCase(),
    headers: { accept: 'application/json', ...(request.contentType === undefined ? {} : { 'content-type': request.contentType }) },
    ...(request.body === undefined || endpoint.method === 'get' ? {} : { body: request.body }),
  });
  tally.requests += 1;
  tally.statuses.set(response.status, (tally.statuses.get(response.status) ?? 0) + 1);
  return response;
}

/** The property every answer must have: not a server error; a refusal says what was wrong, as problem+json. */
async function expectWellFormed(endpoint: Endpoint, request: Request, response: Response): Promise<void> {
  const where = `${endpoint.method.toUpperCase()} ${request.url.slice(0, 300)} body ${String(request.body).slice(0, 300)}`;
  expect(response.status, where).toBeLessThan(500);
  if (response.status >= 400) {
    expect(response.headers.get('content-type') ?? '', where).toMatch(/^application\/problem\+json/);
    const problem = (await response.json()) as { type?: unknown; title?: unknown; status?: unknown };
    expect(typeof problem.type, where).toBe('string');
    expect(typeof problem.title, where).toBe('string');
    expect(problem.status, where).toBe(response.status);
  } else {
    await response.arrayBuffer();
  }
}

describe('REST fuzz', () => {
  it(`answers ${TOTAL_RUNS} generated requests over every documented operation without a 5xx, every refusal problem+json`, async () => {
    const runsEach = Math.max(5, Math.ceil(TOTAL_RUNS / endpoints.length));
    // Every operation is fuzzed even after one fails, so a run reports all of them at once.
    const failures: string[] = [];
    for (const endpoint of endpoints) {
      await fc.assert(
        fc.asyncProperty(requestFor(endpoint), async (request) => {
          await expectWellFormed(endpoint, request, await send(endpoint, request));
        }),
        { numRuns: runsEach, seed: SEED, endOnFailure: true },
      ).catch((error: unknown) => failures.push(firstLine(error)));
    }
    expect(failures).toEqual([]);
    expect(tally.requests).toBeGreaterThanOrEqual(TOTAL_RUNS);
  }, 1_200_000);

  it('changes nothing when it refuses a write: every service table keeps its rows', async () => {
    const writes = endpoints.filter((endpoint) => endpoint.method !== 'get');
    const before: RowCounts = await quiescentRowCounts(database);
    let refused = 0;
    for (const endpoint of writes) {
      const body = endpoint.operation.requestBody?.content['application/json']?.schema;
      const schema = body?.$ref === undefined ? body : resolve(body.$ref);
      const required = schema?.required ?? [];
      if (schema === undefined || required.length === 0) continue;
      // Shaped like the schema, but one required field missing: the request must be refused whole.
      const invalid = fc.tuple(arbitraryFor(schema, resolve), fc.constantFrom(...required)).map(([value, missing]) => {
        const object = typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...(value as Record<string, unknown>) } : {};
        delete object[missing];
        return object;
      });
      await fc.assert(
        fc.asyncProperty(requestFor(endpoint), invalid, async (request, object) => {
          const withBody = { ...request, body: JSON.stringify(object), contentType: 'application/json' };
          const response = await send(endpoint, withBody);
          await expectWellFormed(endpoint, withBody, response);
          expect(response.status, `${endpoint.method.toUpperCase()} ${endpoint.path} accepted a body without a required field: ${withBody.body.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
          refused += 1;
        }),
        { numRuns: 20, seed: SEED, endOnFailure: true },
      );
    }
    expect(refused).toBeGreaterThan(0);
    expect(await quiescentRowCounts(database)).toEqual(before);
  }, 600_000);
});

describe('after the fuzzing', () => {
  it('no service crashed: the supervisor restarted none of them', () => {
    expect(serviceRestarts(supervisedProcesses(), SERVICES)).toEqual(restartsBefore);
  });
});
