import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  childrenOf,
  consistencyProofRanges,
  inclusionPathRanges,
  isPowerOfTwo,
  largestPowerOfTwoBelow,
  leafRangeOf,
  type NodeId,
  nodeKey,
  nodesCompletedByAppend,
  perfectDecomposition,
} from './tree-geometry.js';

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

function completeNodesAt(treeSize: number): Set<string> {
  const keys = new Set<string>();
  for (let level = 0; 2 ** level <= treeSize; level++) {
    for (let index = 0; (index + 1) * 2 ** level <= treeSize; index++) keys.add(nodeKey({ level, index }));
  }
  return keys;
}

function popcount(n: number): number {
  let count = 0;
  for (; n > 0; n = Math.floor(n / 2)) count += n % 2;
  return count;
}

describe('NodeId', () => {
  it('names a perfect subtree of 2^level leaves starting at index·2^level', () => {
    expect(leafRangeOf({ level: 0, index: 5 })).toEqual({ start: 5, end: 6 });
    expect(leafRangeOf({ level: 3, index: 2 })).toEqual({ start: 16, end: 24 });
    expect(nodeKey({ level: 3, index: 2 })).toBe('3:2');
  });

  it('has two children one level down, and leaves have none', () => {
    expect(childrenOf({ level: 3, index: 2 })).toEqual([
      { level: 2, index: 4 },
      { level: 2, index: 5 },
    ]);
    expect(() => childrenOf({ level: 0, index: 1 })).toThrow(/no children/);
  });

  it('rejects ids that are not whole, non-negative or within a safe tree size', () => {
    for (const bad of [{ level: -1, index: 0 }, { level: 1.5, index: 0 }, { level: 0, index: -1 }, { level: 0, index: 0.5 }, { level: 53, index: 0 }, { level: 52, index: 1 }]) {
      expect(() => leafRangeOf(bad)).toThrow(RangeError);
    }
    expect(leafRangeOf({ level: 52, index: 0 })).toEqual({ start: 0, end: 2 ** 52 });
    expect(leafRangeOf({ level: 0, index: MAX_SAFE - 1 })).toEqual({ start: MAX_SAFE - 1, end: MAX_SAFE });
  });
});

describe('nodesCompletedByAppend', () => {
  it('lists the subtrees that leaf i completes, lowest first', () => {
    expect(nodesCompletedByAppend(0)).toEqual([]);
    expect(nodesCompletedByAppend(1)).toEqual([{ level: 1, index: 0 }]);
    expect(nodesCompletedByAppend(5)).toEqual([{ level: 1, index: 2 }]);
    expect(nodesCompletedByAppend(6)).toEqual([]);
    expect(nodesCompletedByAppend(7)).toEqual([
      { level: 1, index: 3 },
      { level: 2, index: 1 },
      { level: 3, index: 0 },
    ]);
    expect(nodesCompletedByAppend(2 ** 40 - 1)).toHaveLength(40);
  });

  it('over a whole log, completes every perfect subtree exactly once, after its children', () => {
    const seen = new Set<string>();
    for (let leaf = 0; leaf < 300; leaf++) {
      seen.add(nodeKey({ level: 0, index: leaf }));
      for (const node of nodesCompletedByAppend(leaf)) {
        expect(leafRangeOf(node).end).toBe(leaf + 1);
        for (const child of childrenOf(node)) expect(seen.has(nodeKey(child))).toBe(true);
        expect(seen.has(nodeKey(node))).toBe(false);
        seen.add(nodeKey(node));
      }
      expect(seen).toEqual(completeNodesAt(leaf + 1));
    }
  });

  it('refuses invalid leaf indices', () => {
    expect(() => nodesCompletedByAppend(-1)).toThrow(RangeError);
    expect(() => nodesCompletedByAppend(1.5)).toThrow(RangeError);
    expect(() => nodesCompletedByAppend(MAX_SAFE)).toThrow(RangeError);
  });
});

describe('perfectDecomposition', () => {
  it('covers [start, end) with maximal aligned perfect subtrees', () => {
    expect(perfectDecomposition(0, 0)).toEqual([]);
    expect(perfectDecomposition(0, 8)).toEqual([{ level: 3, index: 0 }]);
    expect(perfectDecomposition(0, 7)).toEqual([
      { level: 2, index: 0 },
      { level: 1, index: 2 },
      { level: 0, index: 6 },
    ]);
    expect(perfectDecomposition(3, 13)).toEqual([
      { level: 0, index: 3 },
      { level: 2, index: 1 },
      { level: 2, index: 2 },
      { level: 0, index: 12 },
    ]);
    expect(perfectDecomposition(0, MAX_SAFE)).toHaveLength(53);
  });

  it('is contiguous, aligned, maximal and O(log n) for any range', () => {
    fc.assert(
      fc.property(fc.nat({ max: MAX_SAFE }), fc.nat({ max: MAX_SAFE }), (a, b) => {
        const [start, end] = a <= b ? [a, b] : [b, a];
        const nodes = perfectDecomposition(start, end);
        let cursor = start;
        for (const node of nodes) {
          const range = leafRangeOf(node);
          expect(range.start).toBe(cursor);
          cursor = range.end;
          // Maximal: the parent subtree does not fit in the range.
          const parentStart = Math.floor(node.index / 2) * 2 ** (node.level + 1);
          expect(parentStart < start || parentStart + 2 ** (node.level + 1) > end).toBe(true);
        }
        expect(cursor).toBe(end);
        expect(nodes.length).toBeLessThanOrEqual(2 * Math.log2(Math.max(end - start, 1)) + 2);
        if (start === 0) expect(nodes.length).toBe(popcount(end));
      }),
    );
  });

  it('refuses reversed or invalid ranges', () => {
    expect(() => perfectDecomposition(5, 4)).toThrow(/must not exceed/);
    expect(() => perfectDecomposition(0, MAX_SAFE + 1)).toThrow(RangeError);
  });
});

describe('power-of-two helpers', () => {
  it('find RFC 9162 split points', () => {
    expect([2, 3, 4, 5, 8, 9, MAX_SAFE].map(largestPowerOfTwoBelow)).toEqual([1, 2, 2, 4, 4, 8, 2 ** 52]);
    expect(() => largestPowerOfTwoBelow(1)).toThrow(RangeError);
    expect([0, 1, 2, 3, 4, 6, 2 ** 52, 2 ** 52 + 2].map(isPowerOfTwo)).toEqual([false, true, true, false, true, false, true, false]);
  });
});

describe('proof shapes', () => {
  it('stay within the tree at the given size', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_SAFE }), fc.double({ min: 0, max: 1, noNaN: true }), (size, fraction) => {
        const point = Math.min(size - 1, Math.floor(fraction * size));
        for (const range of [...inclusionPathRanges(point, size), ...consistencyProofRanges(point + 1, size)]) {
          expect(range.start).toBeLessThan(range.end);
          expect(range.end).toBeLessThanOrEqual(size);
        }
      }),
    );
  });

  it('refuse positions outside the tree', () => {
    expect(() => inclusionPathRanges(3, 3)).toThrow(RangeError);
    expect(() => consistencyProofRanges(0, 3)).toThrow(/empty tree/);
    expect(() => consistencyProofRanges(4, 3)).toThrow(/must not exceed/);
    expect(consistencyProofRanges(3, 3)).toEqual([]);
  });

  it('uses node ids that are plain data', () => {
    const ids: NodeId[] = perfectDecomposition(0, 5);
    expect(JSON.parse(JSON.stringify(ids))).toEqual(ids);
  });
});
