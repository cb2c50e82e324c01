import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { flipBit, leafHashesFor } from '../test/merkle-fixtures.js';
import { emptyRoot, nodeHash } from './merkle-hash.js';
import { rootFromInclusion, type ProofVerdict, verifyConsistency, verifyInclusion } from './proof-verification.js';
import { ProofVerificationException } from './proof-verification.exception.js';
import { consistencyProof, inclusionProof, rootHash } from './reference-tree.js';

const leaves = leafHashesFor(64);
const rootAt = (size: number) => rootHash(leaves.slice(0, size));
const inclusionAt = (leafIndex: number, treeSize: number) => ({
  leafIndex,
  treeSize,
  leafHash: leaves[leafIndex]!,
  inclusionPath: inclusionProof(leafIndex, leaves.slice(0, treeSize)),
  rootHash: rootAt(treeSize),
});
const consistencyAt = (size1: number, size2: number) => ({
  size1,
  size2,
  root1: rootAt(size1),
  root2: rootAt(size2),
  proof: consistencyProof(size1, leaves.slice(0, size2)),
});
const reasonOf = (verdict: ProofVerdict) => (verdict.valid ? 'valid' : verdict.reason);

describe('verifyInclusion (RFC 9162 §2.1.3.2)', () => {
  it('accepts correct proofs, including the one-leaf tree with an empty path', () => {
    expect(verifyInclusion(inclusionAt(0, 1))).toEqual({ valid: true });
    expect(verifyInclusion(inclusionAt(5, 7))).toEqual({ valid: true });
    expect(rootFromInclusion(inclusionAt(5, 7))).toEqual(rootAt(7));
  });

  it('names the reason for every rejection', () => {
    const good = inclusionAt(5, 7);
    expect(reasonOf(verifyInclusion({ ...good, treeSize: -1 }))).toBe('invalid-tree-size');
    expect(reasonOf(verifyInclusion({ ...good, treeSize: 2 ** 64 }))).toBe('invalid-tree-size');
    expect(reasonOf(verifyInclusion({ ...good, leafIndex: 1.5 }))).toBe('invalid-leaf-index');
    expect(reasonOf(verifyInclusion({ ...good, leafIndex: 2 ** 64 - 1 }))).toBe('invalid-leaf-index');
    expect(reasonOf(verifyInclusion({ ...good, leafIndex: 7 }))).toBe('leaf-index-out-of-range');
    expect(reasonOf(verifyInclusion({ ...good, treeSize: 0, leafIndex: 0 }))).toBe('leaf-index-out-of-range');
    expect(reasonOf(verifyInclusion({ ...good, leafHash: new Uint8Array(0) }))).toBe('malformed-hash');
    expect(reasonOf(verifyInclusion({ ...good, inclusionPath: [...good.inclusionPath, new Uint8Array(0)] }))).toBe('malformed-hash');
    expect(reasonOf(verifyInclusion({ ...good, rootHash: good.rootHash.subarray(1) }))).toBe('malformed-hash');
    expect(reasonOf(verifyInclusion({ ...good, inclusionPath: [...good.inclusionPath, emptyRoot] }))).toBe('path-too-long');
    expect(reasonOf(verifyInclusion({ ...good, inclusionPath: good.inclusionPath.slice(0, -1) }))).toBe('path-too-short');
    expect(reasonOf(verifyInclusion({ ...good, rootHash: emptyRoot }))).toBe('root-mismatch');
  });

  it('rejects an empty leaf hash equal to an empty root (the check the RFC leaves out)', () => {
    const empty = new Uint8Array(0);
    expect(reasonOf(verifyInclusion({ leafIndex: 0, treeSize: 1, leafHash: empty, inclusionPath: [], rootHash: empty }))).toBe('malformed-hash');
  });

  it('throws from rootFromInclusion with the same reason', () => {
    const good = inclusionAt(5, 7);
    expect(() => rootFromInclusion({ ...good, inclusionPath: [] })).toThrow(ProofVerificationException);
    const thrown = (() => {
      try {
        rootFromInclusion({ ...good, leafIndex: 9 });
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(thrown).toBeInstanceOf(ProofVerificationException);
    expect((thrown as ProofVerificationException).reason).toBe('leaf-index-out-of-range');
  });

  it('sees the tree size only through the path shape, so the root must be the trusted one for that size', () => {
    // Leaf 0's path in a 3-leaf tree has the same shape as in a 4-leaf tree. Presented with the
    // 3-leaf root but a claimed size of 4 the hashes fit; the claim is caught only because the
    // root anchored for size 4 (rootAt(4)) is a different hash.
    const proof = inclusionAt(0, 3);
    expect(verifyInclusion({ ...proof, treeSize: 4 }).valid).toBe(true);
    expect(verifyInclusion({ ...proof, treeSize: 4, rootHash: rootAt(4) }).valid).toBe(false);
  });
});

describe('verifyConsistency (RFC 9162 §2.1.4.2)', () => {
  it('accepts correct proofs, and equal sizes with an empty proof', () => {
    expect(verifyConsistency(consistencyAt(1, 8))).toEqual({ valid: true });
    expect(verifyConsistency(consistencyAt(6, 7))).toEqual({ valid: true });
    expect(verifyConsistency(consistencyAt(4, 8))).toEqual({ valid: true });
    expect(verifyConsistency(consistencyAt(5, 5))).toEqual({ valid: true });
  });

  it('names the reason for every rejection', () => {
    const good = consistencyAt(6, 13);
    expect(reasonOf(verifyConsistency({ ...good, size1: Number.NaN }))).toBe('invalid-tree-size');
    expect(reasonOf(verifyConsistency({ ...good, size2: 2 ** 60 }))).toBe('invalid-tree-size');
    expect(reasonOf(verifyConsistency({ ...good, size1: 14 }))).toBe('size1-exceeds-size2');
    expect(reasonOf(verifyConsistency({ ...good, size1: 0, root1: emptyRoot, proof: [] }))).toBe('empty-first-tree');
    expect(reasonOf(verifyConsistency({ ...consistencyAt(5, 5), proof: [emptyRoot] }))).toBe('proof-not-empty-for-equal-sizes');
    expect(reasonOf(verifyConsistency({ ...consistencyAt(5, 5), root2: rootAt(6) }))).toBe('root-mismatch');
    expect(reasonOf(verifyConsistency({ ...good, proof: [] }))).toBe('empty-proof');
    expect(reasonOf(verifyConsistency({ ...good, proof: [...good.proof, new Uint8Array(31)] }))).toBe('malformed-hash');
    expect(reasonOf(verifyConsistency({ ...good, root1: new Uint8Array(0) }))).toBe('malformed-hash');
    expect(reasonOf(verifyConsistency({ ...good, proof: [...good.proof, emptyRoot] }))).toBe('path-too-long');
    expect(reasonOf(verifyConsistency({ ...good, proof: good.proof.slice(0, -1) }))).toBe('path-too-short');
    expect(reasonOf(verifyConsistency({ ...good, root1: rootAt(7) }))).toBe('first-root-mismatch');
    expect(reasonOf(verifyConsistency({ ...good, root2: rootAt(12) }))).toBe('second-root-mismatch');
  });

  it('prepends the old root itself when size1 is a power of two (and rejects a proof that repeats it)', () => {
    const good = consistencyAt(4, 6);
    expect(good.proof).toHaveLength(1);
    expect(good.proof[0]).toEqual(nodeHash(leaves[4]!, leaves[5]!));
    expect(reasonOf(verifyConsistency({ ...good, proof: [good.root1, ...good.proof] }))).not.toBe('valid');
  });
});

// Properties over random trees. Leaves come from a seed so each case has distinct hashes.
const treeWithLeaf = fc
  .record({ size: fc.integer({ min: 1, max: 300 }), seed: fc.nat(), pick: fc.double({ min: 0, max: 1, noNaN: true }) })
  .map(({ size, seed, pick }) => {
    const allLeaves = leafHashesFor(2 * size + 2, seed); // room for "wrong size" claims beyond size
    return { size, seed, index: Math.min(size - 1, Math.floor(pick * size)), allLeaves, leaves: allLeaves.slice(0, size) };
  });

describe('inclusion proofs — properties', () => {
  it('every generated proof verifies and leads to the root', () => {
    fc.assert(
      fc.property(treeWithLeaf, ({ size, index, leaves: treeLeaves }) => {
        const input = { leafIndex: index, treeSize: size, leafHash: treeLeaves[index]!, inclusionPath: inclusionProof(index, treeLeaves) };
        expect(verifyInclusion({ ...input, rootHash: rootHash(treeLeaves) })).toEqual({ valid: true });
        expect(rootFromInclusion(input)).toEqual(rootHash(treeLeaves));
      }),
    );
  });

  it('any single-bit flip in the leaf, the path or the root is rejected', () => {
    fc.assert(
      fc.property(treeWithLeaf, fc.nat(), fc.integer({ min: 0, max: 255 }), ({ size, index, leaves: treeLeaves }, which, bit) => {
        const path = inclusionProof(index, treeLeaves);
        const good = { leafIndex: index, treeSize: size, leafHash: treeLeaves[index]!, inclusionPath: path, rootHash: rootHash(treeLeaves) };
        const target = which % (path.length + 2);
        const bad =
          target === path.length
            ? { ...good, leafHash: flipBit(good.leafHash, bit) }
            : target === path.length + 1
              ? { ...good, rootHash: flipBit(good.rootHash, bit) }
              : { ...good, inclusionPath: path.map((h, i) => (i === target ? flipBit(h, bit) : h)) };
        expect(verifyInclusion(bad).valid).toBe(false);
      }),
    );
  });

  it('a truncated or extended path is rejected', () => {
    fc.assert(
      fc.property(treeWithLeaf, fc.nat(), fc.uint8Array({ minLength: 32, maxLength: 32 }), ({ size, index, leaves: treeLeaves }, at, extra) => {
        const path = inclusionProof(index, treeLeaves);
        const good = { leafIndex: index, treeSize: size, leafHash: treeLeaves[index]!, inclusionPath: path, rootHash: rootHash(treeLeaves) };
        if (path.length > 0) {
          const drop = at % path.length;
          expect(verifyInclusion({ ...good, inclusionPath: path.filter((_, i) => i !== drop) }).valid).toBe(false);
        }
        const insert = at % (path.length + 1);
        const extended = [...path.slice(0, insert), extra, ...path.slice(insert)];
        expect(verifyInclusion({ ...good, inclusionPath: extended }).valid).toBe(false);
        expect(verifyInclusion({ ...good, inclusionPath: [...path, path[0] ?? extra] }).valid).toBe(false);
      }),
    );
  });

  it('a wrong index, or a wrong size checked against that size’s root, is rejected', () => {
    fc.assert(
      fc.property(treeWithLeaf, fc.nat(), ({ size, index, leaves: treeLeaves, allLeaves }, other) => {
        const good = { leafIndex: index, treeSize: size, leafHash: treeLeaves[index]!, inclusionPath: inclusionProof(index, treeLeaves), rootHash: rootHash(treeLeaves) };
        const wrongIndex = (index + 1 + (other % (size + 3))) % (size + 4); // anywhere in [0, size + 3] but index
        if (wrongIndex !== index) expect(verifyInclusion({ ...good, leafIndex: wrongIndex }).valid).toBe(false);
        const wrongSize = 1 + ((size + (other % allLeaves.length)) % allLeaves.length); // in [1, 2·size + 2]
        if (wrongSize !== size) {
          expect(verifyInclusion({ ...good, treeSize: wrongSize, rootHash: rootHash(allLeaves.slice(0, wrongSize)) }).valid).toBe(false);
        }
      }),
    );
  });
});

const treePair = fc
  .record({ size2: fc.integer({ min: 1, max: 300 }), seed: fc.nat(), pick: fc.double({ min: 0, max: 1, noNaN: true }) })
  .map(({ size2, seed, pick }) => {
    const allLeaves = leafHashesFor(2 * size2 + 2, seed);
    const size1 = Math.max(1, Math.ceil(pick * size2));
    const rootOf = (size: number) => rootHash(allLeaves.slice(0, size));
    return { size1, size2, allLeaves, rootOf, proof: consistencyProof(size1, allLeaves.slice(0, size2)) };
  });

describe('consistency proofs — properties', () => {
  it('every generated proof verifies', () => {
    fc.assert(
      fc.property(treePair, ({ size1, size2, rootOf, proof }) => {
        expect(verifyConsistency({ size1, size2, root1: rootOf(size1), root2: rootOf(size2), proof })).toEqual({ valid: true });
      }),
    );
  });

  it('any single-bit flip in the proof or either root is rejected', () => {
    fc.assert(
      fc.property(treePair, fc.nat(), fc.integer({ min: 0, max: 255 }), ({ size1, size2, rootOf, proof }, which, bit) => {
        fc.pre(size1 < size2);
        const good = { size1, size2, root1: rootOf(size1), root2: rootOf(size2), proof };
        const target = which % (proof.length + 2);
        const bad =
          target === proof.length
            ? { ...good, root1: flipBit(good.root1, bit) }
            : target === proof.length + 1
              ? { ...good, root2: flipBit(good.root2, bit) }
              : { ...good, proof: proof.map((h, i) => (i === target ? flipBit(h, bit) : h)) };
        expect(verifyConsistency(bad).valid).toBe(false);
      }),
    );
  });

  it('a truncated or extended proof is rejected', () => {
    fc.assert(
      fc.property(treePair, fc.nat(), fc.uint8Array({ minLength: 32, maxLength: 32 }), ({ size1, size2, rootOf, proof }, at, extra) => {
        const good = { size1, size2, root1: rootOf(size1), root2: rootOf(size2), proof };
        if (proof.length > 0) {
          const drop = at % proof.length;
          expect(verifyConsistency({ ...good, proof: proof.filter((_, i) => i !== drop) }).valid).toBe(false);
        }
        const insert = at % (proof.length + 1);
        expect(verifyConsistency({ ...good, proof: [...proof.slice(0, insert), extra, ...proof.slice(insert)] }).valid).toBe(false);
        expect(verifyConsistency({ ...good, proof: [...proof, good.root1] }).valid).toBe(false);
      }),
    );
  });

  it('wrong sizes checked against those sizes’ roots, or swapped roots, are rejected', () => {
    fc.assert(
      fc.property(treePair, fc.nat(), fc.nat(), ({ size1, size2, allLeaves, rootOf, proof }, a, b) => {
        const good = { size1, size2, root1: rootOf(size1), root2: rootOf(size2), proof };
        const wrong1 = 1 + (a % allLeaves.length);
        const wrong2 = 1 + (b % allLeaves.length);
        if (wrong1 !== size1) expect(verifyConsistency({ ...good, size1: wrong1, root1: rootOf(wrong1) }).valid).toBe(false);
        if (wrong2 !== size2) expect(verifyConsistency({ ...good, size2: wrong2, root2: rootOf(wrong2) }).valid).toBe(false);
        if (size1 !== size2) expect(verifyConsistency({ ...good, root1: good.root2, root2: good.root1 }).valid).toBe(false);
      }),
    );
  });
});
