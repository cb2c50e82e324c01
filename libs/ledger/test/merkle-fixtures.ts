// Test-only helpers: deterministic leaves, and an in-memory "node table" built bottom-up
// from the leaves, independently of the plan and frontier code under test.
import { leafHashOfBytes, nodeHash } from '../src/merkle-hash.js';
import { type NodeId, nodeKey } from '../src/tree-geometry.js';
import type { NodeHashes, NodeReader } from '../src/node-read-plan.js';

const utf8 = new TextEncoder();

export function leafHashesFor(count: number, seed = 0): Uint8Array[] {
  return Array.from({ length: count }, (_, i) => leafHashOfBytes(utf8.encode(`leaf ${seed}:${i}`)));
}

/** Every perfect subtree complete within the given leaves, keyed by nodeKey. */
export function nodeTableFor(leafHashes: readonly Uint8Array[]): Map<string, Uint8Array> {
  const table = new Map<string, Uint8Array>();
  let level: Uint8Array[] = [...leafHashes];
  for (let height = 0; level.length > 0; height++) {
    level.forEach((hash, index) => table.set(nodeKey({ level: height, index }), hash));
    const parents: Uint8Array[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) parents.push(nodeHash(level[i]!, level[i + 1]!));
    level = parents;
  }
  return table;
}

/** A NodeReader over a table that records every batch it is asked for. */
export function recordingReader(table: NodeHashes): { read: NodeReader; batches: NodeId[][] } {
  const batches: NodeId[][] = [];
  const read: NodeReader = async (ids) => {
    batches.push(ids);
    return new Map(ids.flatMap((id) => (table.has(nodeKey(id)) ? [[nodeKey(id), table.get(nodeKey(id))!] as const] : [])));
  };
  return { read, batches };
}

export function flipBit(hash: Uint8Array, bit: number): Uint8Array {
  const copy = Uint8Array.from(hash);
  copy[bit >> 3]! ^= 1 << (bit & 7);
  return copy;
}
