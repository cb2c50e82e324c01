import type { SchemaObject } from '@nestjs/swagger';
import { z } from 'zod';

// OpenAPI 3.1 schemas are JSON Schema 2020-12, which zod writes itself: the documentation of a
// request is the very zod schema that validates it. A zod schema with `.meta({ id })` becomes a
// named component (#/components/schemas/<id>) wherever it is used.

const components = new Map<string, SchemaObject>();

const REF_PREFIX = '#/$defs/';
const COMPONENT_PREFIX = '#/components/schemas/';

function rewrite(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewrite);
  if (value === null || typeof value !== 'object') return value;
  const result: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === '$ref' && typeof child === 'string' && child.startsWith(REF_PREFIX)) {
      result[key] = `${COMPONENT_PREFIX}${child.slice(REF_PREFIX.length)}`;
    } else if ((key === 'minimum' && child === Number.MIN_SAFE_INTEGER) || (key === 'maximum' && child === Number.MAX_SAFE_INTEGER)) {
      // zod bounds every integer by the safe range; that is JavaScript's limit, not the API's.
      continue;
    } else {
      result[key] = rewrite(child);
    }
  }
  return result;
}

/**
 * The JSON Schema of what a client sends or receives, its named sub-schemas registered as
 * components. The input side by default: what is sent, before the server's transforms and
 * defaults; responses are plain shapes, where both sides are one.
 */
export function schemaOf(schema: z.ZodType, io: 'input' | 'output' = 'input'): SchemaObject {
  const { $schema: _dialect, $defs, ...root } = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Record<string, unknown> & {
    $defs?: Record<string, unknown>;
  };
  for (const [id, definition] of Object.entries($defs ?? {})) components.set(id, rewrite(definition) as SchemaObject);
  return rewrite(root) as SchemaObject;
}

/** Every named schema met so far, for the document's components. */
export function componentSchemas(): Record<string, SchemaObject> {
  return Object.fromEntries([...components.entries()].sort(([a], [b]) => a.localeCompare(b)));
}
