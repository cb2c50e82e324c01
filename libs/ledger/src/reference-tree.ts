import { emptyRoot, nodeHash } from './merkle-hash.js';
import { assertTreeSize, largestPowerOfTwoBelow } from './tree-geometry.js';

// RFC 9162 §2.1 written the way the RFC defines it: recursion over the full list of leaf
// hashes. O(n) per call, so it serves tests, fixtures and small tools; the log itself serves
// proofs from stored subtrees (see node-read-plan.ts). Kept literal on purpose, so the
// storage-based plans have an independent oracle to be checked against.

/** MTH(D[n]) over leaf hashes (RFC 9162 §2.1.1); the empty tree hashes to SHA-256(""). */
export function rootHash(leafHashes: readonly Uint8Array[]): Uint8Array {
  return leafHashes.length === 0 ? emptyRoot : subtreeHash(leafHashes, 0, leafHashes.length);
}

/** PATH(m, D[n]) (RFC 9162 §2.1.3.1): the inclusion path of leaf `index`, nearest the leaf first. */
export function inclusionProof(index: number, leafHashes: readonly Uint8Array[]): Uint8Array[] {
  assertTreeSize(index, 'index');
  if (index >= leafHashes.length) throw new RangeError(`index ${index} is not below treeSize ${leafHashes.length}`);
  return path(index, leafHashes, 0, leafHashes.length);
}

/**
 * PROOF(m, D[n]) (RFC 9162 §2.1.4.1) between the first `size1` leaves and all of `leafHashes`.
 * Requires 0 < size1 ≤ n; equal sizes give the empty proof.
 */
export function consistencyProof(size1: number, leafHashes: readonly Uint8Array[]): Uint8Array[] {
  assertTreeSize(size1, 'size1');
  if (size1 === 0) throw new RangeError('a consistency proof from the empty tree is meaningless (RFC 9162 requires 0 < size1)');
  if (size1 > leafHashes.length) throw new RangeError(`size1 (${size1}) exceeds the tree size (${leafHashes.length})`);
  if (size1 === leafHashes.length) return [];
  return subproof(size1, leafHashes, 0, leafHashes.length, true);
}

function subtreeHash(leaves: readonly Uint8Array[], start: number, end: number): Uint8Array {
  if (end - start === 1) return leaves[start];
  const split = start + largestPowerOfTwoBelow(end - start);
  return nodeHash(subtreeHash(leaves, start, split), subtreeHash(leaves, split, end));
}

function path(m: number, leaves: readonly Uint8Array[], start: number, end: number): Uint8Array[] {
  if (end - start === 1) return [];
  const split = start + largestPowerOfTwoBelow(end - start);
  return m < split
    ? [...path(m, leaves, start, split), subtreeHash(leaves, split, end)]
    : [...path(m, leaves, split, end), subtreeHash(leaves, start, split)];
}

// `m` counts leaves from `start`; `complete` is the RFC's b flag (this subtree is the old tree).
function subproof(m: number, leaves: readonly Uint8Array[], start: number, end: number, complete: boolean): Uint8Array[] {
  if (m === end - start) return complete ? [] : [subtreeHash(leaves, start, end)];
  const k = largestPowerOfTwoBelow(end - start);
  return m <= k
    ? [...subproof(m, leaves, start, start + k, complete), subtreeHash(leaves, start + k, end)]
    : [...subproof(m - k, leaves, start + k, end, false), subtreeHash(leaves, start, start + k)];
}
