import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gs1CheckDigit, parseGtin } from './gtin.js';

describe('parseGtin', () => {
  it.each([
    ['09506000134352', '09506000134352'], // GS1's own GTIN-14 example (Digital Link standard)
    ['4006381333931', '04006381333931'], // GTIN-13
    ['036000291452', '00036000291452'], // GTIN-12 (UPC-A)
    ['96385074', '00000096385074'], // GTIN-8
  ])('accepts %s as %s', (input, gtin14) => {
    expect(parseGtin(input)).toEqual({ ok: true, gtin14 });
  });

  it('rejects a wrong check digit and says which is right', () => {
    expect(parseGtin('09506000134353')).toEqual({ ok: false, problem: 'bad-check-digit', message: 'check digit should be 2, not 3' });
  });

  it('rejects letters and odd lengths', () => {
    expect(parseGtin('0950600013435X')).toMatchObject({ ok: false, problem: 'not-digits' });
    expect(parseGtin('123456789')).toMatchObject({ ok: false, problem: 'wrong-length' });
  });

  it('accepts every 13-digit body with its computed check digit, and no other digit', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{13}$/), fc.integer({ min: 1, max: 9 }), (body, shift) => {
        const check = gs1CheckDigit(body);
        expect(parseGtin(`${body}${check}`).ok).toBe(true);
        expect(parseGtin(`${body}${(check + shift) % 10}`).ok).toBe(false);
      }),
    );
  });
});
