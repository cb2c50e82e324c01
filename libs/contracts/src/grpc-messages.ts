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
