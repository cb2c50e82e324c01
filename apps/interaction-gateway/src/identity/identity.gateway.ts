import { Metadata, type ClientReadableStream, type ServerUnaryCall } from '@grpc/grpc-js';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { ClientGrpc } from '@nestjs/microservices';
import type { IdentityMessage, IssuanceMessage } from '@traceport/contracts';
import { fromGrpcError } from '@traceport/errors';
import { buildDigitalLink, parseDigitalLink } from '@traceport/identity';
import { CORRELATION_HEADER, currentCorrelationId } from '@traceport/observability';
import { callUpstream, type UpstreamMethod } from '../upstream/upstream-call.js';
import { DATA_SERVICE_CLIENT, UPSTREAM_TIMEOUT_MS } from '../upstream/upstream.tokens.js';

/** The origin (and optional path) that Digital Links, QR codes and labels point at: this gateway's resolver. */
export const RESOLVER_ORIGIN = Symbol('RESOLVER_ORIGIN');

export interface StreamIdentitiesRequest {
  issuanceId: string;
  fromIndex: number;
  limit: number;
}

interface IdentityClient {
  startIssuance: UpstreamMethod<{ lotId: string; quantity: number }, IssuanceMessage>;
  getIssuance: UpstreamMethod<{ id: string }, IssuanceMessage>;
  listIssuances: UpstreamMethod<{ lotId: string }, { issuances: IssuanceMessage[] }>;
  getIdentity: UpstreamMethod<{ gtin: string; serial: string }, IdentityMessage>;
}

/** The raw grpc-js stub, for the server stream: a Node readable that pauses the upstream when not read. */
interface IdentityStreamStub {
  streamIdentities(request: StreamIdentitiesRequest, metadata: Metadata): ClientReadableStream<{ identities: IdentityMessage[] }>;
}

/**
 * A stream of identity batches from the data-service, read at the consumer's pace (HTTP/2 flow
 * control holds the data-service back), with upstream errors turned back into domain errors.
 * `cancel` ends the upstream call, e.g. when the HTTP client has gone.
 */
export interface IdentityBatches extends AsyncIterable<IdentityMessage[]> {
  cancel(): void;
}

@Injectable()
export class IdentityGateway implements OnModuleInit {
  private identities!: IdentityClient;
  private stub!: IdentityStreamStub;

  constructor(
    @Inject(DATA_SERVICE_CLIENT) private readonly client: ClientGrpc,
    @Inject(UPSTREAM_TIMEOUT_MS) private readonly timeoutMs: number,
    @Inject(RESOLVER_ORIGIN) private readonly resolverOrigin: string,
  ) {}

  onModuleInit(): void {
    this.identities = this.client.getService<IdentityClient>('IdentityService');
    this.stub = this.client.getClientByServiceName<IdentityStreamStub>('IdentityService');
  }

  startIssuance(lotId: string, quantity: number, incoming?: ServerUnaryCall<unknown, unknown>): Promise<IssuanceMessage> {
    return callUpstream(this.identities.startIssuance.bind(this.identities), { lotId, quantity }, this.timeoutMs, incoming);
  }

  getIssuance(id: string, incoming?: ServerUnaryCall<unknown, unknown>): Promise<IssuanceMessage> {
    return callUpstream(this.identities.getIssuance.bind(this.identities), { id }, this.timeoutMs, incoming);
  }

  async listIssuances(lotId: string, incoming?: ServerUnaryCall<unknown, unknown>): Promise<IssuanceMessage[]> {
    return (await callUpstream(this.identities.listIssuances.bind(this.identities), { lotId }, this.timeoutMs, incoming)).issuances;
  }

  /** The identity with its proof of issuance, its Digital Link on this gateway's resolver. */
  async getIdentity(gtin: string, serial: string, incoming?: ServerUnaryCall<unknown, unknown>): Promise<IdentityMessage> {
    const identity = await callUpstream(this.identities.getIdentity.bind(this.identities), { gtin, serial }, this.timeoutMs, incoming);
    return this.onOurResolver(identity);
  }

  /** The data-service builds links on GS1's canonical resolver; codes printed by Traceport resolve here. */
  onOurResolver(identity: IdentityMessage): IdentityMessage {
    return { ...identity, digitalLink: buildDigitalLink(parseDigitalLink(identity.digitalLink), { resolver: this.resolverOrigin }) };
  }

  /** An issuance's identities in index order, batch by batch (no deadline: a million labels take minutes). */
  streamIdentities(request: StreamIdentitiesRequest): IdentityBatches {
    const metadata = new Metadata();
    const correlationId = currentCorrelationId();
    if (correlationId !== undefined) metadata.set(CORRELATION_HEADER, correlationId);
    const call = this.stub.streamIdentities(request, metadata);
    const rewrite = (identity: IdentityMessage) => this.onOurResolver(identity);
    return {
      cancel: () => call.cancel(),
      async *[Symbol.asyncIterator]() {
        try {
          for await (const batch of call as AsyncIterable<{ identities: IdentityMessage[] }>) yield batch.identities.map(rewrite);
        } catch (error) {
          throw fromGrpcError(error);
        } finally {
          call.cancel();
        }
      },
    };
  }
}
