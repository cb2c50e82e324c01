import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject, type OperationObject, type ParameterObject, type PathItemObject } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from '@traceport/errors';
import { z } from 'zod';
import { restRule } from '../access/access-policy.js';
import { componentSchemas, schemaOf } from './json-schema.js';
import { ARCHIVE_COLLECTION_SCHEMAS, type CollectionSchemas } from './schemas/archive.schemas.js';
import { Problem } from './schemas/problem.schema.js';

// The gateway's OpenAPI 3.1 document, made from the application itself: @nestjs/swagger scans every
// controller's routes and their @ApiDoc annotations, and the schemas are the zod schemas the
// gateway and libs/contracts validate with. Three kinds of route are completed here rather than on
// a controller: the archive's generic /v1/{collection} routes (one set of paths per collection),
// the Digital Link resolver's wildcard (its URI templates), and the health and metrics routes of
// libs/observability, which knows nothing of OpenAPI.

export const OPENAPI_PATH = '/openapi.json';
export const DOCS_PATH = '/docs';

const TAGS: readonly [string, string][] = [
  ['Archive', 'Merchants, brands, factories (with certifications), products, inspection standards, lots and customs declarations: versioned, every version anchored.'],
  ['Products', 'Products by their GTIN.'],
  ['Proofs and ledger', 'Public RFC 9162 proofs of any record, consistency between log heads, and the audit of the log against the chain.'],
  ['Statistics', 'Pass rates and incidents per factory, merchant, brand, category and origin.'],
  ['EPCIS 2.0', 'The GS1 EPCIS 2.0 REST binding: capture and query trace events.'],
  ['Trails', 'Every trace event of a lot or an item, in order.'],
  ['Sampling', 'ISO 2859-1 sampling plans.'],
  ['Rule sets', 'Sampling rule sets: drafts, validation, simulation against past lots, publication.'],
  ['Whitelist', 'Subjects exempted from inspection or inspected under the reduced plan.'],
  ['Decisions and inspections', "Decisions on received lots, inspection orders, agencies' results, suppliers' switching states."],
  ['Identities', 'Bulk issuance of item identities, their proofs of issuance, QR codes and label sheets.'],
  ['Product control', 'Holds on lots (failed inspections, lapsed or revoked certifications, recalls) and recalls of a factory, a product, lots or a production window.'],
  ['Resolver', 'The GS1 Digital Link resolver: the consumer scan page, or its content as JSON.'],
  ['Console', 'The operations console, a web application for operations staff.'],
  ['Operations', 'Health and metrics, for the platform.'],
  ['Documentation', 'This document and its interactive page.'],
  ['Access', 'Organisations and their API keys, and who a key is. Send a key as `Authorization: Bearer tp_…`.'],
];

const problemResponse = (description: string) => ({ description, content: { [PROBLEM_CONTENT_TYPE]: { schema: schemaOf(Problem) } } });

/** Routes of libs/observability, by path. */
const OPERATIONS_ROUTES: Record<string, OperationObject> = {
  '/health/live': {
    operationId: 'healthLive',
    summary: 'Liveness: the process is up',
    tags: ['Operations'],
    responses: { '200': { description: 'Live.', content: { 'application/json': { schema: schemaOf(z.object({ status: z.literal('live') })) } } } },
  },
  '/health/ready': {
    operationId: 'healthReady',
    summary: 'Readiness: every internal service the gateway calls answers',
    tags: ['Operations'],
    responses: {
      '200': { description: 'Ready, with each check.', content: { 'application/json': { schema: schemaOf(z.looseObject({ status: z.enum(['ready', 'not-ready']) })) } } },
      '503': { description: 'Not ready: the failing checks.', content: { 'application/json': { schema: schemaOf(z.looseObject({ status: z.enum(['ready', 'not-ready']) })) } } },
    },
  },
  '/metrics': {
    operationId: 'metrics',
    summary: 'Prometheus metrics',
    tags: ['Operations'],
    responses: { '200': { description: 'The Prometheus text exposition format.', content: { 'text/plain': { schema: { type: 'string' } } } } },
  },
};

