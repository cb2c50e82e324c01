import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from './hex-encoding.js';

describe('hex encoding', () => {
  it('encodes lowercase and round-trips any bytes', () => {
    expect(toHex(Uint8Array.of(0x00, 0x0f, 0xab, 0xff))).toBe('000fabff');
    fc.assert(
      fc.property(fc.uint8Array(), (bytes) => {
        expect(fromHex(toHex(bytes))).toEqual(bytes);
      }),
    );
  });

  it('accepts either case', () => {
    expect(fromHex('ABcd')).toEqual(Uint8Array.of(0xab, 0xcd));
  });

  it.for([
    ['odd length', 'abc', /odd number/],
    ['non-hex character', 'zz', /not a hex string/],
    ['whitespace', 'ab ', /odd number|not a hex/],
    ['sign', '+1', /not a hex string/],
  ] as const)('rejects %s', ([, text, message]) => {
    expect(() => fromHex(text)).toThrow(message);
  });

  it('checks the decoded length when asked', () => {
    expect(fromHex('00'.repeat(32), 32)).toHaveLength(32);
    expect(() => fromHex('00'.repeat(31), 32)).toThrow(/expected 32 bytes, got 31/);
  });
});
