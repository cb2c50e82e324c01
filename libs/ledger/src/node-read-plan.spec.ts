import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { leafHashesFor, nodeTableFor, recordingReader } from '../test/merkle-fixtures.js';
import { emptyRoot } from './merkle-hash.js';
import {
  consistencyProofPlan,
  inclusionProofPlan,
  type NodeReadPlan,
  readConsistencyProof,
  readInclusionProof,
  readRootHash,
  rootPlan,
} from './node-read-plan.js';
import { consistencyProof, inclusionProof, rootHash } from './reference-tree.js';
import { consistencyProofRanges, inclusionPathRanges, leafRangeOf, nodeKey } from './tree-geometry.js';

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const readBound = (treeSize: number) => 2 * Math.log2(treeSize) + 2;

// A plan for a tree of `treeSize` leaves may only read nodes that are complete at that size
// (a node completed later does not exist yet when that size is served), each at most once.
function expectReadsOnlyCompleteNodes(plan: NodeReadPlan<unknown>, treeSize: number): void {
  for (const node of plan.nodes) expect(leafRangeOf(node).end).toBeLessThanOrEqual(treeSize);
  expect(new Set(plan.nodes.map(nodeKey)).size).toBe(plan.nodes.length);
  expect(plan.nodes.length).toBeLessThanOrEqual(readBound(Math.max(treeSize, 1)));
}

const MAX_EXHAUSTIVE = 70;
const leaves = leafHashesFor(MAX_EXHAUSTIVE);
const table = nodeTableFor(leaves);

describe('plans over stored perfect subtrees equal the reference tree', () => {
  it(`roots, for every size 0..${MAX_EXHAUSTIVE}`, () => {
    for (let size = 0; size <= MAX_EXHAUSTIVE; size++) {
      const plan = rootPlan(size);
      expectReadsOnlyCompleteNodes(plan, size);
      expect(plan.assemble(table)).toEqual(rootHash(leaves.slice(0, size)));
    }
  });

  it(`inclusion proofs, for every index of every size 1..${MAX_EXHAUSTIVE}`, () => {
    for (let size = 1; size <= MAX_EXHAUSTIVE; size++) {
      for (let index = 0; index < size; index++) {
        const plan = inclusionProofPlan(index, size);
        expectReadsOnlyCompleteNodes(plan, size);
        expect(plan.assemble(table)).toEqual(inclusionProof(index, leaves.slice(0, size)));
      }
    }
  });

  it(`consistency proofs, for every pair 1 ≤ size1 ≤ size2 ≤ ${MAX_EXHAUSTIVE}`, () => {
    for (let size2 = 1; size2 <= MAX_EXHAUSTIVE; size2++) {
      for (let size1 = 1; size1 <= size2; size1++) {
        const plan = consistencyProofPlan(size1, size2);
        expectReadsOnlyCompleteNodes(plan, size2);
        expect(plan.assemble(table)).toEqual(consistencyProof(size1, leaves.slice(0, size2)));
      }
    }
  });

  it('for random larger trees (fast-check)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 71, max: 3000 }), fc.nat(), fc.nat(), fc.nat(), (size, seed, a, b) => {
        const treeLeaves = leafHashesFor(size, seed);
        const treeTable = nodeTableFor(treeLeaves);
        const index = a % size;
        const size1 = 1 + (b % size);
        expect(rootPlan(size).assemble(treeTable)).toEqual(rootHash(treeLeaves));
        expect(inclusionProofPlan(index, size).assemble(treeTable)).toEqual(inclusionProof(index, treeLeaves));
        expect(consistencyProofPlan(size1, size).assemble(treeTable)).toEqual(consistencyProof(size1, treeLeaves));
      }),
      { numRuns: 40 },
    );
  });
});

