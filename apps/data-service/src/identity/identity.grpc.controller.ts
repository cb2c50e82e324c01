import type { Metadata, ServerWritableStream } from '@grpc/grpc-js';
import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { IdentityMessage } from '@traceport/contracts';
import { pacedStream } from '@traceport/observability';
import { IdentityIssuanceService } from './identity-issuance.service.js';
import { IdentityService } from './identity.service.js';

/** traceport.v1.IdentityBatch messages, one per page. */
async function* batches(pages: AsyncIterable<IdentityMessage[]>): AsyncGenerator<{ identities: IdentityMessage[] }> {
  for await (const identities of pages) yield { identities };
}

/** traceport.v1.IdentityService, as the gateway (and only the gateway) calls it. */
@Controller()
export class IdentityGrpcController {
  constructor(
    private readonly issuances: IdentityIssuanceService,
    private readonly identities: IdentityService,
  ) {}

  @GrpcMethod('IdentityService', 'StartIssuance')
  startIssuance(request: { lotId: string; quantity: number }) {
    return this.issuances.start(request.lotId, request.quantity);
  }

  @GrpcMethod('IdentityService', 'GetIssuance')
  getIssuance(request: { id: string }) {
    return this.issuances.get(request.id);
  }

  @GrpcMethod('IdentityService', 'ListIssuances')
  async listIssuances(request: { lotId: string }) {
    return { issuances: await this.issuances.listForLot(request.lotId) };
  }

  @GrpcMethod('IdentityService', 'GetIdentity')
  getIdentity(request: { gtin: string; serial: string }) {
    return this.identities.get(request.gtin, request.serial);
  }

  @GrpcMethod('IdentityService', 'StreamIdentities')
  async streamIdentities(request: { issuanceId: string; fromIndex: number; limit: number }, _metadata: Metadata, call: ServerWritableStream<unknown, unknown>) {
    const pages = await this.identities.open(request.issuanceId, request.fromIndex, request.limit);
    return pacedStream(batches(pages), call);
  }
}
