import { inclusionProof, leafHash, nodeKey, readRootHash, rootHash, type StoredNode, verifyInclusion } from '@traceport/ledger';
import { describe, expect, it } from 'vitest';
import { appendChunk, BLOCK_SIZE, chunkFrontierIds, serialLeafHash, serialProofPlan } from './serial-tree.js';

const GTIN = '09506000134352';
const serialOf = (index: number) => `S${index.toString(36).padStart(8, '0')}`;

/** Issues `size` leaves chunk by chunk, as the job does, keeping what it would store. */
function issue(size: number, chunkSize: number) {
  const leaves = Array.from({ length: size }, (_, index) => serialLeafHash(GTIN, serialOf(index)));
  const stored = new Map<string, Uint8Array>();
  for (let start = 0; start < size; start += chunkSize) {
    const frontier: StoredNode[] = chunkFrontierIds(start).map((id) => ({ id, hash: stored.get(nodeKey(id))! }));
    for (const node of appendChunk(frontier, start, leaves.slice(start, start + chunkSize), size)) {
      expect(stored.has(nodeKey(node.id))).toBe(false);
      stored.set(nodeKey(node.id), node.hash);
    }
  }
  return { leaves, stored };
}

function proofOf(index: number, size: number, issued: ReturnType<typeof issue>) {
  const plan = serialProofPlan(index, size);
  const read = new Map(plan.storedNodes.map((id) => [nodeKey(id), issued.stored.get(nodeKey(id))!]));
  for (const id of plan.storedNodes) expect(issued.stored.has(nodeKey(id)), `node ${nodeKey(id)} is stored`).toBe(true);
  expect(plan.block.end - plan.block.start).toBeLessThanOrEqual(BLOCK_SIZE);
  return plan.assemble(read, issued.leaves.slice(plan.block.start, plan.block.end));
}

describe('the serial tree', () => {
  it('hashes a leaf as leafHash of the JCS of {gtin, serial}, fast path or not', () => {
    for (const serial of ['ABC123', 'a"b\\c', 'sérié', '']) {
      expect(Buffer.from(serialLeafHash(GTIN, serial)).toString('hex')).toBe(Buffer.from(leafHash({ serial, gtin: GTIN })).toString('hex'));
    }
  });

  const sizes = [1, 2, 3, 7, 1023, 1024, 1025, 2047, 2048, 2049, 3000, 4096, 5000, 9 * 1024 + 17];
  for (const chunkSize of [1024, 3 * 1024]) {
    it(`stores enough to fold the root and prove every position (chunks of ${chunkSize})`, async () => {
      for (const size of sizes) {
        const issued = issue(size, chunkSize);
        const root = rootHash(issued.leaves);
        const folded = await readRootHash(size, (ids) => Promise.resolve(new Map(ids.map((id) => [nodeKey(id), issued.stored.get(nodeKey(id))!]))));
        expect(Buffer.from(folded).equals(Buffer.from(root)), `root of ${size}`).toBe(true);
        const middle = Math.floor(size / 2);
        const random = Array.from({ length: 5 }, () => Math.floor(Math.random() * size));
        for (const index of new Set([0, size - 1, middle, BLOCK_SIZE - 1, BLOCK_SIZE, ...random].filter((candidate) => candidate < size))) {
          const path = proofOf(index, size, issued);
          expect(path.map((hash) => Buffer.from(hash).toString('hex'))).toEqual(inclusionProof(index, issued.leaves).map((hash) => Buffer.from(hash).toString('hex')));
          expect(verifyInclusion({ leafIndex: index, treeSize: size, leafHash: issued.leaves[index]!, inclusionPath: path, rootHash: root })).toEqual({ valid: true });
        }
      }
    });
  }

  it('keeps about two stored nodes per block', () => {
    const size = 64 * BLOCK_SIZE + 300;
    const issued = issue(size, 8 * BLOCK_SIZE);
    expect(issued.stored.size).toBeLessThan(2 * (size / BLOCK_SIZE) + 20);
  });

  it('refuses a chunk that does not start or end on a block boundary', () => {
    expect(() => chunkFrontierIds(1000)).toThrow(RangeError);
    const leaves = Array.from({ length: 1000 }, (_, index) => serialLeafHash(GTIN, serialOf(index)));
    expect(() => appendChunk([], 0, leaves, 5000)).toThrow(/block boundary/);
  });
});
