import { emptyRoot, foldSubtreeHashes, HASH_SIZE } from './merkle-hash.js';
import {
  assertTreeSize,
  consistencyProofRanges,
  inclusionPathRanges,
  type LeafRange,
  type NodeId,
  nodeKey,
  perfectDecomposition,
} from './tree-geometry.js';

// Proofs served from stored perfect subtrees, whatever the storage. Every hash in an RFC 9162
// proof is the hash of some subtree of the tree; those on the tree's right border may be
// incomplete ("ephemeral") and are never stored, but each is the right fold of the perfect
// subtrees that cover it. A plan names the perfect subtrees to read and assembles the proof from
// them, so the log answers any proof with one batched read of O(log n) rows and no recomputation.
// Only one path element can be ephemeral (where the path leaves the right border), so a plan
// reads at most about 2·log2(n) nodes; the pieces of that element are always among the compact
// range rootPlan(n) reads, so a server that keeps the current frontier in memory can drop them
// from the read and merge its own hashes into the map it passes to assemble.

/** Stored node hashes keyed by nodeKey(id). It may hold more entries than a plan needs. */
export type NodeHashes = ReadonlyMap<string, Uint8Array>;

/** Reads the hashes of the given stored nodes in one batch, keyed by nodeKey(id). */
export type NodeReader = (ids: NodeId[]) => Promise<NodeHashes>;

export interface NodeReadPlan<T> {
  /** The distinct stored nodes to read; every one is complete at the plan's tree size. */
  readonly nodes: readonly NodeId[];
  /** Builds the result from the read hashes; throws if one is missing or not 32 bytes. */
  assemble(hashes: NodeHashes): T;
}

/** The root hash of the log at `treeSize`: the fold of the compact range of [0, treeSize). */
export function rootPlan(treeSize: number): NodeReadPlan<Uint8Array> {
  assertTreeSize(treeSize);
  if (treeSize === 0) return { nodes: [], assemble: () => emptyRoot };
  const plan = planForRanges([{ start: 0, end: treeSize }]);
  return {
    nodes: plan.nodes,
    assemble(hashes) {
      const [root] = plan.assemble(hashes);
      return root;
    },
  };
}

/** The RFC 9162 inclusion path of leaf `index` in the log at `treeSize`. */
export function inclusionProofPlan(index: number, treeSize: number): NodeReadPlan<Uint8Array[]> {
  return planForRanges(inclusionPathRanges(index, treeSize));
}

/** The RFC 9162 consistency proof from `size1` to `size2` (0 < size1 ≤ size2). */
export function consistencyProofPlan(size1: number, size2: number): NodeReadPlan<Uint8Array[]> {
  return planForRanges(consistencyProofRanges(size1, size2));
}

export async function readRootHash(treeSize: number, readNodes: NodeReader): Promise<Uint8Array> {
  return execute(rootPlan(treeSize), readNodes);
}

export async function readInclusionProof(index: number, treeSize: number, readNodes: NodeReader): Promise<Uint8Array[]> {
  return execute(inclusionProofPlan(index, treeSize), readNodes);
}

export async function readConsistencyProof(size1: number, size2: number, readNodes: NodeReader): Promise<Uint8Array[]> {
  return execute(consistencyProofPlan(size1, size2), readNodes);
}

async function execute<T>(plan: NodeReadPlan<T>, readNodes: NodeReader): Promise<T> {
  // Trivial proofs (one-leaf trees, equal sizes, the empty root) need no round trip.
  const hashes = plan.nodes.length === 0 ? new Map<string, Uint8Array>() : await readNodes([...plan.nodes]);
  return plan.assemble(hashes);
}

// One hash per range, each the fold of the range's perfect decomposition: RFC 9162 splits a
// subtree at the largest power of two below its size, which for a subtree of the tree is its
// first (largest) aligned perfect piece, and the rest recurses the same way.
function planForRanges(ranges: readonly LeafRange[]): NodeReadPlan<Uint8Array[]> {
  const pieces = ranges.map(({ start, end }) => perfectDecomposition(start, end));
  const distinct = new Map<string, NodeId>();
  for (const node of pieces.flat()) distinct.set(nodeKey(node), node);
  return {
    nodes: [...distinct.values()],
    assemble(hashes) {
      return pieces.map((range) => foldSubtreeHashes(range.map((node) => storedHash(hashes, node))));
    },
  };
}

function storedHash(hashes: NodeHashes, node: NodeId): Uint8Array {
  const key = nodeKey(node);
  const hash = hashes.get(key);
  if (hash === undefined) throw new Error(`stored node ${key} (level ${node.level}, index ${node.index}) was not read`);
  if (hash.length !== HASH_SIZE) throw new Error(`stored node ${key} holds ${hash.length} bytes, not ${HASH_SIZE}`);
  return hash;
}
