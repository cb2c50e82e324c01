import { HASH_SIZE, hashesEqual, nodeHash } from './merkle-hash.js';
import { ProofVerificationException } from './proof-verification.exception.js';
import { isPowerOfTwo, isTreeSize } from './tree-geometry.js';

// RFC 9162 §2.1.3.2 and §2.1.4.2, step by step. Two checks are added to the RFC's: every hash
// a proof is computed from must be 32 bytes (an empty "leaf hash" equal to an empty "root"
// would otherwise verify a one-leaf tree), and sizes and indices must be safe integers (the RFC
// uses unsigned 64-bit values; anything above 2^53 cannot be a position in this log).
//
// A verdict only says that the hashes fit together. The root must come from a trusted head for
// exactly the claimed tree size (the chain's rootAt(treeSize)): the RFC algorithms see the size
// only through the shape of the path, and different sizes can share a shape.

export type ProofRejection =
  | 'invalid-tree-size'
  | 'invalid-leaf-index'
  | 'leaf-index-out-of-range'
  | 'malformed-hash'
  | 'path-too-long'
  | 'path-too-short'
  | 'root-mismatch'
  | 'size1-exceeds-size2'
  | 'empty-first-tree'
  | 'proof-not-empty-for-equal-sizes'
  | 'empty-proof'
  | 'first-root-mismatch'
  | 'second-root-mismatch';

export interface ProofRejected {
  readonly valid: false;
  readonly reason: ProofRejection;
  readonly message: string;
}

export type ProofVerdict = { readonly valid: true } | ProofRejected;

export interface InclusionProofInput {
  readonly leafIndex: number;
  readonly treeSize: number;
  readonly leafHash: Uint8Array;
  readonly inclusionPath: readonly Uint8Array[];
}

export interface InclusionVerificationInput extends InclusionProofInput {
  readonly rootHash: Uint8Array;
}

export interface ConsistencyVerificationInput {
  readonly size1: number;
  readonly size2: number;
  readonly root1: Uint8Array;
  readonly root2: Uint8Array;
  readonly proof: readonly Uint8Array[];
}

const VALID: ProofVerdict = Object.freeze({ valid: true });

function reject(reason: ProofRejection, message: string): ProofRejected {
  return { valid: false, reason, message };
}

/** RFC 9162 §2.1.3.2: does `leafHash` sit at `leafIndex` of the tree of `treeSize` with `rootHash`? */
export function verifyInclusion(input: InclusionVerificationInput): ProofVerdict {
  const computed = computeInclusionRoot(input);
  if (!(computed instanceof Uint8Array)) return computed;
  const malformed = firstMalformedHash([['rootHash', input.rootHash]]);
  if (malformed !== undefined) return malformed;
  // 5. r must equal root_hash.
  if (!hashesEqual(computed, input.rootHash)) return reject('root-mismatch', 'the path leads to a different root');
  return VALID;
}

/**
 * The root an inclusion proof leads to (RFC 9162 §2.1.3.2 steps 1–4 plus the sn = 0 check of
 * step 5); throws a ProofVerificationException when the proof cannot belong to the claimed position.
 */
export function rootFromInclusion(input: InclusionProofInput): Uint8Array {
  const computed = computeInclusionRoot(input);
  if (!(computed instanceof Uint8Array)) throw new ProofVerificationException(computed.reason, computed.message);
  return computed;
}

