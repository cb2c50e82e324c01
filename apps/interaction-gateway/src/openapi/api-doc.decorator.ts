import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiHeader, ApiOperation, ApiParam, ApiQuery, ApiResponse, type SchemaObject } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from '@traceport/errors';
import { z } from 'zod';
import { schemaOf } from './json-schema.js';
import { Problem } from './schemas/problem.schema.js';

/** The statuses an operation may answer with a problem besides `default` (500, 503, 504). */
export type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 413 | 429;

const PROBLEM_DESCRIPTIONS: Record<ProblemStatus | 'default', string> = {
  400: 'The request is invalid: `errors` names every parameter or field at fault.',
  401: 'No valid API key.',
  403: 'The API key may not do this.',
  404: 'Not found.',
  409: 'Conflict: the resource changed since it was read (If-Match), or its state forbids the change.',
  413: 'The body is larger than this route accepts.',
  429: 'Too many requests; retry after the Retry-After header.',
  default: 'Any other failure: 500 (a bug; quote correlationId), 503 (an internal service is unavailable), 504 (it did not answer in time).',
};

export interface ResponseDoc {
  readonly status: number;
  readonly description: string;
  /** The body's schema; with a binary or text `contentType`, none is needed. */
  readonly schema?: z.ZodType;
  /** application/json unless given. */
  readonly contentType?: string | readonly string[];
  /** Instead of schema and contentType: one schema (or none) per content type, for routes that negotiate. */
  readonly content?: Readonly<Record<string, z.ZodType | null>>;
  /** Response headers, by name: their description. */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface ApiDocOptions {
  readonly summary: string;
  readonly description?: string;
  /** Path parameters, by name: a description, or a description and the value's schema (a string otherwise). */
  readonly params?: Readonly<Record<string, string | readonly [string, z.ZodType]>>;
  /** Query parameters: an object schema, each key one parameter (the schema that parses them, as a rule). */
  readonly query?: { readonly schema: z.ZodObject; readonly describe?: Readonly<Record<string, string>> };
  readonly headers?: readonly { readonly name: string; readonly description: string; readonly required?: boolean }[];
  readonly body?: { readonly schema: z.ZodType; readonly description?: string; readonly contentType?: string | readonly string[]; readonly required?: boolean };
  readonly response: ResponseDoc;
  /** Further success or redirect responses. */
  readonly responses?: readonly ResponseDoc[];
  /** The statuses with their own problem description; every operation also documents `default`. */
  readonly problems?: readonly ProblemStatus[];
}

function contentOf(contentType: string | readonly string[] | undefined, schema: SchemaObject | undefined) {
  const types: readonly string[] = contentType === undefined ? ['application/json'] : typeof contentType === 'string' ? [contentType] : contentType;
  return Object.fromEntries(types.map((type) => [type, schema === undefined ? {} : { schema }]));
}

function responseDecorator(response: ResponseDoc) {
  const content =
    response.content === undefined
      ? contentOf(response.contentType, response.schema === undefined ? undefined : schemaOf(response.schema))
      : Object.fromEntries(Object.entries(response.content).map(([type, schema]) => [type, schema === null ? {} : { schema: schemaOf(schema) }]));
  return ApiResponse({
    status: response.status,
    description: response.description,
    content,
    ...(response.headers === undefined
      ? {}
      : { headers: Object.fromEntries(Object.entries(response.headers).map(([name, description]) => [name, { description, schema: { type: 'string' } }])) }),
  });
}

function isOptional(schema: z.ZodType): boolean {
  return schema.safeParse(undefined).success;
}

/**
 * The OpenAPI description of one REST route, in one place above it: what it does, its parameters
 * and body (the zod schemas that validate them, as a rule), its answer and its problem+json errors.
 */
export function ApiDoc(options: ApiDocOptions): MethodDecorator {
  const problem = schemaOf(Problem);
  const decorators: MethodDecorator[] = [
    ApiOperation({ summary: options.summary, ...(options.description === undefined ? {} : { description: options.description }) }),
    responseDecorator(options.response),
    ...(options.responses ?? []).map(responseDecorator),
    ...[...(options.problems ?? []), 'default' as const].map((status) =>
      ApiResponse({ status, description: PROBLEM_DESCRIPTIONS[status], content: contentOf(PROBLEM_CONTENT_TYPE, problem) }),
    ),
  ];
  for (const [name, param] of Object.entries(options.params ?? {})) {
    const [description, schema] = typeof param === 'string' ? [param, z.string()] : param;
    decorators.push(ApiParam({ name, description, schema: schemaOf(schema) }));
  }
  if (options.query !== undefined) {
    const { schema, describe = {} } = options.query;
    for (const [name, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
      // Query strings carry text, but what a parameter means is its parsed value: document that.
      decorators.push(ApiQuery({ name, required: !isOptional(field), schema: schemaOf(field, 'output'), ...(describe[name] === undefined ? {} : { description: describe[name] }) }));
    }
  }
  for (const header of options.headers ?? []) {
    decorators.push(ApiHeader({ name: header.name, description: header.description, required: header.required ?? false, schema: { type: 'string' } }));
  }
  if (options.body !== undefined) {
    const { schema, description, contentType, required = true } = options.body;
    if (contentType !== undefined) decorators.push(ApiConsumes(...(typeof contentType === 'string' ? [contentType] : contentType)));
    decorators.push(ApiBody({ schema: schemaOf(schema), required, ...(description === undefined ? {} : { description }) }));
  }
  return applyDecorators(...decorators);
}
