import { DomainException } from '@traceport/errors';
import type { Request, Response } from 'express';
import { describe, expect, it } from 'vitest';
import { rejectNulCharacters } from './nul-character-guard.js';

function refusalOf(body: unknown, originalUrl = '/v1/things'): DomainException | undefined {
  let passed: unknown = 'not called';
  rejectNulCharacters({ originalUrl, body } as Request, {} as Response, (error?: unknown) => {
    passed = error;
  });
  if (passed === 'not called') throw new Error('the guard did not call next');
  return passed as DomainException | undefined;
}

describe('rejectNulCharacters', () => {
  it('lets a body without U+0000 through, however deep', () => {
    expect(refusalOf({ a: [{ b: 'text', c: [1, null, true, { d: 'more' }] }], 'e/f': '~' })).toBeUndefined();
    expect(refusalOf(undefined)).toBeUndefined();
  });

  it('names the JSON pointer of a string holding U+0000, escaping ~ and / in keys', () => {
    const refusal = refusalOf({ a: [{ 'b/c': 'ok', 'd~e': ['fine', 'bad\u0000value'] }] });
    expect(refusal).toBeInstanceOf(DomainException);
    expect(refusal!.violations).toEqual([{ field: '/a/0/d~0e/1', message: 'contains U+0000' }]);
  });

  it('names a key holding U+0000, and the root for a bare string', () => {
    expect(refusalOf({ outer: { 'x\u0000y': 1 } })!.violations[0]!.field).toBe('/outer/x\u0000y');
    expect(refusalOf('\u0000')!.violations[0]!.field).toBe('/');
  });

  it('refuses %00 in the URL', () => {
    expect(refusalOf(undefined, '/v1/things/a%00b')!.code).toBe('nul-character');
  });
});
