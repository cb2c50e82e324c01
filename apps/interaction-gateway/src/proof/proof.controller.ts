import { Controller, Get, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiTags } from '@nestjs/swagger';
import { invalid } from '@traceport/errors';
import { z } from 'zod';
import { ApiDoc } from '../openapi/api-doc.decorator.js';
import { ProofBundle } from '../openapi/schemas/ledger.schemas.js';
import { ProofGateway, proofJsonOf } from './proof.gateway.js';

/** Public proofs: anyone may check a record against the chain. */
@ApiTags('Proofs and ledger')
@Controller('v1/proofs')
export class ProofController {
  constructor(private readonly proofs: ProofGateway) {}

  /**
   * A proof bundle: the record as anchored and its RFC 9162 inclusion proof with the anchor — all
   * `./traceport verify` (or anyone) needs, besides the chain. `download=true` saves it as a file.
   */
  @Get()
  @ApiDoc({
    summary: "A record's proof bundle",
    description: 'Public. The record as anchored and its RFC 9162 inclusion proof with the anchor: all `./traceport verify` needs, besides the chain.',
    query: {
      schema: z.object({ record_key: z.string().min(1), download: z.enum(['true', 'false']).optional() }),
      describe: { record_key: "The record's ledger key, e.g. archive.product/<id>/v1.", download: 'true: answer it as a file to save (Content-Disposition: attachment).' },
    },
    response: { status: 200, description: 'The proof bundle.', schema: ProofBundle },
    problems: [400, 404],
  })
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
