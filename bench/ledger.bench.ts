// `./traceport bench ledger`: the ledger's hot paths side by side with merkletreejs (the most used
// Merkle tree on npm) and @openzeppelin/merkle-tree, all fed the same 1,000,000 leaf hashes in one
// run. The peers build other trees (no RFC 9162 domain separation; OpenZeppelin also sorts leaves
// and pairs, with keccak256), so their figures are a baseline for the same job, not a correctness
// reference; Traceport's own results are checked against each other and against verifyInclusion.
// Runs on the built libs (Node type stripping), like the rest of ./traceport.
import {
  appendToFrontier,
  frontierRoot,
  hashesEqual,
  inclusionProofPlan,
  leafHash,
  type NodeHashes,
  nodeHash,
  nodeKey,
  perfectDecomposition,
  type StoredNode,
  toHex,
  verifyInclusion,
} from '@traceport/ledger';
import { SimpleMerkleTree } from '@openzeppelin/merkle-tree';
import { MerkleTree } from 'merkletreejs';
import { hash } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { Bench } from 'tinybench';

/** What bench-command renders besides tinybench results: a table this module timed itself. */
interface Table {
  readonly name: string;
  readonly header: string[];
  readonly rows: string[][];
  readonly notes?: string[];
}

const LEAVES = 1_000_000;
// Building a million-leaf tree is one operation of seconds, so tinybench's many-iterations
// statistics do not fit: each contender is timed by hand for a few whole repetitions.
const SAMPLES = 3;
// OpenZeppelin takes over 100 s and ~3 GB to build this tree and ~0.4 ms per proof (it checks
// every proof it returns), so it is built once and proves an evenly spread subset of leaves.
const OPENZEPPELIN_PROOFS = 10_000;

const fmt = (value: number, digits = 2) => value.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const count = (value: number) => Math.round(value).toLocaleString('en');
const seconds = (ms: number) => fmt(ms / 1000, ms < 10_000 ? 3 : 1);
// Two significant digits for the peers that are orders of magnitude behind.
const times = (ratio: number) => `${ratio >= 0.1 ? fmt(ratio) : ratio.toPrecision(2)}×`;
const progress = (message: string) => process.stderr.write(`  ledger bench: ${message}\n`);

// The native one-shot SHA-256, the fastest hash the peer can be given.
const sha256 = (data: Buffer) => hash('sha256', data, 'buffer');
// merkletreejs wants Buffers: zero-copy views, made once before any timing.
const bufferView = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

interface Measurement {
  readonly name: string;
  /** Wall-clock milliseconds of each repetition. */
  readonly ms: number[];
  /** Work items per repetition (leaves ingested, proofs produced). */
  readonly items: number;
  /** For contenders that time only part of the job: what they were run on. */
  readonly scope?: string;
}

/** Runs `job` `samples` times; returns the timings and the last result (kept for later steps). */
function timed<T>(name: string, samples: number, job: () => T): { ms: number[]; result: T } {
  const ms: number[] = [];
  let result: T | undefined;
  for (let sample = 1; sample <= samples; sample++) {
    progress(`${name} (${sample}/${samples})`);
    result = undefined; // drop the previous repetition's tree before building the next
    const start = performance.now();
    result = job();
    ms.push(performance.now() - start);
  }
  return { ms, result: result as T };
}

const mean = (ms: number[]) => ms.reduce((sum, value) => sum + value, 0) / ms.length;

/** Rows of contender, samples, mean s, min s, rate, and speed relative to `baseline`. */
function rows(measurements: Measurement[], baseline: Measurement): string[][] {
  const rate = (m: Measurement) => m.items / (mean(m.ms) / 1000);
  return measurements.map((m) => [
    m.scope === undefined ? m.name : `${m.name} (${m.scope})`,
    String(m.ms.length),
    seconds(mean(m.ms)),
    seconds(Math.min(...m.ms)),
    count(rate(m)),
    times(rate(m) / rate(baseline)),
  ]);
}

// ---------------------------------------------------------------------------------------------
// Traceport

interface Log {
  /** Every node the ledger persists (leaves and completed perfect subtrees), keyed by nodeKey. */
  readonly store: Map<string, Uint8Array>;
  readonly root: Uint8Array;
}

