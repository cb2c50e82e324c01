// TypeScript shapes of traceport.v1 messages shared by a service and the gateway that fronts it,
// as @grpc/proto-loader hands them over (camelCase fields, 64-bit integers as numbers). One
// definition per message, so the two sides of a call cannot drift apart.

/** traceport.v1.RecordProof (ledger.proto). `anchor` is null while the record's head is provisional. */
export interface RecordProofMessage {
  recordKey: string;
  recordType: string;
  recordJson: string;
  leafIndex: number;
  treeSize: number;
  inclusionPath: string[];
  rootHash: string;
  leafHash: string;
  status: 'anchored' | 'provisional';
  anchor: { chainId: number; contract: string; txHash: string; blockNumber: number } | null;
}

/** traceport.v1.TraceEvent (epcis.proto): the indexed values beside the event as anchored (JSON text). */
export interface TraceEventMessage {
  eventId: string;
  version: number;
  eventHash: string;
  eventType: string;
  eventTime: string;
  recordTime: string;
  recordKey: string;
  eventJson: string;
  bizStep: string;
  disposition: string;
  readPoint: string;
  bizLocation: string;
}

/** traceport.v1.Issuance (identity.proto): a bulk issuance job and, once succeeded, its anchored record. */
export interface IssuanceMessage {
  id: string;
  lotId: string;
  lotVersion: number;
  lotNumber: string;
  gtin: string;
  expiryDate: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  total: number;
  issued: number;
  identitiesPerSecond: number;
  createdAt: string;
  startedAt: string;
  finishedAt: string;
  failure: string;
  recordKey: string;
  recordJson: string;
  serialsRoot: string;
}

/** traceport.v1.IssuanceProof (identity.proto): RFC 9162 inclusion of an identity's leaf under serialsRoot. */
export interface IssuanceProofMessage {
  recordKey: string;
  serialsRoot: string;
  leafIndex: number;
  treeSize: number;
  inclusionPath: string[];
  leafHash: string;
}

/** traceport.v1.Identity (identity.proto). `issuanceProof` is null in StreamIdentities batches. */
export interface IdentityMessage {
  gtin: string;
  serial: string;
  lotId: string;
  lotNumber: string;
  expiryDate: string;
  issuanceId: string;
  index: number;
  digitalLink: string;
  issuedAt: string;
  issuanceProof: IssuanceProofMessage | null;
}
