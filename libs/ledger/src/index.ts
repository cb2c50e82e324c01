// @traceport/ledger: RFC 8785 canonical JSON and the RFC 9162 Merkle log, pure (no I/O).

export { canonicalJson, type JsonValue } from './canonical-json.js';
export { CanonicalJsonException } from './canonical-json.exception.js';
export { fromHex, toHex } from './hex-encoding.js';
export { emptyRoot, HASH_SIZE, hashesEqual, leafHash, leafHashOfBytes, nodeHash } from './merkle-hash.js';
export { consistencyProof, inclusionProof, rootHash } from './reference-tree.js';
export {
  type ConsistencyVerificationInput,
  type InclusionProofInput,
  type InclusionVerificationInput,
  type ProofRejected,
  type ProofRejection,
  type ProofVerdict,
  rootFromInclusion,
  verifyConsistency,
  verifyInclusion,
} from './proof-verification.js';
export { ProofVerificationException } from './proof-verification.exception.js';
export {
  childrenOf,
  consistencyProofRanges,
  inclusionPathRanges,
  type LeafRange,
  leafRangeOf,
  type NodeId,
  nodeKey,
  nodesCompletedByAppend,
  perfectDecomposition,
} from './tree-geometry.js';
export {
  consistencyProofPlan,
  inclusionProofPlan,
  type NodeHashes,
  type NodeReader,
  type NodeReadPlan,
  readConsistencyProof,
  readInclusionProof,
  readRootHash,
  rootPlan,
} from './node-read-plan.js';
export { appendToFrontier, type FrontierAppend, frontierRoot, frontierSize, type StoredNode } from './log-frontier.js';