/** One appendToFrontier call per record: what appending records one at a time costs. */
function appendEachLeaf(leaves: readonly Uint8Array[]): Log {
  const store = new Map<string, Uint8Array>();
  let frontier: StoredNode[] = [];
  for (const leaf of leaves) {
    const appended = appendToFrontier(frontier, [leaf]);
    frontier = appended.frontier;
    for (const node of appended.stored) store.set(nodeKey(node.id), node.hash);
  }
  return { store, root: frontierRoot(frontier) };
}

/** One call for the whole batch, as the ledger appends each Kafka batch: one frontier check. */
function appendAllLeaves(leaves: readonly Uint8Array[]): Log {
  const store = new Map<string, Uint8Array>();
  const appended = appendToFrontier([], leaves);
  for (const node of appended.stored) store.set(nodeKey(node.id), node.hash);
  return { store, root: frontierRoot(appended.frontier) };
}

/** Every proof through the public per-proof API; returns the number of path hashes produced. */
function proveEachLeaf(size: number, store: NodeHashes): number {
  let hashes = 0;
  for (let index = 0; index < size; index++) hashes += inclusionProofPlan(index, size).assemble(store).length;
  return hashes;
}

/**
 * A sketch of the batch method @traceport/ledger lacks (bench-only: it is not in the lib, and is
 * checked against the lib's proofs below). An RFC 9162 tree is the bottom-up pairing in which a
 * lone last node is carried up unpaired, so a leaf's path is, level by level, the sibling of its
 * ancestor when that sibling exists. Every sibling is a stored node except the incomplete last
 * node of a level; there are at most log2(n) of those, each folded once for the whole batch
 * instead of once per proof, and no read plan is built per proof.
 */
function forEachInclusionPath(size: number, store: NodeHashes, visit: (index: number, path: Uint8Array[]) => void): void {
  const stored = (level: number, index: number): Uint8Array => {
    const found = store.get(nodeKey({ level, index }));
    if (found === undefined) throw new Error(`stored node ${level}:${index} is missing`);
    return found;
  };
  // incomplete[level]: the hash of [size − size mod 2^level, size), the right fold of its pieces.
  const incomplete: Uint8Array[] = [];
  for (let level = 1; 2 ** (level - 1) < size; level++) {
    const start = size - (size % 2 ** level);
    if (start === size) continue;
    const pieces = perfectDecomposition(start, size).map((id) => stored(id.level, id.index));
    incomplete[level] = pieces.reduceRight((right, left) => nodeHash(left, right));
  }
  for (let leaf = 0; leaf < size; leaf++) {
    const path: Uint8Array[] = [];
    let index = leaf;
    for (let level = 0, width = size; width > 1; level++, index = Math.floor(index / 2), width = Math.ceil(width / 2)) {
      const sibling = index % 2 === 0 ? index + 1 : index - 1;
      if (sibling >= width) continue; // a lone last node: carried up, nothing to add
      path.push((sibling + 1) * 2 ** level <= size ? stored(level, sibling) : incomplete[level]!);
    }
    visit(leaf, path);
  }
}

function proveAllInBatch(size: number, store: NodeHashes): number {
  let hashes = 0;
  forEachInclusionPath(size, store, (_, path) => (hashes += path.length));
  return hashes;
}

/** Untimed: the Traceport contenders must agree, and their proofs must verify. */
function checkTraceport(leaves: readonly Uint8Array[], logs: Log[]): void {
  const [{ store, root }] = logs as [Log];
  if (!logs.every((log) => hashesEqual(log.root, root))) throw new Error('traceport builds disagree on the root');
  const size = leaves.length;
  const stride = Math.floor(size / 997); // ~1,000 leaves across the tree, plus the last one
  forEachInclusionPath(size, store, (index, path) => {
    if (index % stride !== 0 && index !== size - 1) return;
    const planned = inclusionProofPlan(index, size).assemble(store);
    if (planned.length !== path.length || !planned.every((node, n) => hashesEqual(node, path[n]!))) {
      throw new Error(`batch sketch and inclusionProofPlan disagree on leaf ${index}`);
    }
    const verdict = verifyInclusion({ leafIndex: index, treeSize: size, leafHash: leaves[index]!, inclusionPath: path, rootHash: root });
    if (!verdict.valid) throw new Error(`proof of leaf ${index} does not verify: ${verdict.message}`);
  });
}

// ---------------------------------------------------------------------------------------------
// The million-leaf comparison

