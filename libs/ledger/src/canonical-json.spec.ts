import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.js';
import { CanonicalJsonException } from './canonical-json.exception.js';
import { toHex } from './hex-encoding.js';

const double = (ieee754Hex: string): number => {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt(`0x${ieee754Hex}`));
  return view.getFloat64(0);
};

describe('canonicalJson — RFC 8785 examples', () => {
  it('§3.2.2: sorts members, serialises numbers and escapes strings like the RFC sample', () => {
    // The input as the RFC writes it, parsed, so numbers and escapes go through JSON.parse.
    const input = JSON.parse(String.raw`{
      "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
      "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
      "literals": [null, true, false]
    }`) as unknown;
    const expected = String.raw`{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`;
    expect(canonicalJson(input)).toBe(expected);
  });

  it('§3.2.4: produces the RFC sample UTF-8 bytes exactly', () => {
    // eslint-disable-next-line no-loss-of-precision -- the RFC's own literal; rounding it is what is tested
    const input = { numbers: [333333333.33333329, 1e30, 4.5, 2e-3, 1e-27], string: '€$\u000f\nA\'B"\\\\"/', literals: [null, true, false] };
    const bytes =
      '7b226c69746572616c73223a5b6e756c6c2c747275652c66616c73655d2c226e756d62657273223a5b3333333333333333332e' +
      '333333333333332c31652b33302c342e352c302e3030322c31652d32375d2c22737472696e67223a22e282ac245c7530303066' +
      '5c6e4127425c225c5c5c5c5c222f227d';
    expect(toHex(new TextEncoder().encode(canonicalJson(input)))).toBe(bytes);
  });

  it('§3.2.3: sorts property names by UTF-16 code units, not code points or locale', () => {
    const input = JSON.parse(String.raw`{
      "\u20ac": "Euro Sign",
      "\r": "Carriage Return",
      "\ufb33": "Hebrew Letter Dalet With Dagesh",
      "1": "One",
      "\ud83d\ude00": "Emoji: Grinning Face",
      "\u0080": "Control",
      "\u00f6": "Latin Small Letter O With Diaeresis"
    }`) as unknown;
    // U+1F600 is D83D DE00 in UTF-16, so it sorts before U+FB33 although its code point is larger.
    expect(canonicalJson(input)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis",' +
        '"\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  // Appendix B: IEEE-754 bit patterns and the JSON text JCS requires for them.
  const appendixB: ReadonlyArray<readonly [string, string]> = [
    ['0000000000000000', '0'],
    ['8000000000000000', '0'],
    ['0000000000000001', '5e-324'],
    ['8000000000000001', '-5e-324'],
    ['7fefffffffffffff', '1.7976931348623157e+308'],
    ['ffefffffffffffff', '-1.7976931348623157e+308'],
    ['4340000000000000', '9007199254740992'],
    ['c340000000000000', '-9007199254740992'],
    ['4430000000000000', '295147905179352830000'],
    ['44b52d02c7e14af5', '9.999999999999997e+22'],
    ['44b52d02c7e14af6', '1e+23'],
    ['44b52d02c7e14af7', '1.0000000000000001e+23'],
    ['444b1ae4d6e2ef4e', '999999999999999700000'],
    ['444b1ae4d6e2ef4f', '999999999999999900000'],
    ['444b1ae4d6e2ef50', '1e+21'],
    ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
    ['3eb0c6f7a0b5ed8d', '0.000001'],
    ['41b3de4355555553', '333333333.3333332'],
    ['41b3de4355555554', '333333333.33333325'],
    ['41b3de4355555555', '333333333.3333333'],
    ['41b3de4355555556', '333333333.3333334'],
    ['41b3de4355555557', '333333333.33333343'],
    ['becbf647612f3696', '-0.0000033333333333333333'],
    ['43143ff3c1cb0959', '1424953923781206.2'],
  ];
  it.for(appendixB)('Appendix B: 0x%s serialises as %s', ([bits, text]) => {
    expect(canonicalJson(double(bits))).toBe(text);
    expect(canonicalJson({ n: double(bits) })).toBe(`{"n":${text}}`);
  });

  it.for(['7fffffffffffffff', '7ff0000000000000', 'fff0000000000000'])('Appendix B: 0x%s (NaN/Infinity) is rejected', (bits) => {
    expect(() => canonicalJson(double(bits))).toThrow(CanonicalJsonException);
  });

  it('parses the Appendix B decimal spellings to the same text (333333333.33333329 → 333333333.3333333)', () => {
    expect(canonicalJson(JSON.parse('[333333333.33333329, 1E21, -0, 5e-324, 1.7976931348623157e308, 1e23]'))).toBe(
      '[333333333.3333333,1e+21,0,5e-324,1.7976931348623157e+308,1e+23]',
    );
  });
});

describe('canonicalJson — string escaping (RFC 8785 §3.2.2.2)', () => {
  it('escapes only ", \\ and controls below U+0020, with the short forms where JSON has them', () => {
    const controls = Array.from({ length: 0x20 }, (_, c) => String.fromCharCode(c)).join('');
    const expected =
      '"\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n\\u000b\\f\\r\\u000e\\u000f' +
      '\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018\\u0019\\u001a\\u001b\\u001c\\u001d\\u001e\\u001f"';
    expect(canonicalJson(controls)).toBe(expected);
    expect(canonicalJson('"\\/')).toBe('"\\"\\\\/"');
  });

  it('writes everything else literally: DEL, U+2028/2029, non-BMP characters', () => {
    expect(canonicalJson('\u007f\u2028\u2029é😀')).toBe('"\u007f\u2028\u2029é😀"');
  });

  it('rejects lone surrogates in values and in names', () => {
    expect(() => canonicalJson('a\ud800')).toThrow(/lone surrogate/);
    expect(() => canonicalJson({ ['\udc00']: 1 })).toThrow(/lone surrogate/);
  });
});

describe('canonicalJson — values JCS cannot represent', () => {
  const cycle: Record<string, unknown> = {};
  cycle['self'] = cycle;
  const rejected: ReadonlyArray<readonly [string, unknown, RegExp]> = [
    ['NaN', { a: [1, Number.NaN] }, /\$\.a\[1\] is NaN/],
    ['Infinity', Number.POSITIVE_INFINITY, /\$ is Infinity/],
    ['-Infinity', { x: Number.NEGATIVE_INFINITY }, /\$\.x is -Infinity/],
    ['undefined at the top level', undefined, /\$ is undefined/],
    ['undefined in an array', [1, undefined], /\$\[1\] is undefined/],
    ['a sparse array hole', [1, , 3], /\$\[1\] is undefined/], // eslint-disable-line no-sparse-arrays
    ['BigInt', { amount: 10n }, /\$\.amount is a BigInt/],
    ['a function', () => 1, /\$ is a function/],
    // eslint-disable-next-line @typescript-eslint/no-empty-function -- any function member must be refused
    ['a function member', { f() {} }, /\$\.f is a function/],
    ['a symbol', { s: Symbol('s') }, /\$\.s is a symbol/],
    ['a Map', new Map([['k', 1]]), /\$ is a Map/],
    ['a Set', { tags: new Set(['a']) }, /\$\.tags is a Set/],
    ['a typed array', new Uint8Array([1]), /\$ is a Uint8Array/],
    ['a class instance', new (class Lot { n = 1 })(), /\$ is a Lot/],
    ['a cycle', cycle, /\$\.self is a circular reference/],
    ['a toJSON returning undefined', { toJSON: () => undefined }, /\$ is undefined/],
  ];
  it.for(rejected)('rejects %s with a located CanonicalJsonException', ([, value, message]) => {
    expect(() => canonicalJson(value)).toThrow(CanonicalJsonException);
    expect(() => canonicalJson(value)).toThrow(message);
  });

  it('omits undefined object members, as JSON.stringify (and so the API) does', () => {
    expect(canonicalJson({ b: 1, a: undefined })).toBe('{"b":1}');
  });

  it('uses toJSON (Date) and unwraps boxed primitives', () => {
    expect(canonicalJson({ at: new Date(Date.UTC(2025, 0, 2)) })).toBe('{"at":"2025-01-02T00:00:00.000Z"}');
    expect(canonicalJson([new Number(4.5), new String('x'), new Boolean(false)])).toBe('[4.5,"x",false]');
  });

  it('passes the key to toJSON as JSON.stringify does', () => {
    const keyed = { toJSON: (key: string) => `key=${key}` };
    expect(canonicalJson({ a: keyed, b: [keyed] })).toBe(JSON.stringify({ a: keyed, b: [keyed] }));
  });

  it('keeps a "__proto__" member from parsed JSON as data', () => {
    expect(canonicalJson(JSON.parse('{"__proto__":{"x":1},"a":2}'))).toBe('{"__proto__":{"x":1},"a":2}');
  });

  it('accepts the same object twice when it is not a cycle', () => {
    const shared = { v: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"v":1},"b":{"v":1}}');
  });
});

describe('canonicalJson — properties', () => {
  it('means the same JSON as JSON.stringify, and is a fixed point', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const canonical = canonicalJson(value);
        expect(JSON.parse(canonical)).toEqual(JSON.parse(JSON.stringify(value)));
        expect(canonicalJson(JSON.parse(canonical))).toBe(canonical);
      }),
    );
  });

  it('does not depend on member insertion order', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ unit: 'binary' }), fc.jsonValue({ maxDepth: 2 })), (record) => {
        const reversed = Object.fromEntries(Object.entries(record).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(record));
      }),
    );
  });
});