/** The resolver answers any GS1 Digital Link path under /01; these are the forms Traceport issues. */
const DIGITAL_LINK_TEMPLATES: readonly { path: string; params: [string, string, string][] }[] = [
  { path: '/01/{gtin}/21/{serial}', params: [['gtin', 'The GTIN (AI 01), 14 digits.', '^\\d{14}$'], ['serial', 'The serial (AI 21).', '.+']] },
  {
    path: '/01/{gtin}/10/{lot}/21/{serial}',
    params: [['gtin', 'The GTIN (AI 01), 14 digits.', '^\\d{14}$'], ['lot', 'The lot (AI 10).', '.+'], ['serial', 'The serial (AI 21).', '.+']],
  },
];

function withoutParameters(operation: OperationObject, names: readonly string[]): OperationObject {
  return { ...operation, parameters: (operation.parameters ?? []).filter((parameter) => !('name' in parameter) || !names.includes(parameter.name)) };
}

function expandResolver(paths: Record<string, PathItemObject>): void {
  const scanned = paths['/01/{path}'];
  if (scanned?.get === undefined) throw new Error('the resolver route /01/*path is not in the document');
  delete paths['/01/{path}'];
  for (const [index, template] of DIGITAL_LINK_TEMPLATES.entries()) {
    const pathParameters: ParameterObject[] = template.params.map(([name, description, pattern]) => ({ name, in: 'path', required: true, description, schema: { type: 'string', pattern } }));
    const operation = withoutParameters(scanned.get, ['path']);
    paths[template.path] = {
      get: { ...operation, operationId: index === 0 ? 'resolveDigitalLink' : `resolveDigitalLink${index + 1}`, parameters: [...pathParameters, ...(operation.parameters ?? [])] },
    };
  }
}

const ARCHIVE_PREFIX = '/v1/{collection}';

function words(name: string): string {
  return name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

function jsonContent(schema: z.ZodType) {
  return { 'application/json': { schema: schemaOf(schema) } };
}

/** One collection's copy of a generic archive operation, with its own schemas. */
function archiveOperation(operation: OperationObject, route: string, method: string, schemas: CollectionSchemas): OperationObject {
  const label = words(schemas.name);
  const specific: Record<string, { id: string; summary: string; body?: z.ZodType; response: z.ZodType }> = {
    'post ': { id: `create${schemas.name}`, summary: `Create a ${label}`, body: schemas.fields, response: schemas.envelope },
    'get ': { id: `search${schemas.name}s`, summary: `Search ${label}s`, response: schemas.page },
    'get /{id}': { id: `get${schemas.name}`, summary: `The current version of a ${label}, with its proof`, response: schemas.withProof },
    'put /{id}': { id: `update${schemas.name}`, summary: `Change a ${label}: a new version`, body: schemas.fields, response: schemas.envelope },
    'get /{id}/versions': { id: `list${schemas.name}Versions`, summary: `Every version of a ${label}`, response: schemas.versions },
    'get /{id}/versions/{version}': { id: `get${schemas.name}Version`, summary: `One version of a ${label}, with its proof`, response: schemas.withProof },
  };
  const found = specific[`${method} ${route}`];
  if (found === undefined) throw new Error(`no archive documentation for ${method.toUpperCase()} ${ARCHIVE_PREFIX}${route}: add it to archiveOperation`);
  const responses = { ...operation.responses };
  const success = Object.keys(responses).find((status) => status.startsWith('2'));
  if (success === undefined) throw new Error(`${method.toUpperCase()} ${ARCHIVE_PREFIX}${route} documents no success response`);
  responses[success] = { ...responses[success], content: jsonContent(found.response) } as (typeof responses)[string];
  return {
    ...withoutParameters(operation, ['collection']),
    operationId: found.id,
    summary: found.summary,
    ...(found.body === undefined ? {} : { requestBody: { required: true, content: jsonContent(found.body) } }),
    responses,
  };
}

/** /v1/{collection}/… becomes /v1/merchants/…, /v1/brands/…: each collection with its record schema. */
function expandArchive(paths: Record<string, PathItemObject>): void {
  const generic = Object.entries(paths).filter(([path]) => path === ARCHIVE_PREFIX || path.startsWith(`${ARCHIVE_PREFIX}/`));
  if (generic.length === 0) throw new Error('the archive routes /v1/:collection are not in the document');
  for (const [path] of generic) delete paths[path];
  for (const schemas of ARCHIVE_COLLECTION_SCHEMAS) {
    for (const [path, item] of generic) {
      const route = path.slice(ARCHIVE_PREFIX.length);
      const expanded: PathItemObject = {};
      for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
        const operation = item[method];
        if (operation !== undefined) expanded[method] = archiveOperation(operation, route, method, schemas);
      }
      paths[`/v1/${schemas.collection}${route}`] = { ...paths[`/v1/${schemas.collection}${route}`], ...expanded };
    }
  }
}

