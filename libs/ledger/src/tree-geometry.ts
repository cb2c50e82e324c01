// Index arithmetic for RFC 9162 trees, kept apart from hashing so that storage code can plan
// reads without touching a hash. Sizes and indices are JavaScript numbers: every operation here
// is exact up to 2^53, far beyond any log this platform will hold. Bit operators (>>, &) are
// deliberately avoided because they truncate to 32 bits.

/** A half-open range of leaf indices [start, end). */
export interface LeafRange {
  readonly start: number;
  readonly end: number;
}

/**
 * The perfect subtree of 2^level leaves starting at leaf index·2^level. Level 0 is a single
 * leaf, whose stored hash is its leaf hash. Only these nodes are ever stored: they never
 * change once complete, so an append-only table can hold them.
 */
export interface NodeId {
  readonly level: number;
  readonly index: number;
}

/** The highest level a perfect subtree can have when sizes are safe integers (< 2^53). */
export const MAX_LEVEL = 52;

export function isTreeSize(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

export function assertTreeSize(value: number, name = 'treeSize'): void {
  if (!isTreeSize(value)) throw new RangeError(`${name} must be a non-negative safe integer, got ${String(value)}`);
}

export function assertNodeId(id: NodeId): void {
  if (!Number.isInteger(id.level) || id.level < 0 || id.level > MAX_LEVEL) {
    throw new RangeError(`node level must be an integer in [0, ${MAX_LEVEL}], got ${String(id.level)}`);
  }
  if (!isTreeSize(id.index) || !isTreeSize((id.index + 1) * 2 ** id.level)) {
    throw new RangeError(`node index ${String(id.index)} at level ${id.level} ends beyond the largest safe tree size`);
  }
}

/** Stable string key of a node (`"level:index"`), used for the maps that plans read from. */
export function nodeKey(id: NodeId): string {
  return `${id.level}:${id.index}`;
}

/** The leaves a node covers. */
export function leafRangeOf(id: NodeId): LeafRange {
  assertNodeId(id);
  const width = 2 ** id.level;
  return { start: id.index * width, end: (id.index + 1) * width };
}

/** The two half-size subtrees whose hashes make this node's hash: [left, right]. */
export function childrenOf(id: NodeId): [NodeId, NodeId] {
  assertNodeId(id);
  if (id.level === 0) throw new RangeError('a leaf (level 0) has no children');
  return [
    { level: id.level - 1, index: 2 * id.index },
    { level: id.level - 1, index: 2 * id.index + 1 },
  ];
}

/**
 * The interior nodes (level ≥ 1) that become complete when leaf `leafIndex` is appended, lowest
 * first, so that each one's children already exist when it is computed. The leaf itself,
 * `{ level: 0, index: leafIndex }`, is stored too; it is not listed here.
 *
 * Node {level k, index j} completes with leaf (j+1)·2^k − 1, so appending leaf i completes one
 * node per trailing zero bit of i + 1; amortised, one per append.
 */
export function nodesCompletedByAppend(leafIndex: number): NodeId[] {
  assertTreeSize(leafIndex, 'leafIndex');
  const size = leafIndex + 1;
  assertTreeSize(size, 'leafIndex + 1');
  const completed: NodeId[] = [];
  for (let level = 1; size % 2 ** level === 0; level++) {
    completed.push({ level, index: size / 2 ** level - 1 });
  }
  return completed;
}

/**
 * The maximal aligned perfect subtrees that exactly cover [start, end), left to right. For
 * start = 0 they are the binary digits of `end`, largest first (the "compact range" of a log of
 * that size); in general sizes first grow, then shrink. At most 2·log2(end − start) + 2 nodes.
 */
export function perfectDecomposition(start: number, end: number): NodeId[] {
  assertTreeSize(start, 'start');
  assertTreeSize(end, 'end');
  if (start > end) throw new RangeError(`start (${start}) must not exceed end (${end})`);
  const nodes: NodeId[] = [];
  let cursor = start;
  while (cursor < end) {
    let level = 0;
    // Grow while the doubled subtree stays aligned at `cursor` and inside the range.
    while (level < MAX_LEVEL && cursor % 2 ** (level + 1) === 0 && cursor + 2 ** (level + 1) <= end) level++;
    nodes.push({ level, index: cursor / 2 ** level });
    cursor += 2 ** level;
  }
  return nodes;
}

/** RFC 9162 §2.1.1's k: the largest power of two strictly smaller than n (n ≥ 2). */
export function largestPowerOfTwoBelow(n: number): number {
  if (!isTreeSize(n) || n < 2) throw new RangeError(`n must be an integer ≥ 2, got ${String(n)}`);
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

export function isPowerOfTwo(n: number): boolean {
  return isTreeSize(n) && n > 0 && 2 ** Math.round(Math.log2(n)) === n;
}

/**
 * The leaf ranges whose subtree hashes form the RFC 9162 §2.1.3.1 inclusion path of leaf
 * `index` in a tree of `treeSize` leaves, in path order (nearest the leaf first).
 */
export function inclusionPathRanges(index: number, treeSize: number): LeafRange[] {
  assertTreeSize(treeSize);
  assertTreeSize(index, 'index');
  if (index >= treeSize) throw new RangeError(`index ${index} is not below treeSize ${treeSize}`);
  const rootwardFirst: LeafRange[] = [];
  let start = 0;
  let end = treeSize;
  while (end - start > 1) {
    const split = start + largestPowerOfTwoBelow(end - start);
    if (index < split) {
      rootwardFirst.push({ start: split, end });
      end = split;
    } else {
      rootwardFirst.push({ start, end: split });
      start = split;
    }
  }
  return rootwardFirst.reverse();
}

/**
 * The leaf ranges whose subtree hashes form the RFC 9162 §2.1.4.1 consistency proof between
 * sizes `size1` and `size2` (0 < size1 ≤ size2), in proof order. Equal sizes need no proof.
 */
export function consistencyProofRanges(size1: number, size2: number): LeafRange[] {
  assertTreeSize(size1, 'size1');
  assertTreeSize(size2, 'size2');
  if (size1 === 0) throw new RangeError('a consistency proof from the empty tree is meaningless (RFC 9162 requires 0 < size1)');
  if (size1 > size2) throw new RangeError(`size1 (${size1}) must not exceed size2 (${size2})`);
  // SUBPROOF(m, D[start:end], b), unrolled: each step appends one sibling, which the recursion
  // emits after the deeper part, so siblings are collected root-first and reversed at the end.
  const rootwardFirst: LeafRange[] = [];
  let start = 0;
  let end = size2;
  let m = size1;
  let isOriginalTree = true;
  while (m !== end - start) {
    const k = largestPowerOfTwoBelow(end - start);
    if (m <= k) {
      rootwardFirst.push({ start: start + k, end });
      end = start + k;
    } else {
      rootwardFirst.push({ start, end: start + k });
      start += k;
      m -= k;
      isOriginalTree = false;
    }
  }
  const proof = rootwardFirst.reverse();
  // SUBPROOF(m, D[m], false) = {MTH(D[m])}: the old tree's last subtree, unless the verifier
  // already holds it as the old root (b = true).
  if (!isOriginalTree) proof.unshift({ start, end });
  return proof;
}
