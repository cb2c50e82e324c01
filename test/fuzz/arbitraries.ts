import fc from 'fast-check';

/**
 * Inputs that have broken real systems: SQL and shell injection, path traversal, markup, control
 * characters, odd numbers, huge and exotic strings. Mixed into every generated field.
 */
export const HOSTILE_STRINGS: readonly string[] = [
  "' OR '1'='1",
  "'; DROP TABLE data_service.archive_records; --",
  '" OR 1=1 --',
  "1); DELETE FROM ledger.leaves; --",
  "' UNION SELECT secret_hash FROM gateway.api_keys --",
  '1; SELECT pg_sleep(10)',
  '%27%20OR%201%3D1',
  '$(reboot)',
  '`id`',
  '../../../../etc/passwd',
  '..%2F..%2Fetc%2Fpasswd',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '\u0000',
  '\u202e\u0000\ufeff',
  '\ud800',
  '𝕋𝕣𝕒𝕔𝕖𝕡𝕠𝕣𝕥',
  '🧪'.repeat(500),
  'a'.repeat(70_000),
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  '-9223372036854775809',
  '0x1p3',
  'null',
  'true',
  '{}',
  '[]',
  '{"__proto__":{"polluted":true}}',
  'constructor',
  '__proto__',
  '',
  ' ',
  'urn:epc:id:sgtin:0614141.107346.2017',
  'https://id.gs1.org/01/09506000134352/21/x',
  '09506000134352',
  '09506000134353',
  '2026-02-30',
  '2026-13-01T25:61:61Z',
];

/** Any string a client could send: hostile, random (including lone surrogates and controls), or numeric. */
export const anyText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.integer().map(String) },
  { weight: 1, arbitrary: fc.double().map(String) },
  { weight: 1, arbitrary: fc.uuid() },
);

/** Any JSON value, hostile strings included, nested a little. */
export const anyJson: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    anyText,
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(anyText, fc.constantFrom('__proto__', 'constructor', 'id', 'type', 'gtin')), tie('value'), { maxKeys: 5 }),
  ),
})).value;

export type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  format?: string;
  pattern?: string;
};

/**
 * Values shaped like a schema, often nearly valid (the right fields, right types, hostile content)
 * and sometimes not at all: what reaches the validation code paths and what must be stopped there.
 */
export function arbitraryFor(schema: JsonSchema | undefined, resolve: (ref: string) => JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  if (schema === undefined || depth > 5) return anyJson;
  if (schema.$ref !== undefined) return arbitraryFor(resolve(schema.$ref), resolve, depth + 1);
  const choices = schema.anyOf ?? schema.oneOf;
  if (choices !== undefined && choices.length > 0) return fc.oneof(...choices.map((choice) => arbitraryFor(choice, resolve, depth + 1)));
  if (schema.allOf !== undefined && schema.allOf.length > 0) return arbitraryFor(schema.allOf[0], resolve, depth + 1);
  const shaped = shapedArbitrary(schema, resolve, depth);
  return fc.oneof({ weight: 5, arbitrary: shaped }, { weight: 1, arbitrary: anyJson });
}

function shapedArbitrary(schema: JsonSchema, resolve: (ref: string) => JsonSchema, depth: number): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum !== undefined && schema.enum.length > 0) return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...schema.enum) }, { weight: 1, arbitrary: anyText });
  const type = Array.isArray(schema.type) ? schema.type.find((candidate) => candidate !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const properties = Object.entries(schema.properties ?? {});
      if (properties.length === 0) return fc.dictionary(anyText, anyJson, { maxKeys: 3 });
      const shape = Object.fromEntries(properties.map(([name, property]) => [name, arbitraryFor(property, resolve, depth + 1)]));
      // Required fields present most of the time; any field may go missing.
      return fc.record(shape, { requiredKeys: [] });
    }
    case 'array':
      return fc.array(arbitraryFor(schema.items, resolve, depth + 1), { maxLength: 4 });
    case 'integer':
      return fc.oneof(fc.integer({ min: schema.minimum ?? -1_000, max: schema.maximum ?? 1_000_000 }), fc.integer(), fc.constantFrom(0, -1, 2 ** 31, 2 ** 53, -(2 ** 53)));
    case 'number':
      return fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer());
    case 'boolean':
      return fc.boolean();
    case 'string':
      return fc.oneof(anyText, schema.format === 'uuid' ? fc.uuid() : schema.format === 'date' ? fc.date({ noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10)) : anyText);
    default:
      return anyJson;
  }
}

/** The assertion that made a property fail, in one line short enough to read in a list. */
export function firstLine(error: unknown): string {
  const text = error instanceof Error ? `${error.message}\n${error.cause instanceof Error ? error.cause.message : ''}` : String(error);
  const lines = text.split('\n');
  const reason = lines.find((line) => /AssertionError|expected /.test(line)) ?? lines.find((line) => line.startsWith('Counterexample')) ?? lines[0]!;
  return reason.slice(0, 400);
}

/**
 * How many times the supervisor has restarted each service. A fuzz run must end with the same
 * counts: a crash is hidden by the restart, but not from this.
 */
export function serviceRestarts(processes: Record<string, { restarts: number }>, services: readonly string[]): Record<string, number> {
  return Object.fromEntries(services.map((name) => [name, processes[name]?.restarts ?? 0]));
}
