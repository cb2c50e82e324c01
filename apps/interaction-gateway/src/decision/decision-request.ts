import { invalid, type FieldViolation } from '@traceport/errors';
import { z } from 'zod';

// The shapes of REST requests to the decision engine's APIs, checked here so that a malformed
// request is refused with every problem named in REST terms (snake_case parameters and fields);
// what the values mean (a rule's condition, an entry's subject) the engine checks.

/** A query parameter: Express hands it over as a string, or as an array when it is repeated. */
export function queryText(what: string) {
  return z.string({ error: (issue) => (issue.input === undefined ? `required: ${what}` : `${what}, given once`) });
}

/** A non-negative whole number in a query parameter or path segment, within a proto uint32. */
export function queryCount(what: string, min = 0) {
  return queryText(what)
    .regex(/^\d{1,10}$/, what)
    .transform(Number)
    .pipe(z.number().int().min(min, `${what}, at least ${min}`).max(4_294_967_295, `${what}, at most 4294967295`));
}

export const queryBoolean = (what: string) =>
  queryText(what)
    .regex(/^(true|false)$/, `${what}: true or false`)
    .transform((value) => value === 'true');

/** RFC 3339 with a zone (Z or an offset), as the engine's time windows and expiries take it. */
export const rfc3339 = z.iso.datetime({ offset: true, error: 'an RFC 3339 date-time with a zone, e.g. 2026-12-31T00:00:00Z' });

export const requiredText = (what: string, max = 500) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? `required: ${what}` : `${what}, as text`) })
    .trim()
    .min(1, `required: ${what}`)
    .max(max, `${what}, at most ${max} characters`);

export const optionalText = (what: string, max = 2_000) => z.string({ error: `${what}, as text` }).max(max, `${what}, at most ${max} characters`).optional();

/** A rule set definition travels as a JSON object in REST, and as its text to the engine. */
export const definitionObject = z.record(z.string(), z.unknown(), { error: (issue) => (issue.input === undefined ? 'required: the rule set definition, a JSON object' : 'the rule set definition, a JSON object') });

function violationsOf(error: z.ZodError, unknownKeyMessage: string): FieldViolation[] {
  return error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ field: [...issue.path, key].join('.'), message: unknownKeyMessage }))
      : [{ field: issue.path.join('.') || '(body)', message: issue.message }],
  );
}

/** Parses the query string; 400 `invalid-query` naming every parameter at fault. */
export function parseQuery<Schema extends z.ZodType>(schema: Schema, query: unknown): z.output<Schema> {
  const parsed = schema.safeParse(query ?? {});
  if (parsed.success) return parsed.data;
  const violations = violationsOf(parsed.error, 'not a parameter of this resource');
  throw invalid('invalid-query', `invalid query: ${violations.map((violation) => `${violation.field}: ${violation.message}`).join('; ')}`, violations);
}

/** Parses a JSON body (none is an empty object); 400 `invalid-body` naming every field at fault, unknown ones included. */
export function parseBody<Schema extends z.ZodType>(schema: Schema, body: unknown): z.output<Schema> {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  const violations = violationsOf(parsed.error, 'not a field of this request');
  throw invalid('invalid-body', `invalid request body: ${violations.map((violation) => `${violation.field}: ${violation.message}`).join('; ')}`, violations);
}

/** A positive whole number in the path, e.g. a rule set version. */
export function pathNumber(name: string, value: string): number {
  const number = /^\d{1,10}$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(number) || number < 1 || number > 4_294_967_295) {
    throw invalid('invalid-path', `${name} must be a positive integer, not ${JSON.stringify(value)}`, [{ field: name, message: 'a positive integer' }]);
  }
  return number;
}

/**
 * Who makes a change, for the engine's history. There is no authentication yet, so callers may say
 * who they are in `X-Traceport-Actor`; without it the change is the operations team's.
 */
export function actorOf(header: string | undefined): string {
  if (header === undefined || header.trim() === '') return 'operations';
  const actor = header.trim();
  // eslint-disable-next-line no-control-regex
  if (actor.length > 200 || /[\u0000-\u001f\u007f]/.test(actor)) {
    throw invalid('invalid-actor', 'X-Traceport-Actor must be a name of at most 200 printable characters', [{ field: 'X-Traceport-Actor', message: 'at most 200 printable characters' }]);
  }
  return actor;
}
