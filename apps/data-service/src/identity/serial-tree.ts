import {
  appendToFrontier,
  inclusionProofPlan,
  leafHash,
  leafHashOfBytes,
  leafRangeOf,
  type NodeHashes,
  type NodeId,
  nodeKey,
  perfectDecomposition,
  rootHash,
  type StoredNode,
} from '@traceport/ledger';

// An issuance's serial tree: the RFC 9162 tree over its identities in index order, leaf i being
// SHA-256(0x00 || JCS({"gtin": gtin, "serial": serial_i})) (SERIALS_ROOT_ALGORITHM in
// libs/contracts). Only part of it is stored, so that a million-leaf issuance keeps about two
// thousand nodes yet answers any proof from one block of leaves plus O(log n) stored nodes:
//
// - every perfect subtree of BLOCK_SIZE leaves or more (level ≥ BLOCK_LEVEL), completed as the
//   chunks of an issuance are committed (a chunk is a whole number of blocks, but the last);
// - the perfect subtrees covering the last, partial block, stored with the last chunk.
//
// Together they include the compact range of the whole tree, so the root is a fold of stored
// nodes; an inclusion path's lower elements (level < BLOCK_LEVEL) lie inside the leaf's own
// block, or are pieces of the right border, which are among the stored ones.

export const BLOCK_LEVEL = 10;
export const BLOCK_SIZE = 2 ** BLOCK_LEVEL;

const utf8 = new TextEncoder();
// Characters that JCS writes as they are inside a JSON string: the fast path below is exact for them.
const PLAIN_JSON_TEXT = /^[\x20-\x21\x23-\x5b\x5d-\x7e]*$/;

/** The leaf hash of an identity: SHA-256(0x00 || UTF-8(JCS({"gtin", "serial"}))). */
export function serialLeafHash(gtin: string, serial: string): Uint8Array {
  // JCS sorts keys ("gtin" < "serial") and escapes nothing in plain printable ASCII, so the
  // canonical text can be written directly; anything else takes the general canonicaliser.
  if (PLAIN_JSON_TEXT.test(gtin) && PLAIN_JSON_TEXT.test(serial)) {
    return leafHashOfBytes(utf8.encode(`{"gtin":"${gtin}","serial":"${serial}"}`));
  }
  return leafHash({ gtin, serial });
}

/** The stored nodes that describe the first `start` leaves (a multiple of BLOCK_SIZE): what appendChunk continues from. */
export function chunkFrontierIds(start: number): NodeId[] {
  if (start % BLOCK_SIZE !== 0) throw new RangeError(`a chunk starts on a block boundary, not at ${start}`);
  return perfectDecomposition(0, start);
}

const shift = (node: StoredNode, by: number): StoredNode => ({ id: { level: node.id.level + by, index: node.id.index }, hash: node.hash });

/**
 * The nodes to store for a chunk of leaves [start, start + leafHashes.length) of a tree of
 * `treeSize` leaves, given the stored frontier of [0, start) (chunkFrontierIds). The chunk must
 * end on a block boundary unless it is the last one.
 */
export function appendChunk(frontier: readonly StoredNode[], start: number, leafHashes: readonly Uint8Array[], treeSize: number): StoredNode[] {
  const end = start + leafHashes.length;
  if (start % BLOCK_SIZE !== 0) throw new RangeError(`a chunk starts on a block boundary, not at ${start}`);
  if (end > treeSize || (end % BLOCK_SIZE !== 0 && end !== treeSize)) {
    throw new RangeError(`a chunk ends on a block boundary or at the end of the tree (${treeSize}), not at ${end}`);
  }
  const fullBlocks = Math.floor(leafHashes.length / BLOCK_SIZE);
  const blockHashes: Uint8Array[] = [];
  for (let block = 0; block < fullBlocks; block++) blockHashes.push(rootHash(leafHashes.slice(block * BLOCK_SIZE, (block + 1) * BLOCK_SIZE)));
  // A perfect subtree of 2^k blocks is one of 2^(k + BLOCK_LEVEL) leaves: the blocks form a log of
  // their own whose nodes are the serial tree's nodes at level ≥ BLOCK_LEVEL.
  const { stored } = appendToFrontier(
    frontier.map((node) => shift(node, -BLOCK_LEVEL)),
    blockHashes,
  );
  const nodes = stored.map((node) => shift(node, BLOCK_LEVEL));
  const tailStart = start + fullBlocks * BLOCK_SIZE;
  for (const id of perfectDecomposition(tailStart, end)) {
    const range = leafRangeOf(id);
    nodes.push({ id, hash: rootHash(leafHashes.slice(range.start - start, range.end - start)) });
  }
  return nodes;
}

/** How to prove leaf `index` of a serial tree of `treeSize` leaves from storage. */
export interface SerialProofPlan {
  /** Stored nodes to read. */
  readonly storedNodes: readonly NodeId[];
  /** The leaves to read: the identity's block, [start, end). */
  readonly block: { readonly start: number; readonly end: number };
  /** The RFC 9162 inclusion path, from the stored hashes and the block's leaf hashes (in index order). */
  assemble(stored: NodeHashes, blockLeafHashes: readonly Uint8Array[]): Uint8Array[];
}

export function serialProofPlan(index: number, treeSize: number): SerialProofPlan {
  const plan = inclusionProofPlan(index, treeSize);
  const start = Math.floor(index / BLOCK_SIZE) * BLOCK_SIZE;
  const end = Math.min(start + BLOCK_SIZE, treeSize);
  const inBlock = (id: NodeId) => {
    const range = leafRangeOf(id);
    return id.level < BLOCK_LEVEL && range.start >= start && range.end <= end;
  };
  const computed = plan.nodes.filter(inBlock);
  return {
    storedNodes: plan.nodes.filter((id) => !inBlock(id)),
    block: { start, end },
    assemble(stored, blockLeafHashes) {
      if (blockLeafHashes.length !== end - start) throw new Error(`the block [${start}, ${end}) has ${end - start} leaves, ${blockLeafHashes.length} were read`);
      const hashes = new Map(stored);
      for (const id of computed) {
        const range = leafRangeOf(id);
        hashes.set(nodeKey(id), rootHash(blockLeafHashes.slice(range.start - start, range.end - start)));
      }
      return plan.assemble(hashes);
    },
  };
}
