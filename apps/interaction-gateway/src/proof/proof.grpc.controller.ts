import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { ProofGateway } from './proof.gateway.js';

@Controller()
export class ProofGrpcController {
  constructor(private readonly proofs: ProofGateway) {}

  @GrpcMethod('LedgerService', 'GetRecordProof')
  getRecordProof(request: { recordKey: string }, _metadata: Metadata, call: ServerUnaryCall<unknown, unknown>) {
    return this.proofs.getProof(request.recordKey, call);
  }

  @GrpcMethod('LedgerService', 'GetConsistencyProof')
  getConsistencyProof(request: { first: number; second: number }, _metadata: Metadata, call: ServerUnaryCall<unknown, unknown>) {
    return this.proofs.consistency(request.first, request.second, call);
  }

  @GrpcMethod('LedgerService', 'AuditLog')
  auditLog(request: { runNow: boolean }, _metadata: Metadata, call: ServerUnaryCall<unknown, unknown>) {
    return this.proofs.audit(request.runNow, call);
  }

  @GrpcMethod('LedgerService', 'GetLedgerState')
  getLedgerState(_request: unknown, _metadata: Metadata, call: ServerUnaryCall<unknown, unknown>) {
    return this.proofs.ledgerState(call);
  }
}
