import { fromHex, leafHash, toHex, verifyInclusion } from '@traceport/ledger';
import type { ProofView } from './scan-page.view.js';

/**
 * Whether a record as a service stores it today is the record the log holds: its RFC 9162 leaf hash
 * (SHA-256 of 0x00 || JCS(record)) equals the proof's leaf, and the proof's path leads from that leaf
 * to the anchored root. `mismatch` means the stored copy was changed after it was anchored (or the
 * log was): the page says so instead of vouching for it. `pending` until the log has appended it.
 */
export type RecordIntegrity = 'verified' | 'mismatch' | 'pending';

export function recordIntegrity(record: unknown, proof: ProofView | null): RecordIntegrity {
  if (proof === null) return 'pending';
  const leaf = leafHash(record);
  if (toHex(leaf) !== proof.leaf_hash.toLowerCase()) return 'mismatch';
  try {
    const verdict = verifyInclusion({
      leafIndex: proof.leaf_index,
      treeSize: proof.tree_size,
      leafHash: leaf,
      inclusionPath: proof.inclusion_path.map((hash) => fromHex(hash)),
      rootHash: fromHex(proof.root_hash),
    });
    return verdict.valid ? 'verified' : 'mismatch';
  } catch {
    // A proof that cannot even be parsed does not vouch for anything.
    return 'mismatch';
  }
}
