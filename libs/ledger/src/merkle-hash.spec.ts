import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { toHex } from './hex-encoding.js';
import { emptyRoot, hashesEqual, leafHash, leafHashOfBytes, nodeHash } from './merkle-hash.js';

// node:crypto is an independent SHA-256 to check the library's hashing against.
const sha256Hex = (...parts: Uint8Array[]): string => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest('hex');
};

describe('RFC 9162 hashing', () => {
  it('hashes the empty tree to SHA-256("")', () => {
    expect(toHex(emptyRoot)).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('prefixes leaves with 0x00 (empty leaf: RFC 6962 test vector)', () => {
    expect(toHex(leafHashOfBytes(new Uint8Array(0)))).toBe('6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d');
    const data = Uint8Array.of(1, 2, 3);
    expect(toHex(leafHashOfBytes(data))).toBe(sha256Hex(Uint8Array.of(0), data));
  });

  it('prefixes interior nodes with 0x01 and keeps left/right order', () => {
    const left = leafHashOfBytes(Uint8Array.of(0));
    const right = leafHashOfBytes(Uint8Array.of(1));
    expect(toHex(nodeHash(left, right))).toBe(sha256Hex(Uint8Array.of(1), left, right));
    expect(hashesEqual(nodeHash(left, right), nodeHash(right, left))).toBe(false);
  });

  it('hashes a record as SHA-256(0x00 || UTF-8(JCS(record)))', () => {
    const record = { type: 'trace-event', when: '2025-01-02T00:00:00Z', where: 'Ningbo 保税仓', qty: 1.50 };
    const jcs = '{"qty":1.5,"type":"trace-event","when":"2025-01-02T00:00:00Z","where":"Ningbo 保税仓"}';
    expect(toHex(leafHash(record))).toBe(sha256Hex(Uint8Array.of(0), new TextEncoder().encode(jcs)));
  });

  it('gives the same leaf for the same record in any member order', () => {
    expect(leafHash({ a: 1, b: [1, 2] })).toEqual(leafHash({ b: [1, 2], a: 1 }));
    expect(leafHash({ a: 1 })).not.toEqual(leafHash({ a: 2 }));
  });

  it('refuses records JCS cannot represent', () => {
    expect(() => leafHash({ amount: Number.NaN })).toThrow(/NaN/);
  });

  it('compares hashes byte-wise', () => {
    expect(hashesEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 2))).toBe(true);
    expect(hashesEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 3))).toBe(false);
    expect(hashesEqual(Uint8Array.of(1), Uint8Array.of(1, 0))).toBe(false);
  });
});