function completeOperationsRoutes(paths: Record<string, PathItemObject>): void {
  for (const [path, documented] of Object.entries(OPERATIONS_ROUTES)) {
    const scanned = paths[path]?.get;
    if (scanned === undefined) continue;
    paths[path] = { get: { ...scanned, ...documented, responses: { ...documented.responses, default: problemResponse('The check itself failed.') } } };
  }
}

const SECURITY_SCHEME = 'apiKey';
const TOO_MANY_REQUESTS = 'Too many requests from this client; retry after the Retry-After header (seconds).';

/**
 * Who may call each operation, from the access policy the gateway enforces: public operations need
 * no key (and the rate-limited ones may answer 429); every other one needs a key (401) of a role the
 * policy admits (403).
 */
function applyAccessPolicy(paths: Record<string, PathItemObject>): void {
  for (const [path, item] of Object.entries(paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = item[method];
      if (operation === undefined) continue;
      // The resolver's URI templates are one route, /01/*path.
      const rule = restRule(`${method.toUpperCase()} ${path.startsWith('/01/') ? '/01/{path}' : path}`);
      const responses = { ...operation.responses };
      if (rule.public === true) {
        if (rule.rateLimit !== undefined) responses['429'] ??= problemResponse(TOO_MANY_REQUESTS);
        item[method] = { ...operation, security: [], responses };
      } else {
        responses['401'] ??= problemResponse('No valid API key: missing, unknown, expired or revoked.');
        responses['403'] ??= problemResponse(`The key's role may not call this (${rule.roles.join(', ')} may).`);
        item[method] = { ...operation, security: [{ [SECURITY_SCHEME]: [] }], responses };
      }
    }
  }
}


/** `ArchiveImportController.start` → `ArchiveImport_start`. */
function operationIdOf(controllerKey: string, methodKey: string): string {
  return `${controllerKey.replace(/Controller$/, '')}_${methodKey}`;
}

/** The gateway's OpenAPI 3.1 document: every REST route of `app`, which must be initialised. */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('Traceport API')
    .setVersion('v1')
    .setDescription(
      [
        'Tamper-evident traceability for imported products. Every record is anchored: its proof (RFC 9162, `GET /v1/proofs?record_key=…`) checks against the consortium chain.',
        '',
        'Errors are RFC 9457 problem details (`application/problem+json`) with a stable `type` (`/problems/<code>`) and, for invalid requests, `errors[]` naming every field at fault.',
        'The same operations are served over gRPC (package `traceport.v1`, server reflection on).',
        '',
        'Access: the scan page, proofs, health, metrics and this documentation are public; every other operation needs an API key (`Authorization: Bearer tp_…`, the same as gRPC metadata `authorization`) of a role allowed to call it.',
      ].join('\n'),
    )
    .setLicense('Apache-2.0', 'https://www.apache.org/licenses/LICENSE-2.0');
  for (const [name, description] of TAGS) builder.addTag(name, description);
  const document = SwaggerModule.createDocument(app, builder.build(), { operationIdFactory: operationIdOf, autoTagControllers: false });
  expandArchive(document.paths);
  expandResolver(document.paths);
  completeOperationsRoutes(document.paths);
  applyAccessPolicy(document.paths);
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, ...componentSchemas() },
    securitySchemes: { [SECURITY_SCHEME]: { type: 'http', scheme: 'bearer', bearerFormat: 'tp_<prefix>_<secret>', description: 'An API key of an organisation; it acts with the organisation\'s role.' } },
  };
  return document;
}
