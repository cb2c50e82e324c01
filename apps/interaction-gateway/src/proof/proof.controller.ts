import { Controller, Get, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { invalid } from '@traceport/errors';
import { ProofGateway, proofJsonOf } from './proof.gateway.js';

/** Public proofs: anyone may check a record against the chain. */
@Controller('v1/proofs')
export class ProofController {
  constructor(private readonly proofs: ProofGateway) {}

  /**
   * A proof bundle: the record as anchored and its RFC 9162 inclusion proof with the anchor — all
   * `./traceport verify` (or anyone) needs, besides the chain. `download=true` saves it as a file.
   */
  @Get()
  async get(@Query('record_key') recordKey: unknown, @Query('download') download: unknown, @Res({ passthrough: true }) response: Response) {
    if (typeof recordKey !== 'string' || recordKey.length === 0) {
      throw invalid('missing-record-key', 'query parameter record_key is required', [{ field: 'record_key', message: 'required' }]);
    }
    const proof = await this.proofs.getProof(recordKey);
    if (download === 'true') {
      const filename = `proof-${recordKey.replace(/[^A-Za-z0-9.-]+/g, '_')}.json`;
      response.attachment(filename);
    }
    return {
      type: proof.recordType,
      record_key: proof.recordKey,
      record: JSON.parse(proof.recordJson) as unknown,
      proof: proofJsonOf(proof),
    };
  }
}
