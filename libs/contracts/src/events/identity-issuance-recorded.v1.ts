import { z } from 'zod';
import { anchorableRecordSchema } from '../anchorable-record.js';
import { Topics } from '../topics.js';

/** The data-service's item-identity records. Each is anchored exactly as the API shows it. */
export const IdentityRecordTypes = {
  /** A finished bulk issuance of item identities for a lot, committing to every serial it issued. */
  issuance: 'identity.issuance',
} as const;
export type IdentityRecordType = (typeof IdentityRecordTypes)[keyof typeof IdentityRecordTypes];

/**
 * How `serialsRoot` is computed, carried in every issuance record so a verifier needs nothing
 * else: the RFC 9162 Merkle tree hash (SHA-256) over one leaf per identity, in issuance index
 * order (0 … count − 1), the leaf of an identity being SHA-256(0x00 || UTF-8(JCS({"gtin", "serial"}))).
 */
export const SERIALS_ROOT_ALGORITHM = 'rfc9162-sha256; leaf[index] = SHA-256(0x00 || JCS({"gtin":gtin,"serial":serial})); leaves in issuance index order';

/** An issuance record: which lot, how many identities, and the Merkle root of their serials. */
export const identityIssuanceRecordSchema = z.object({
  id: z.uuid(),
  lotId: z.uuid(),
  /** The version of the lot record the issuance read its GTIN, lot number and expiry from. */
  lotVersion: z.number().int().positive(),
  gtin: z.string().regex(/^\d{14}$/),
  lotNumber: z.string().min(1).max(20),
  /** The lot's expiry date (ISO 8601), when the lot has one. */
  expiryDate: z.iso.date().optional(),
  count: z.number().int().positive(),
  /** Lowercase hex of the RFC 9162 root over the issued identities (see SERIALS_ROOT_ALGORITHM). */
  serialsRoot: z.string().regex(/^[0-9a-f]{64}$/),
  algorithm: z.literal(SERIALS_ROOT_ALGORITHM),
  issuedAt: z.iso.datetime({ offset: true }),
});
export type IdentityIssuanceRecord = z.infer<typeof identityIssuanceRecordSchema>;

/** A finished issuance; the ledger anchors `record` as it is (recordKey `identity.issuance/<id>/v1`). */
export const identityIssuanceRecordedV1 = {
  topic: Topics.identityIssuanceRecorded.name,
  type: 'io.traceport.identity.issuance.recorded.v1',
  schema: anchorableRecordSchema.extend({
    recordType: z.literal(IdentityRecordTypes.issuance),
    record: identityIssuanceRecordSchema,
  }),
} as const;
export type IdentityIssuanceRecordedV1 = z.infer<typeof identityIssuanceRecordedV1.schema>;
