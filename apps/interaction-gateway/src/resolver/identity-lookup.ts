/** What the resolver needs to know about an issued code. */
export interface IssuedIdentity {
  readonly gtin: string;
  readonly serial: string;
  readonly lotId: string;
  readonly expiry: string | null;
  readonly digitalLink: string;
  /** The anchored issuance record that commits to this serial, with its record type and key. */
  readonly issuanceRecordType: string;
  readonly issuanceRecordKey: string;
  readonly issuanceRecord: Record<string, unknown>;
  /** The serial's inclusion in the issuance's serial tree (RFC 9162, hex). */
  readonly issuanceProof: { readonly leafIndex: number; readonly treeSize: number; readonly inclusionPath: string[]; readonly serialsRoot: string };
}

export const IDENTITY_LOOKUP = Symbol('IDENTITY_LOOKUP');

/** Finds an issued code; null when Traceport never issued it (or its issuance has not finished). */
export interface IdentityLookup {
  find(gtin: string, serial: string): Promise<IssuedIdentity | null>;
}
