import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { OpenAPIObject, OperationObject, ParameterObject, ResponseObject } from '@nestjs/swagger';
import { validate } from '@readme/openapi-parser';
import { PROBLEM_CONTENT_TYPE } from '@traceport/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppModule } from '../app.module.js';
import { loadGatewayConfig } from '../config.js';
import { createOpenApiDocument } from './openapi-document.js';

// The gateway's routes, as Express has them once Nest registered them, against the OpenAPI
// document: a route nobody documented, or a documented route that does not exist, fails here.

/** Error responses that are not problems: the readiness report, which a 503 carries for probes and people. */
const NOT_PROBLEMS = new Set(['GET /health/ready 503']);

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;
type Method = (typeof METHODS)[number];

interface Route {
  readonly method: Method;
  readonly path: string;
}

interface ExpressLayer {
  readonly route?: { readonly path: string; readonly methods: Readonly<Record<string, boolean>> };
}

function registeredRoutes(app: INestApplication): Route[] {
  const express = app.getHttpAdapter().getInstance() as { router: { stack: readonly ExpressLayer[] } };
  return express.router.stack.flatMap((layer) =>
    layer.route === undefined ? [] : Object.keys(layer.route.methods).map((method) => ({ method: method as Method, path: layer.route!.path })),
  );
}

/**
 * Whether an Express route serves a documented path: `:name` stands for one segment (a literal one,
 * as in /v1/merchants, or a template parameter), `*name` for one or more.
 */
function serves(route: string, documentedPath: string): boolean {
  const segment = String.raw`(?:\{[^/{}]+\}|[^/{}]+)`;
  const pattern = route
    .split('/')
    .map((part) => (part.startsWith(':') ? segment : part.startsWith('*') ? `${segment}(?:/${segment})*` : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${pattern}$`).test(documentedPath);
}

function operationsOf(document: OpenAPIObject): { method: Method; path: string; operation: OperationObject }[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.flatMap((method) => (item[method] === undefined ? [] : [{ method, path, operation: item[method] }])),
  );
}

let app: INestApplication;
let document: OpenAPIObject;
let routes: Route[];

beforeAll(async () => {
  // The whole gateway, as main.ts builds it, without listening: clients of internal services connect lazily.
  // Its API keys live in PostgreSQL: the test platform's database (the schema is the gateway's own).
  const database = process.env['TRACEPORT_TEST_DATABASE_URL'];
  app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(loadGatewayConfig(database === undefined ? {} : { DATABASE_URL: database })), { logger: false });
  await app.init();
  routes = registeredRoutes(app);
  document = createOpenApiDocument(app);
});

afterAll(async () => {
  await app.close();
});

describe("the gateway's OpenAPI document", () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    expect(document.openapi).toBe('3.1.0');
    const result = await validate(structuredClone(document) as never);
    expect(result.valid ? [] : result.errors).toEqual([]);
  });

  it('documents every route Nest registered', () => {
    expect(routes.length).toBeGreaterThan(40);
    const documented = operationsOf(document);
    const undocumented = routes.filter((route) => !documented.some((operation) => operation.method === route.method && serves(route.path, operation.path)));
    expect(undocumented.map((route) => `${route.method.toUpperCase()} ${route.path}`)).toEqual([]);
  });

  it('documents no route that does not exist', () => {
    const phantoms = operationsOf(document).filter((operation) => !routes.some((route) => route.method === operation.method && serves(route.path, operation.path)));
    expect(phantoms.map((operation) => `${operation.method.toUpperCase()} ${operation.path}`)).toEqual([]);
  });

  it('describes each operation: summary, tag, parameters, its answer, and its errors as problem+json', () => {
    const declaredTags = new Set((document.tags ?? []).map((tag) => tag.name));
    const faults: string[] = [];
    const operationIds = new Set<string>();
    for (const { method, path, operation } of operationsOf(document)) {
      const where = `${method.toUpperCase()} ${path}`;
      const fault = (what: string) => faults.push(`${where}: ${what}`);
      if (!operation.summary) fault('no summary');
      if (operation.operationId === undefined || operationIds.has(operation.operationId)) fault(`operationId ${String(operation.operationId)} missing or not unique`);
      operationIds.add(operation.operationId ?? '');
      if (operation.tags?.length !== 1 || !declaredTags.has(operation.tags[0]!)) fault(`tags ${JSON.stringify(operation.tags)}: one declared tag`);
      const parameters = (operation.parameters ?? []) as ParameterObject[];
      const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]!);
      const pathParameters = parameters.filter((parameter) => parameter.in === 'path');
      if (JSON.stringify(pathParameters.map((parameter) => parameter.name).sort()) !== JSON.stringify([...templated].sort())) {
        fault(`path parameters ${pathParameters.map((parameter) => parameter.name).join(',')} ≠ template ${templated.join(',')}`);
      }
      for (const parameter of parameters) if (!parameter.description && parameter.in !== 'header') fault(`parameter ${parameter.name} has no description`);
      const responses = Object.entries(operation.responses) as [string, ResponseObject][];
      const successes = responses.filter(([status]) => /^[23]/.test(status));
      if (successes.length === 0) fault('no success response');
      for (const [status, response] of successes) {
        if (!response.description) fault(`response ${status} has no description`);
        if (response.content === undefined || Object.keys(response.content).length === 0) fault(`response ${status} has no content type`);
      }
      for (const [status, response] of responses.filter(([status]) => !/^[23]/.test(status))) {
        const problem = response.content?.[PROBLEM_CONTENT_TYPE]?.schema as { $ref?: string } | undefined;
        if (problem?.$ref !== '#/components/schemas/Problem' && !NOT_PROBLEMS.has(`${where} ${status}`)) fault(`error response ${status} is not ${PROBLEM_CONTENT_TYPE} of Problem`);
      }
      if (!responses.some(([status]) => status === 'default')) fault('no default (problem) response');
    }
    expect(faults).toEqual([]);
  });

  it('has the RFC 9457 Problem schema', () => {
    const problem = document.components?.schemas?.['Problem'] as { required?: string[]; properties?: Record<string, unknown> };
    expect(problem.required).toEqual(['type', 'title', 'status', 'detail', 'code']);
    expect(Object.keys(problem.properties ?? {})).toEqual(expect.arrayContaining(['type', 'title', 'status', 'detail', 'code', 'errors']));
    expect(document.components?.schemas?.['FieldViolation']).toMatchObject({ required: ['field', 'message'], properties: { line: { type: 'integer' }, column: { type: 'integer' } } });
  });

  it('documents each archive collection with its own record schema', () => {
    const merchants = document.paths['/v1/merchants']?.post;
    expect(merchants?.operationId).toBe('createMerchant');
    expect(merchants?.requestBody).toMatchObject({ content: { 'application/json': { schema: { $ref: '#/components/schemas/MerchantFields' } } } });
    expect(document.paths['/v1/customs-declarations/{id}/versions/{version}']?.get?.operationId).toBe('getCustomsDeclarationVersion');
    expect(document.components?.schemas?.['LotFields']).toMatchObject({ required: expect.arrayContaining(['productId', 'lotNumber', 'quantity']) });
  });

  it('documents the Digital Link resolver by its URI templates', () => {
    expect(document.paths['/01/{gtin}/21/{serial}']?.get?.responses['200']).toMatchObject({ content: { 'text/html': {}, 'application/json': { schema: { $ref: '#/components/schemas/ScanView' } } } });
    expect(document.paths['/01/{path}']).toBeUndefined();
  });
});
