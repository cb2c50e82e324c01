import type { IdentityMessage, IssuanceMessage } from '@traceport/contracts';

/** An issuance job as REST shows it: snake_case, null for what is not there yet. */
export function issuanceJson(job: IssuanceMessage) {
  return {
    id: job.id,
    lot_id: job.lotId,
    lot_version: job.lotVersion,
    lot_number: job.lotNumber,
    gtin: job.gtin,
    expiry_date: job.expiryDate || null,
    status: job.status,
    total: job.total,
    issued: job.issued,
    progress: Math.round((job.issued / job.total) * 1000) / 1000,
    identities_per_second: job.identitiesPerSecond,
    created_at: job.createdAt,
    started_at: job.startedAt || null,
    finished_at: job.finishedAt || null,
    failure: job.failure || null,
    serials_root: job.serialsRoot || null,
    // The anchored issuance record, exactly as anchored; its proof: GET /v1/proofs?record_key=…
    record_key: job.recordKey || null,
    record: job.recordJson ? (JSON.parse(job.recordJson) as Record<string, unknown>) : null,
    labels: job.status === 'succeeded' ? `/v1/identity-issuances/${job.id}/labels.pdf` : null,
  };
}

/** An identity with its proof of issuance: RFC 9162 names, hex, like the ledger's proofs. */
export function identityJson(identity: IdentityMessage) {
  const proof = identity.issuanceProof;
  return {
    gtin: identity.gtin,
    serial: identity.serial,
    lot_id: identity.lotId,
    lot_number: identity.lotNumber,
    expiry_date: identity.expiryDate || null,
    issuance_id: identity.issuanceId,
    index: identity.index,
    digital_link: identity.digitalLink,
    issued_at: identity.issuedAt,
    issuance_proof:
      proof === null
        ? null
        : {
            record_key: proof.recordKey,
            serials_root: proof.serialsRoot,
            leaf_index: proof.leafIndex,
            tree_size: proof.treeSize,
            leaf_hash: proof.leafHash,
            inclusion_path: proof.inclusionPath,
          },
  };
}