async function millionLeaves(): Promise<Table[]> {
  const load = loadavg()[0]!;
  progress(`hashing ${count(LEAVES)} records into leaf hashes (setup, untimed)`);
  const leaves = Array.from({ length: LEAVES }, (_, n) => leafHash({ id: `item-${n}`, version: 1, lot: `L${n % 97}` }));
  const builds: Measurement[] = [];
  const proofs: Measurement[] = [];
  const pathHashes: string[] = [];
  let traceportRoot = '';

  // Traceport. Each contender's structures are released before the next one builds its own.
  {
    const eachLeaf = timed('traceport build, one append per leaf', SAMPLES, () => appendEachLeaf(leaves));
    builds.push({ name: 'traceport: appendToFrontier(frontier, [leaf]), one call per leaf; every stored node kept in a Map', ms: eachLeaf.ms, items: LEAVES });
    const batch = timed('traceport build, one append call', SAMPLES, () => appendAllLeaves(leaves));
    builds.push({ name: 'traceport: appendToFrontier([], leaves), one call for all; every stored node kept in a Map', ms: batch.ms, items: LEAVES });
    checkTraceport(leaves, [eachLeaf.result, batch.result]);
    const { store, root } = batch.result;
    traceportRoot = toHex(root);
    // ~30 µs a proof: two repetitions keep this row to about a minute.
    const planned = timed('traceport proofs, inclusionProofPlan per leaf', 2, () => proveEachLeaf(LEAVES, store));
    proofs.push({ name: 'traceport: inclusionProofPlan(i, n).assemble(store) per leaf, the public API', ms: planned.ms, items: LEAVES });
    const batched = timed('traceport proofs, batch sketch', SAMPLES, () => proveAllInBatch(LEAVES, store));
    proofs.push({ name: 'traceport, sketch of a batch method (bench-only, not in @traceport/ledger): same Map', ms: batched.ms, items: LEAVES });
    pathHashes.push(`traceport ${count(planned.result)} (API) and ${count(batched.result)} (sketch)`);
  }

  // merkletreejs, default options: no leaf sorting, a lone last node carried up (the same shape
  // as RFC 9162, so the same number of path hashes), Node's native SHA-256 without prefixes.
  let merkletreejsBuild: Measurement;
  let merkletreejsProofs: Measurement;
  {
    const views = leaves.map(bufferView);
    const built = timed('merkletreejs build', SAMPLES, () => {
      const tree = new MerkleTree(views, sha256);
      tree.getRoot();
      return tree;
    });
    merkletreejsBuild = { name: 'merkletreejs 0.6.0: new MerkleTree(leaves, sha256) + getRoot()', ms: built.ms, items: LEAVES };
    const tree = built.result;
    const proved = timed('merkletreejs proofs', SAMPLES, () => {
      let hashes = 0;
      for (let index = 0; index < LEAVES; index++) hashes += tree.getProof(views[index]!, index).length;
      return hashes;
    });
    merkletreejsProofs = { name: 'merkletreejs 0.6.0: getProof(leaf, index) per leaf', ms: proved.ms, items: LEAVES };
    pathHashes.push(`merkletreejs ${count(proved.result)}`);
    builds.push(merkletreejsBuild);
    proofs.push(merkletreejsProofs);
  }

  // OpenZeppelin: the leaves go in as bytes32 values, which SimpleMerkleTree uses as leaf hashes.
  {
    const built = timed('openzeppelin build (over 100 s)', 1, () => {
      const tree = SimpleMerkleTree.of(leaves);
      void tree.root;
      return tree;
    });
    builds.push({ name: '@openzeppelin/merkle-tree 1.0.8: SimpleMerkleTree.of(leaves) + root', ms: built.ms, items: LEAVES });
    const tree = built.result;
    const stride = LEAVES / OPENZEPPELIN_PROOFS;
    const proved = timed(`openzeppelin proofs of ${count(OPENZEPPELIN_PROOFS)} leaves`, 1, () => {
      let hashes = 0;
      for (let index = 0; index < LEAVES; index += stride) hashes += tree.getProof(index).length;
      return hashes;
    });
    proofs.push({
      name: '@openzeppelin/merkle-tree 1.0.8: getProof(index)',
      scope: `every ${stride}th leaf, ${count(OPENZEPPELIN_PROOFS)} proofs`,
      ms: proved.ms,
      items: OPENZEPPELIN_PROOFS,
    });
    pathHashes.push(`OpenZeppelin ${count(proved.result)} for its ${count(OPENZEPPELIN_PROOFS)} proofs`);
  }

  const header = (rate: string) => ['contender', 'samples', 'mean s', 'min s', rate, 'vs merkletreejs'];
  const openZeppelinAll = (LEAVES / proofs.at(-1)!.items) * mean(proofs.at(-1)!.ms) / 1000;
  return [
    {
      name: `build: ingest ${count(LEAVES)} leaf hashes and produce the root`,
      header: header('leaves/s'),
      rows: rows(builds, merkletreejsBuild),
      notes: [
        `Every contender is given the same ${count(LEAVES)} 32-byte leaf hashes (SHA-256 of 0x00 ‖ JCS of a record), made before timing. Speeds are relative to merkletreejs, at the mean.`,
        `Traceport hashes RFC 9162 interior nodes with OpenSSL's SHA-256 (node:crypto) and keeps every stored node (what the ledger persists) in a Map keyed by nodeKey. The ledger itself appends one call per Kafka batch; each call re-validates and copies the frontier it is given, which one call per leaf pays a million times. Its builds agree on the root (${traceportRoot}) and ~1,000 of its proofs were checked with verifyInclusion.`,
        'merkletreejs is given Node’s native one-shot SHA-256 and zero-copy Buffer views of the leaves; it keeps every layer in arrays and hashes left ‖ right without a prefix.',
        'OpenZeppelin sorts the leaves by value, sorts each pair before hashing it with keccak256 (pure JavaScript) and stores nodes as hex strings; it was built once (over 100 s and about 3 GB of memory per build), so its min is its mean.',
        `1-minute load average when the run started: ${fmt(load)} on ${availableParallelism()} cores (other work on the machine slows every row).`,
      ],
    },
    {
      name: `all inclusion proofs: one per leaf of the ${count(LEAVES)}-leaf tree`,
      header: header('proofs/s'),
      rows: rows(proofs, merkletreejsProofs),
      notes: [
        'Proofs come from the structures built above and are produced one per leaf, in leaf order, each a fresh array of the path hashes.',
        `Path hashes returned in total: ${pathHashes.join('; ')}. Traceport and merkletreejs trees have the same shape, so the counts match.`,
        'The sketch walks the stored-node Map level by level and folds the ≤ log2(n) incomplete right-border nodes once per batch; inclusionProofPlan builds a read plan (ranges, decompositions, a Map of keys) and refolds the border node for every proof.',
        `OpenZeppelin re-encodes the leaf and verifies every proof (about 20 keccak256) before returning it; at its rate all ${count(LEAVES)} proofs would take about ${fmt(openZeppelinAll, 0)} s, so only an evenly spread ${count(OPENZEPPELIN_PROOFS)} were timed.`,
      ],
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Appending one record, the ledger's write path (tinybench: many sub-millisecond iterations).

async function appends(): Promise<Bench> {
  const size = 10_000;
  const leaves = Array.from({ length: size }, (_, n) => leafHash({ id: `item-${n}`, version: 1 }));
  let frontier: StoredNode[] = [];
  for (const leaf of leaves) frontier = appendToFrontier(frontier, [leaf]).frontier;
  const peer = new MerkleTree(leaves.map(bufferView), sha256);
  let n = 0;

  progress('append one record (tinybench)');
  const bench = new Bench({ name: `append one record and compute the new root, log of ${count(size)}`, time: 1_000 });
  bench.add('traceport: JCS + leaf hash + frontier append, O(log n)', () => {
    frontier = appendToFrontier(frontier, [leafHash({ id: `new-${n++}`, version: 1 })]).frontier;
    frontierRoot(frontier);
  });
  bench.add('merkletreejs 0.6.0: JCS + leaf hash + addLeaf + getRoot (rebuilds its layers)', () => {
    peer.addLeaf(bufferView(leafHash({ id: `new-${n++}`, version: 1 })));
    peer.getRoot();
  });
  await bench.run();
  return bench;
}

export const benchmarks = {
  title: 'Ledger: build, all proofs and appends',
  run: async (): Promise<(Table | Bench)[]> => {
    const started = performance.now();
    const results = [...(await millionLeaves()), await appends()];
    progress(`done in ${fmt((performance.now() - started) / 1000, 0)} s`);
    return results;
  },
};
