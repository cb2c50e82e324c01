import {
  appendToFrontier,
  canonicalJson,
  frontierRoot,
  hashesEqual,
  leafHashOfBytes,
  nodeHash,
  nodeKey,
  toHex,
  type StoredNode,
} from '@traceport/ledger';
import type { EntityManager } from 'typeorm';

export interface ChangedRecord {
  readonly leafIndex: number;
  readonly recordKey: string;
}
export interface ReorderedRecord {
  readonly recordKey: string;
  readonly storedAt: number;
  readonly belongsAt: number;
}
export interface HeadMismatch {
  readonly treeSize: number;
  readonly onChain: string | null;
  readonly recomputed: string;
}

export interface AuditReport {
  readonly checkedAt: string;
  readonly treeSize: number;
  readonly ok: boolean;
  /** Records whose stored JSON no longer hashes to the leaf the log committed to. */
  readonly changed: ChangedRecord[];
  /** Leaf positions the log committed to that have no record any more. */
  readonly missing: number[];
  /** Records moved to another position (their JSON hashes to the leaf of a different index). */
  readonly reordered: ReorderedRecord[];
  /** Stored subtree hashes that do not follow from their children (tree storage itself altered). */
  readonly corruptNodes: string[];
  /** Anchored heads whose root, recomputed from the records, differs from the chain's. */
  readonly headMismatches: HeadMismatch[];
  readonly headsChecked: number;
}

/** Reads the root the chain holds for a tree size (null when none). */
export type ChainRootReader = (treeSize: number) => Promise<Uint8Array | null>;

const utf8 = new TextEncoder();
const CHUNK = 5_000;

/**
 * Recomputes the log from its records and checks it against what was committed. The committed
 * leaf of each position is the stored level-0 node, which every stored subtree, and through them
 * every root anchored on chain, commits to; so the audit:
 * 1. checks each stored subtree against its children, and each anchored head's root (recomputed
 *    from the records) against the chain — the trust anchor;
 * 2. compares each record's recomputed leaf with the committed leaf of its position, which names
 *    exactly the records changed, missing or moved.
 */
export async function auditLog(manager: EntityManager, treeSize: number, anchoredSizes: readonly number[], chainRoot: ChainRootReader): Promise<AuditReport> {
  const committed = new Map<number, Uint8Array>(); // level-0 node by leaf index
  const recordAt = new Map<number, { recordKey: string; recomputed: Uint8Array }>();
  const corruptNodes: string[] = [];

  for (let start = 0; start < treeSize; start += CHUNK) {
    const end = Math.min(treeSize, start + CHUNK);
    const nodes: { node_index: string; hash: Buffer }[] = await manager.query(
      `SELECT "node_index"::text, "hash" FROM "ledger"."tree_nodes" WHERE "level" = 0 AND "node_index" >= $1 AND "node_index" < $2`,
      [start, end],
    );
    for (const node of nodes) committed.set(Number(node.node_index), new Uint8Array(node.hash));
    const leaves: { leaf_index: string; record_key: string; record_json: string }[] = await manager.query(
      `SELECT "leaf_index"::text, "record_key", "record_json" FROM "ledger"."leaves" WHERE "leaf_index" >= $1 AND "leaf_index" < $2`,
      [start, end],
    );
    for (const leaf of leaves) {
      let recomputed: Uint8Array;
      try {
        // Re-canonicalise: a record edited into non-canonical JSON still hashes as JCS would.
        recomputed = leafHashOfBytes(utf8.encode(canonicalJson(JSON.parse(leaf.record_json))));
      } catch {
        recomputed = leafHashOfBytes(utf8.encode(leaf.record_json));
      }
      recordAt.set(Number(leaf.leaf_index), { recordKey: leaf.record_key, recomputed });
    }
  }

  // Stored interior nodes must follow from their children, level by level.
  const interior: { level: number; node_index: string; hash: Buffer }[] = await manager.query(
    `SELECT "level", "node_index"::text, "hash" FROM "ledger"."tree_nodes" WHERE "level" > 0 ORDER BY "level", "node_index"`,
  );
  const byKey = new Map<string, Uint8Array>([...committed].map(([index, hash]) => [nodeKey({ level: 0, index }), hash]));
  for (const node of interior) byKey.set(nodeKey({ level: node.level, index: Number(node.node_index) }), new Uint8Array(node.hash));
  for (const node of interior) {
    const index = Number(node.node_index);
    const left = byKey.get(nodeKey({ level: node.level - 1, index: 2 * index }));
    const right = byKey.get(nodeKey({ level: node.level - 1, index: 2 * index + 1 }));
    if (left === undefined || right === undefined) {
      corruptNodes.push(nodeKey({ level: node.level, index }));
      continue;
    }
    if (!hashesEqual(nodeHash(left, right), new Uint8Array(node.hash))) corruptNodes.push(nodeKey({ level: node.level, index }));
  }

  // Which committed leaf does each recomputed record hash match?
  const positionOfLeaf = new Map<string, number>([...committed].map(([index, hash]) => [toHex(hash), index]));
  const changed: ChangedRecord[] = [];
  const reordered: ReorderedRecord[] = [];
  const missing: number[] = [];
  for (let index = 0; index < treeSize; index += 1) {
    const record = recordAt.get(index);
    const leaf = committed.get(index);
    if (record === undefined) {
      missing.push(index);
      continue;
    }
    if (leaf !== undefined && hashesEqual(leaf, record.recomputed)) continue;
    const belongsAt = positionOfLeaf.get(toHex(record.recomputed));
    if (belongsAt !== undefined && belongsAt !== index) reordered.push({ recordKey: record.recordKey, storedAt: index, belongsAt });
    else changed.push({ leafIndex: index, recordKey: record.recordKey });
  }

  // Each anchored head: the root of the records as they are now, against the chain.
  const headMismatches: HeadMismatch[] = [];
  let frontier: StoredNode[] = [];
  let appended = 0;
  for (const size of [...anchoredSizes].sort((a, b) => a - b)) {
    if (size > treeSize) continue;
    const leaves: Uint8Array[] = [];
    for (; appended < size; appended += 1) leaves.push(recordAt.get(appended)?.recomputed ?? new Uint8Array(32));
    frontier = appendToFrontier(frontier, leaves).frontier;
    const recomputed = frontierRoot(frontier);
    const onChain = await chainRoot(size);
    if (onChain === null || !hashesEqual(onChain, recomputed)) {
      headMismatches.push({ treeSize: size, onChain: onChain === null ? null : toHex(onChain), recomputed: toHex(recomputed) });
    }
  }

  return {
    checkedAt: new Date().toISOString(),
    treeSize,
    ok: changed.length + missing.length + reordered.length + corruptNodes.length + headMismatches.length === 0,
    changed,
    missing,
    reordered,
    corruptNodes,
    headMismatches,
    headsChecked: anchoredSizes.filter((size) => size <= treeSize).length,
  };
}