function computeInclusionRoot({ leafIndex, treeSize, leafHash, inclusionPath }: InclusionProofInput): Uint8Array | ProofRejected {
  if (!isTreeSize(treeSize)) return reject('invalid-tree-size', `treeSize ${String(treeSize)} is not a non-negative safe integer`);
  if (!isTreeSize(leafIndex)) return reject('invalid-leaf-index', `leafIndex ${String(leafIndex)} is not a non-negative safe integer`);
  // 1. leaf_index must be below tree_size.
  if (leafIndex >= treeSize) return reject('leaf-index-out-of-range', `leafIndex ${leafIndex} ≥ treeSize ${treeSize}`);
  const malformed = firstMalformedHash([['leafHash', leafHash], ...inclusionPath.map((h, i) => [`inclusionPath[${i}]`, h] as const)]);
  if (malformed !== undefined) return malformed;
  // 2. fn = leaf_index, sn = tree_size − 1.  3. r = hash.
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = leafHash;
  // 4. For each p in the path:
  for (const p of inclusionPath) {
    // a. sn = 0 means the path is longer than the tree is tall.
    if (sn === 0) return reject('path-too-long', 'the inclusion path has more hashes than the tree has levels');
    // b. p is on the left if fn is a right child, or if fn is the last node of its level: with
    //    no right sibling it is promoted unchanged until it is a right child (or the root's).
    if (isOdd(fn) || fn === sn) {
      r = nodeHash(p, r);
      // ii. Skip the levels of unchanged promotion: until LSB(fn) is set or fn is 0.
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = nodeHash(r, p);
    }
    // c.
    fn = half(fn);
    sn = half(sn);
  }
  // 5. sn must have reached 0: a shorter path stops below the root.
  if (sn !== 0) return reject('path-too-short', 'the inclusion path stops below the root');
  return r;
}

/** RFC 9162 §2.1.4.2: is the tree of `size2` with `root2` an append-only extension of `size1`/`root1`? */
export function verifyConsistency({ size1, size2, root1, root2, proof }: ConsistencyVerificationInput): ProofVerdict {
  if (!isTreeSize(size1)) return reject('invalid-tree-size', `size1 ${String(size1)} is not a non-negative safe integer`);
  if (!isTreeSize(size2)) return reject('invalid-tree-size', `size2 ${String(size2)} is not a non-negative safe integer`);
  if (size1 > size2) return reject('size1-exceeds-size2', `size1 ${size1} > size2 ${size2}: a log never shrinks`);
  // The RFC's algorithm is for 0 < first < second. From the empty tree there is nothing to be
  // consistent with (the transparency-dev vectors expect a rejection), and equal sizes need
  // identical roots.
  if (size1 === 0) return reject('empty-first-tree', 'a consistency proof from the empty tree proves nothing');
  if (size1 === size2) {
    if (proof.length !== 0) return reject('proof-not-empty-for-equal-sizes', 'equal sizes take an empty proof');
    // No hashing happens here, so, like transparency-dev, only byte equality is required.
    return hashesEqual(root1, root2) ? VALID : reject('root-mismatch', 'equal sizes but different roots');
  }
  const malformed = firstMalformedHash([['root1', root1], ['root2', root2], ...proof.map((h, i) => [`proof[${i}]`, h] as const)]);
  if (malformed !== undefined) return malformed;

  // 1. An empty path fails.
  if (proof.length === 0) return reject('empty-proof', 'different sizes need a non-empty proof');
  // 2. When first is a power of two the old root is itself the starting subtree.
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : proof;
  // 3.
  let fn = size1 - 1;
  let sn = size2 - 1;
  // 4. Climb to the level of the largest perfect subtree ending at size1.
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  // 5.
  const [first, ...rest] = path;
  let fr = first;
  let sr = first;
  // 6.
  for (const c of rest) {
    if (sn === 0) return reject('path-too-long', 'the consistency proof has more hashes than the tree has levels');
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      // Skip the levels of unchanged promotion, as in inclusion verification.
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  // 7.
  if (sn !== 0) return reject('path-too-short', 'the consistency proof stops below the root');
  if (!hashesEqual(fr, root1)) return reject('first-root-mismatch', 'the proof does not lead to root1');
  if (!hashesEqual(sr, root2)) return reject('second-root-mismatch', 'the proof does not lead to root2');
  return VALID;
}

function firstMalformedHash(hashes: ReadonlyArray<readonly [string, Uint8Array]>): ProofRejected | undefined {
  for (const [name, hash] of hashes) {
    if (!(hash instanceof Uint8Array) || hash.length !== HASH_SIZE) {
      return reject('malformed-hash', `${name} is ${hash instanceof Uint8Array ? `${hash.length} bytes` : 'not bytes'}, not ${HASH_SIZE}`);
    }
  }
  return undefined;
}

function isOdd(n: number): boolean {
  return n % 2 === 1;
}

// Exact right shift by one for any safe integer (>> would truncate to 32 bits).
function half(n: number): number {
  return Math.floor(n / 2);
}