describe('plan read counts', () => {
  it('stay within 2·log2(n) + 2 distinct complete nodes for any size up to 2^53 − 1', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_SAFE }), fc.double({ min: 0, max: 1, noNaN: true }), (size, pick) => {
        const point = Math.min(size - 1, Math.floor(pick * size));
        expectReadsOnlyCompleteNodes(rootPlan(size), size);
        expectReadsOnlyCompleteNodes(inclusionProofPlan(point, size), size);
        expectReadsOnlyCompleteNodes(consistencyProofPlan(point + 1, size), size);
      }),
      { numRuns: 2000 },
    );
  });

  it('read at most one node per proof hash beyond the compact range rootPlan reads', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_SAFE }), fc.double({ min: 0, max: 1, noNaN: true }), (size, pick) => {
        const point = Math.min(size - 1, Math.floor(pick * size));
        const frontier = new Set(rootPlan(size).nodes.map(nodeKey));
        const beyondFrontier = (plan: NodeReadPlan<unknown>) => plan.nodes.filter((id) => !frontier.has(nodeKey(id))).length;
        expect(beyondFrontier(inclusionProofPlan(point, size))).toBeLessThanOrEqual(inclusionPathRanges(point, size).length);
        expect(beyondFrontier(consistencyProofPlan(point + 1, size))).toBeLessThanOrEqual(consistencyProofRanges(point + 1, size).length);
      }),
      { numRuns: 1000 },
    );
  });

  it('need no reads for trivial proofs', () => {
    expect(rootPlan(0).nodes).toEqual([]);
    expect(rootPlan(0).assemble(new Map())).toEqual(emptyRoot);
    expect(inclusionProofPlan(0, 1).nodes).toEqual([]);
    expect(consistencyProofPlan(9, 9).nodes).toEqual([]);
  });

  it('read one node for the root of a power-of-two tree', () => {
    expect(rootPlan(64).nodes).toEqual([{ level: 6, index: 0 }]);
  });
});

describe('assemble', () => {
  it('names a node that was not read', () => {
    const partial = new Map(table);
    partial.delete('2:1');
    expect(() => inclusionProofPlan(0, 16).assemble(partial)).toThrow(/stored node 2:1 .* was not read/);
  });

  it('refuses a stored hash that is not 32 bytes', () => {
    const corrupt = new Map(table);
    corrupt.set('3:1', new Uint8Array(31));
    expect(() => inclusionProofPlan(0, 16).assemble(corrupt)).toThrow(/3:1 holds 31 bytes/);
  });

  it('accepts a map holding more than it needs, so plans can share one read', () => {
    const root = rootPlan(45);
    const inclusion = inclusionProofPlan(17, 45);
    const batch = [...root.nodes, ...inclusion.nodes];
    const hashes = new Map(batch.map((id) => [nodeKey(id), table.get(nodeKey(id))!]));
    expect(root.assemble(hashes)).toEqual(rootHash(leaves.slice(0, 45)));
    expect(inclusion.assemble(hashes)).toEqual(inclusionProof(17, leaves.slice(0, 45)));
  });
});

describe('async readers', () => {
  it('serve each proof with exactly one batched read', async () => {
    const { read, batches } = recordingReader(table);
    expect(await readRootHash(45, read)).toEqual(rootHash(leaves.slice(0, 45)));
    expect(await readInclusionProof(17, 45, read)).toEqual(inclusionProof(17, leaves.slice(0, 45)));
    expect(await readConsistencyProof(13, 45, read)).toEqual(consistencyProof(13, leaves.slice(0, 45)));
    expect(batches).toHaveLength(3);
    expect(batches[1]).toEqual(inclusionProofPlan(17, 45).nodes);
  });

  it('skip the read when nothing is needed', async () => {
    const { read, batches } = recordingReader(table);
    expect(await readRootHash(0, read)).toEqual(emptyRoot);
    expect(await readInclusionProof(0, 1, read)).toEqual([]);
    expect(await readConsistencyProof(7, 7, read)).toEqual([]);
    expect(batches).toHaveLength(0);
  });

  it('report a store that misses a node', async () => {
    const { read } = recordingReader(new Map());
    await expect(readInclusionProof(3, 10, read)).rejects.toThrow(/was not read/);
  });

  it('refuse impossible requests before reading', async () => {
    const { read, batches } = recordingReader(table);
    await expect(readInclusionProof(10, 10, read)).rejects.toThrow(RangeError);
    await expect(readConsistencyProof(0, 10, read)).rejects.toThrow(/empty tree/);
    await expect(readConsistencyProof(11, 10, read)).rejects.toThrow(RangeError);
    expect(batches).toHaveLength(0);
  });
});
