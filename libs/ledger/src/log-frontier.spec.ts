import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { leafHashesFor, nodeTableFor } from '../test/merkle-fixtures.js';
import { appendToFrontier, frontierRoot, frontierSize, type StoredNode } from './log-frontier.js';
import { emptyRoot } from './merkle-hash.js';
import { rootPlan } from './node-read-plan.js';
import { rootHash } from './reference-tree.js';
import { nodeKey, nodesCompletedByAppend } from './tree-geometry.js';

describe('log frontier', () => {
  it('starts empty', () => {
    expect(frontierSize([])).toBe(0);
    expect(frontierRoot([])).toEqual(emptyRoot);
  });

  it('produces every stored node once, children first, and the right root, in any batching', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 12 }), fc.nat(), (batchSizes, seed) => {
        const total = batchSizes.reduce((sum, n) => sum + n, 0);
        const leaves = leafHashesFor(total, seed);
        const table = nodeTableFor(leaves);
        let frontier: StoredNode[] = [];
        const stored: StoredNode[] = [];
        let offset = 0;
        for (const batch of batchSizes) {
          const result = appendToFrontier(frontier, leaves.slice(offset, offset + batch));
          frontier = result.frontier;
          stored.push(...result.stored);
          offset += batch;
          expect(frontierSize(frontier)).toBe(offset);
          expect(frontierRoot(frontier)).toEqual(rootHash(leaves.slice(0, offset)));
          // The frontier is what rootPlan reads: a frontier can be loaded from the store.
          expect(frontier.map((n) => n.id)).toEqual(rootPlan(offset).nodes);
        }
        expect(new Map(stored.map((n) => [nodeKey(n.id), n.hash]))).toEqual(table);
        expect(stored).toHaveLength(table.size);
        // Order: each leaf, then the nodes it completes, lowest first (nodesCompletedByAppend).
        const expectedOrder = leaves.flatMap((_, i) => [nodeKey({ level: 0, index: i }), ...nodesCompletedByAppend(i).map(nodeKey)]);
        expect(stored.map((n) => nodeKey(n.id))).toEqual(expectedOrder);
      }),
      { numRuns: 60 },
    );
  });

  it('does not modify the frontier it is given', () => {
    const first = appendToFrontier([], leafHashesFor(3));
    const before = [...first.frontier];
    appendToFrontier(first.frontier, leafHashesFor(1, 9));
    expect(first.frontier).toEqual(before);
  });

  it('refuses a frontier that is not a compact range from leaf 0, or a bad leaf hash', () => {
    const [leaf] = leafHashesFor(1);
    expect(() => frontierSize([{ id: { level: 0, index: 1 }, hash: leaf! }])).toThrow(/not a log frontier/);
    expect(() => frontierSize([{ id: { level: 0, index: 0 }, hash: leaf! }, { id: { level: 1, index: 1 }, hash: leaf! }])).toThrow(/not a log frontier/);
    expect(() => appendToFrontier([], [new Uint8Array(3)])).toThrow(/3 bytes/);
  });
});
