import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { notFound } from '@traceport/errors';
import { LogAuditor } from '../audit/log-auditor.service.js';
import { LedgerStateService } from './ledger-state.service.js';
import { RecordProofService } from './record-proof.service.js';

/** traceport.v1.LedgerService, called by the gateway. */
@Controller()
export class LedgerGrpcController {
  constructor(
    private readonly proofs: RecordProofService,
    private readonly auditor: LogAuditor,
    private readonly ledgerState: LedgerStateService,
  ) {}

  @GrpcMethod('LedgerService', 'GetRecordProof')
  getRecordProof(request: { recordKey: string }) {
    return this.proofs.proofOf(request.recordKey);
  }

  @GrpcMethod('LedgerService', 'GetConsistencyProof')
  getConsistencyProof(request: { first: number; second: number }) {
    return this.proofs.consistencyBetween(request.first, request.second);
  }

  @GrpcMethod('LedgerService', 'AuditLog')
  async auditLog(request: { runNow: boolean }) {
    const report = request.runNow ? await this.auditor.run() : this.auditor.latestReport();
    if (report === null) throw notFound('no-audit-yet', 'no audit has run yet; ask for one with run_now');
    return { ...report, headMismatches: report.headMismatches.map((mismatch) => ({ ...mismatch, onChain: mismatch.onChain ?? '' })) };
  }

  @GrpcMethod('LedgerService', 'GetLedgerState')
  getLedgerState() {
    return this.ledgerState.state();
  }
}
