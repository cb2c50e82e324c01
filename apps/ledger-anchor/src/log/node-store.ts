import { nodeKey, type NodeHashes, type NodeId, type StoredNode } from '@traceport/ledger';
import { copyRows } from '@traceport/database';
import type { EntityManager } from 'typeorm';

/** Reads stored subtree hashes in one round trip; a missing node is a corrupted log, not a miss. */
export async function readNodes(manager: EntityManager, ids: readonly NodeId[]): Promise<NodeHashes> {
  if (ids.length === 0) return new Map();
  const rows: { level: number; node_index: string; hash: Buffer }[] = await manager.query(
    `SELECT n."level", n."node_index"::text, n."hash" FROM "ledger"."tree_nodes" n
     JOIN unnest($1::smallint[], $2::bigint[]) AS wanted("level", "node_index")
       ON n."level" = wanted."level" AND n."node_index" = wanted."node_index"`,
    [ids.map((id) => id.level), ids.map((id) => id.index)],
  );
  const found = new Map<string, Uint8Array>(
    rows.map((row) => [nodeKey({ level: row.level, index: Number(row.node_index) }), new Uint8Array(row.hash)]),
  );
  const missing = ids.filter((id) => !found.has(nodeKey(id)));
  if (missing.length > 0) throw new Error(`log storage is missing subtree nodes ${missing.map(nodeKey).join(', ')}`);
  return found;
}

export async function writeNodes(manager: EntityManager, nodes: readonly StoredNode[]): Promise<void> {
  await copyRows(
    manager,
    '"ledger"."tree_nodes"',
    ['level', 'node_index', 'hash'],
    nodes.map((node) => [node.id.level, node.id.index, node.hash]),
  );
}
