import { describe, expect, it } from 'vitest';
import * as ledger from './index.js';

// The life of a record through the public API only: hash it, append it, serve its proofs
// from stored nodes, and check them the way a third-party verifier would, from hex.
describe('@traceport/ledger public API', () => {
  it('anchors records in one log and proves inclusion and consistency from stored nodes', async () => {
    const records = Array.from({ length: 21 }, (_, i) => ({ type: 'trace-event', seq: i, where: i % 2 ? '保税仓' : 'Ningbo' }));
    const table = new Map<string, Uint8Array>();
    let frontier: ledger.StoredNode[] = [];
    const heads: { size: number; root: string }[] = [];
    for (const batch of [records.slice(0, 13), records.slice(13)]) {
      const appended = ledger.appendToFrontier(frontier, batch.map((record) => ledger.leafHash(record)));
      for (const node of appended.stored) table.set(ledger.nodeKey(node.id), node.hash);
      frontier = appended.frontier;
      heads.push({ size: ledger.frontierSize(frontier), root: ledger.toHex(ledger.frontierRoot(frontier)) });
    }
    const readNodes: ledger.NodeReader = async (ids) => new Map(ids.map((id) => [ledger.nodeKey(id), table.get(ledger.nodeKey(id)) ?? new Uint8Array(0)]));

    const [old, head] = heads as [(typeof heads)[0], (typeof heads)[0]];
    expect(ledger.toHex(await ledger.readRootHash(head.size, readNodes))).toBe(head.root);

    // A proof as served (BRIEF §5 names), then verified from its JSON alone.
    const served = JSON.parse(
      JSON.stringify({
        leaf_index: 6,
        tree_size: head.size,
        inclusion_path: (await ledger.readInclusionProof(6, head.size, readNodes)).map(ledger.toHex),
        root_hash: head.root,
      }),
    ) as { leaf_index: number; tree_size: number; inclusion_path: string[]; root_hash: string };
    const verdict = ledger.verifyInclusion({
      leafIndex: served.leaf_index,
      treeSize: served.tree_size,
      leafHash: ledger.leafHash(records[6]),
      inclusionPath: served.inclusion_path.map((hex) => ledger.fromHex(hex, ledger.HASH_SIZE)),
      rootHash: ledger.fromHex(served.root_hash, ledger.HASH_SIZE),
    });
    expect(verdict).toEqual({ valid: true });

    // A changed record no longer matches its leaf.
    const tampered = ledger.verifyInclusion({
      leafIndex: 6,
      treeSize: head.size,
      leafHash: ledger.leafHash({ ...records[6], where: 'elsewhere' }),
      inclusionPath: served.inclusion_path.map((hex) => ledger.fromHex(hex)),
      rootHash: ledger.fromHex(head.root),
    });
    expect(tampered).toMatchObject({ valid: false, reason: 'root-mismatch' });

    // Successive heads are consistent: the log only grew.
    const proof = await ledger.readConsistencyProof(old.size, head.size, readNodes);
    expect(ledger.verifyConsistency({ size1: old.size, size2: head.size, root1: ledger.fromHex(old.root), root2: ledger.fromHex(head.root), proof })).toEqual({ valid: true });
    expect(proof).toEqual(ledger.consistencyProof(old.size, records.map((record) => ledger.leafHash(record))));
  });
});
