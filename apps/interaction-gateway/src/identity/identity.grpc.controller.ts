import type { Metadata, ServerUnaryCall, ServerWritableStream } from '@grpc/grpc-js';
import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { pacedStream } from '@traceport/observability';
import { IdentityGateway, type StreamIdentitiesRequest } from './identity.gateway.js';

type Call = ServerUnaryCall<unknown, unknown>;

/** The public traceport.v1.IdentityService, forwarded to the data-service with deadline and correlation id. */
@Controller()
export class IdentityGrpcController {
  constructor(private readonly identities: IdentityGateway) {}

  @GrpcMethod('IdentityService', 'StartIssuance')
  startIssuance(request: { lotId: string; quantity: number }, _metadata: Metadata, call: Call) {
    return this.identities.startIssuance(request.lotId, request.quantity, call);
  }

  @GrpcMethod('IdentityService', 'GetIssuance')
  getIssuance(request: { id: string }, _metadata: Metadata, call: Call) {
    return this.identities.getIssuance(request.id, call);
  }

  @GrpcMethod('IdentityService', 'ListIssuances')
  async listIssuances(request: { lotId: string }, _metadata: Metadata, call: Call) {
    return { issuances: await this.identities.listIssuances(request.lotId, call) };
  }

  @GrpcMethod('IdentityService', 'GetIdentity')
  getIdentity(request: { gtin: string; serial: string }, _metadata: Metadata, call: Call) {
    return this.identities.getIdentity(request.gtin, request.serial, call);
  }

  /** Relayed batch by batch at the caller's pace; the upstream call ends when the caller's does. */
  @GrpcMethod('IdentityService', 'StreamIdentities')
  async streamIdentities(request: StreamIdentitiesRequest, _metadata: Metadata, call: ServerWritableStream<unknown, unknown>) {
    const batches = this.identities.streamIdentities(request);
    call.on('cancelled', () => batches.cancel());
    const iterator = batches[Symbol.asyncIterator]();
    // The upstream's refusal (unknown or unfinished issuance) as this call's status, before any message.
    const first = await iterator.next();
    async function* relayed() {
      for (let next = first; next.done !== true; next = await iterator.next()) yield { identities: next.value };
    }
    return pacedStream(relayed(), call);
  }
}
