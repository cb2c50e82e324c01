// `./traceport bench ledger`: the ledger's two hot paths, side by side with merkletreejs (the most
// used Merkle tree on npm) and with the textbook recomputation. merkletreejs builds Bitcoin-style
// trees, not RFC 9162 ones: what is compared is the work each does for the same job.
// Runs on the built libs (Node type stripping), like the rest of ./traceport.
import {
  appendToFrontier,
  frontierRoot,
  inclusionProof,
  inclusionProofPlan,
  leafHash,
  nodeKey,
  type StoredNode,
} from '@traceport/ledger';
import { MerkleTree } from 'merkletreejs';
import { createHash } from 'node:crypto';
import { Bench } from 'tinybench';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest();

async function inclusionProofs(): Promise<Bench> {
  const size = 100_000;
  const leaves = Array.from({ length: size }, (_, n) => leafHash({ id: `item-${n}`, version: 1, lot: `L${n % 97}` }));
  // What the ledger stores: every perfect subtree an append completes, keyed by node id.
  const store = new Map<string, Uint8Array>();
  let frontier: StoredNode[] = [];
  for (const leaf of leaves) {
    const appended = appendToFrontier(frontier, [leaf]);
    frontier = appended.frontier;
    for (const node of appended.stored) store.set(nodeKey(node.id), node.hash);
  }
  const peer = new MerkleTree(leaves.map((leaf) => Buffer.from(leaf)), sha256);
  let probe = 0;
  const next = () => (probe = (probe + 7919) % size);

  const bench = new Bench({ name: `inclusion proof for one record in a log of ${size.toLocaleString('en')}`, time: 1_000 });
  bench.add('traceport: assembled from stored subtrees, O(log n) node reads', () => {
    inclusionProofPlan(next(), size).assemble(store);
  });
  bench.add('merkletreejs 0.6.0: getProof(leaf, index) on a tree held in memory', () => {
    const index = next();
    peer.getProof(Buffer.from(leaves[index]!), index);
  });
  bench.add('textbook: RFC 9162 PATH recomputed from all leaves, O(n)', () => {
    inclusionProof(next(), leaves);
  });
  await bench.run();
  return bench;
}

async function appends(): Promise<Bench> {
  const size = 10_000;
  const leaves = Array.from({ length: size }, (_, n) => Buffer.from(leafHash({ id: `item-${n}`, version: 1 })));
  let frontier: StoredNode[] = [];
  for (const leaf of leaves) frontier = appendToFrontier(frontier, [leaf]).frontier;
  const peer = new MerkleTree(leaves, sha256);
  let n = 0;

  const bench = new Bench({ name: `append one record and compute the new root, log of ${size.toLocaleString('en')}`, time: 1_000 });
  bench.add('traceport: JCS + leaf hash + frontier append, O(log n)', () => {
    frontier = appendToFrontier(frontier, [leafHash({ id: `new-${n++}`, version: 1 })]).frontier;
    frontierRoot(frontier);
  });
  bench.add('merkletreejs 0.6.0: addLeaf + getRoot (rebuilds its layers)', () => {
    peer.addLeaf(Buffer.from(leafHash({ id: `new-${n++}`, version: 1 })));
    peer.getRoot();
  });
  await bench.run();
  return bench;
}

export const benchmarks = { title: 'Ledger: proofs and appends', run: async () => [await inclusionProofs(), await appends()] };
