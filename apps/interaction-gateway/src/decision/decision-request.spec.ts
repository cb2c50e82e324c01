import { DomainException } from '@traceport/errors';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { actorOf, parseBody, parseQuery, pathNumber, queryBoolean, queryCount, queryText, rfc3339 } from './decision-request.js';

const violationsOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainException) return { code: error.code, kind: error.kind, violations: error.violations };
    throw error;
  }
  throw new Error('expected a DomainException');
};

describe('REST request shapes for the decision APIs', () => {
  const query = z.strictObject({ lot_size: queryCount('the lot size', 2), on: queryBoolean('on').optional(), at: queryText('a time').pipe(rfc3339).optional() });

  it('parses query parameters as Express hands them over', () => {
    expect(parseQuery(query, { lot_size: '2000', on: 'true', at: '2026-01-01T00:00:00+08:00' })).toEqual({ lot_size: 2000, on: true, at: '2026-01-01T00:00:00+08:00' });
  });

  it('names every parameter at fault: missing, repeated, malformed, unknown', () => {
    expect(violationsOf(() => parseQuery(query, { on: 'yes', at: '2026-01-01', colour: 'red' }))).toEqual({
      code: 'invalid-query',
      kind: 'invalid',
      violations: [
        { field: 'lot_size', message: 'required: the lot size' },
        { field: 'on', message: 'on: true or false' },
        { field: 'at', message: expect.stringContaining('RFC 3339') },
        { field: 'colour', message: 'not a parameter of this resource' },
      ],
    });
    expect(violationsOf(() => parseQuery(query, { lot_size: ['1', '2'] })).violations).toEqual([{ field: 'lot_size', message: 'the lot size, given once' }]);
    expect(violationsOf(() => parseQuery(query, { lot_size: '1' })).violations).toEqual([{ field: 'lot_size', message: 'the lot size, at least 2' }]);
  });

  it('treats a missing body as an empty object, and refuses unknown fields', () => {
    const body = z.strictObject({ reason: z.string().optional() });
    expect(parseBody(body, undefined)).toEqual({});
    expect(violationsOf(() => parseBody(body, { reason: 'r', colour: 'red' }))).toMatchObject({ code: 'invalid-body', violations: [{ field: 'colour' }] });
  });

  it('takes positive path numbers and a printable actor, defaulting to operations', () => {
    expect(pathNumber('version', '12')).toBe(12);
    expect(violationsOf(() => pathNumber('version', '0')).violations).toEqual([{ field: 'version', message: 'a positive integer' }]);
    expect(actorOf(undefined)).toBe('operations');
    expect(actorOf('  ')).toBe('operations');
    expect(actorOf(' alice ')).toBe('alice');
    expect(violationsOf(() => actorOf('a\u0007b')).code).toBe('invalid-actor');
  });
});
