import { inclusionProof, leafHash, rootHash, toHex } from '@traceport/ledger';
import { describe, expect, it } from 'vitest';
import { recordIntegrity } from './record-integrity.js';
import type { ProofView } from './scan-page.view.js';

const records = [{ name: 'A' }, { name: 'B', gtin: '09506000134352' }, { name: 'C' }, { name: 'D' }, { name: 'E' }];
const leaves = records.map((record) => leafHash(record));

function proofOf(index: number): ProofView {
  return {
    leaf_index: index,
    tree_size: leaves.length,
    leaf_hash: toHex(leaves[index]!),
    inclusion_path: inclusionProof(index, leaves).map(toHex),
    root_hash: toHex(rootHash(leaves)),
    status: 'anchored',
    anchor: null,
  };
}

describe('recordIntegrity', () => {
  it('vouches for a record that hashes to its leaf, on a path to the root', () => {
    for (const [index, record] of records.entries()) expect(recordIntegrity(record, proofOf(index))).toBe('verified');
    // Key order is not content: JCS makes the leaf the same.
    expect(recordIntegrity({ gtin: '09506000134352', name: 'B' }, proofOf(1))).toBe('verified');
  });

  it('marks a changed record, a record shown with another record\'s proof, and a broken path', () => {
    expect(recordIntegrity({ name: 'A (relabelled)' }, proofOf(0))).toBe('mismatch');
    expect(recordIntegrity(records[0], proofOf(2))).toBe('mismatch');
    const proof = proofOf(3);
    expect(recordIntegrity(records[3], { ...proof, inclusion_path: [...proof.inclusion_path].reverse() })).toBe('mismatch');
    expect(recordIntegrity(records[3], { ...proof, inclusion_path: ['zz'] })).toBe('mismatch');
  });

  it('is pending without a proof', () => {
    expect(recordIntegrity(records[0], null)).toBe('pending');
  });
});
