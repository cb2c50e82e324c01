import { Controller, Get, Query } from '@nestjs/common';
import { invalid } from '@traceport/errors';
import { ProofGateway, proofJsonOf } from './proof.gateway.js';

/** Public proofs: anyone may check a record against the chain. */
@Controller('v1/proofs')
export class ProofController {
  constructor(private readonly proofs: ProofGateway) {}

  /** A proof bundle: the record as anchored and its RFC 9162 inclusion proof with the anchor. */
  @Get()
  async get(@Query('record_key') recordKey: unknown) {
    if (typeof recordKey !== 'string' || recordKey.length === 0) {
      throw invalid('missing-record-key', 'query parameter record_key is required', [{ field: 'record_key', message: 'required' }]);
    }
    const proof = await this.proofs.getProof(recordKey);
    return {
      type: proof.recordType,
      record_key: proof.recordKey,
      record: JSON.parse(proof.recordJson) as unknown,
      proof: proofJsonOf(proof),
    };
  }
}
