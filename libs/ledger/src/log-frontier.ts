import { emptyRoot, foldSubtreeHashes, HASH_SIZE, nodeHash } from './merkle-hash.js';
import { type NodeId, nodeKey, perfectDecomposition } from './tree-geometry.js';

// The frontier of a log is its compact range: the perfect subtrees covering [0, size), largest
// first (exactly the nodes rootPlan(size) reads). Every subtree an append completes has its
// left child in the frontier, so an appender that keeps the frontier in memory computes all new
// stored nodes, and the new root, without reading anything back.

export interface StoredNode {
  readonly id: NodeId;
  readonly hash: Uint8Array;
}

export interface FrontierAppend {
  /** The frontier after the append. */
  readonly frontier: StoredNode[];
  /** Every node to store, in an order where children precede parents: each leaf (level 0)
   * followed by the interior nodes it completes (the nodesCompletedByAppend order). */
  readonly stored: StoredNode[];
}

/** The number of leaves a frontier covers. Throws if it is not a compact range from leaf 0. */
export function frontierSize(frontier: readonly StoredNode[]): number {
  let size = 0;
  for (const { id } of frontier) size += 2 ** id.level;
  const expected = perfectDecomposition(0, size).map(nodeKey).join(',');
  if (frontier.map(({ id }) => nodeKey(id)).join(',') !== expected) {
    throw new RangeError(`not a log frontier: expected nodes [${expected}] for ${size} leaves`);
  }
  for (const { id, hash } of frontier) {
    if (hash.length !== HASH_SIZE) throw new RangeError(`frontier node ${nodeKey(id)} holds ${hash.length} bytes, not ${HASH_SIZE}`);
  }
  return size;
}

/** The root hash of the log the frontier describes (the right fold of its nodes). */
export function frontierRoot(frontier: readonly StoredNode[]): Uint8Array {
  frontierSize(frontier);
  if (frontier.length === 0) return emptyRoot;
  return foldSubtreeHashes(frontier.map((node) => node.hash));
}

/** Appends leaf hashes to the log the frontier describes. Pure: the input is not modified. */
export function appendToFrontier(frontier: readonly StoredNode[], leafHashes: readonly Uint8Array[]): FrontierAppend {
  let size = frontierSize(frontier);
  const next = [...frontier];
  const stored: StoredNode[] = [];
  for (const hash of leafHashes) {
    if (hash.length !== HASH_SIZE) throw new RangeError(`leaf hash for index ${size} is ${hash.length} bytes, not ${HASH_SIZE}`);
    let node: StoredNode = { id: { level: 0, index: size }, hash };
    stored.push(node);
    // Two trailing subtrees of equal height are siblings: merge them, once per completed level.
    for (let left = next.at(-1); left !== undefined && left.id.level === node.id.level; left = next.at(-1)) {
      next.pop();
      node = { id: { level: node.id.level + 1, index: left.id.index / 2 }, hash: nodeHash(left.hash, node.hash) };
      stored.push(node);
    }
    next.push(node);
    size += 1;
  }
  return { frontier: next, stored };
}
