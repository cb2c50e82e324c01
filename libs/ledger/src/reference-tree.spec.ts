import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from './hex-encoding.js';
import { leafHashOfBytes, nodeHash } from './merkle-hash.js';
import { consistencyProof, inclusionProof, rootHash } from './reference-tree.js';

// The classic RFC 6962 test tree (transparency-dev/merkle testonly): eight leaf inputs and
// known roots. The full vector set runs in rfc9162-conformance.spec.ts when available.
const leaves = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(
  (hex) => leafHashOfBytes(fromHex(hex)),
);
const h = (hex: string) => fromHex(hex, 32);

describe('reference tree (RFC 9162 §2.1 definitions)', () => {
  it('computes the known roots', () => {
    expect(toHex(rootHash([]))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(toHex(rootHash(leaves.slice(0, 1)))).toBe('6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d');
    expect(toHex(rootHash(leaves.slice(0, 3)))).toBe('aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77');
    expect(toHex(rootHash(leaves.slice(0, 7)))).toBe('ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c');
    expect(toHex(rootHash(leaves))).toBe('5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328');
  });

  it('splits at the largest power of two below n (n = 3: (l0·l1)·l2, not l0·(l1·l2))', () => {
    expect(rootHash(leaves.slice(0, 3))).toEqual(nodeHash(nodeHash(leaves[0]!, leaves[1]!), leaves[2]!));
  });

  it('builds the known inclusion paths', () => {
    expect(inclusionProof(0, leaves.slice(0, 1))).toEqual([]);
    expect(inclusionProof(5, leaves)).toEqual([
      h('bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b'),
      h('ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0'),
      h('d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7'),
    ]);
    expect(inclusionProof(1, leaves.slice(0, 5))).toEqual([
      h('6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d'),
      h('5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e'),
      h('bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b'),
    ]);
  });

  it('builds the known consistency proofs', () => {
    expect(consistencyProof(1, leaves.slice(0, 1))).toEqual([]);
    expect(consistencyProof(6, leaves)).toEqual([
      h('0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a'),
      h('ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0'),
      h('d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7'),
    ]);
    expect(consistencyProof(2, leaves.slice(0, 5))).toEqual([
      h('5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e'),
      h('bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b'),
    ]);
  });

  it('refuses positions outside the tree', () => {
    expect(() => inclusionProof(8, leaves)).toThrow(RangeError);
    expect(() => inclusionProof(-1, leaves)).toThrow(RangeError);
    expect(() => consistencyProof(0, leaves)).toThrow(/empty tree/);
    expect(() => consistencyProof(9, leaves)).toThrow(RangeError);
  });
});
