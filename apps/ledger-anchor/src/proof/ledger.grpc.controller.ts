import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { RecordProofService } from './record-proof.service.js';

/** traceport.v1.LedgerService, called by the gateway. */
@Controller()
export class LedgerGrpcController {
  constructor(private readonly proofs: RecordProofService) {}

  @GrpcMethod('LedgerService', 'GetRecordProof')
  getRecordProof(request: { recordKey: string }) {
    return this.proofs.proofOf(request.recordKey);
  }
}
