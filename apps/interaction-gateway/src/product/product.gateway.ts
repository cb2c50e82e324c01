import type { ServerUnaryCall } from '@grpc/grpc-js';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { ClientGrpc } from '@nestjs/microservices';
import type { RecordProofMessage } from '@traceport/contracts';
import { ProofGateway } from '../proof/proof.gateway.js';
import { callUpstream, type UpstreamMethod } from '../upstream/upstream-call.js';
import { DATA_SERVICE_CLIENT, UPSTREAM_TIMEOUT_MS } from '../upstream/upstream.tokens.js';

export interface ProductMessage {
  product: { id: string; version: number } & Record<string, unknown>;
  recordKey: string;
}

interface ArchiveServiceClient {
  registerProduct: UpstreamMethod<unknown, ProductMessage>;
  getProduct: UpstreamMethod<{ id: string } | { gtin: string }, ProductMessage>;
}

/** The gateway's side of the archive: forwards to the data-service, adds the ledger's proof on reads. */
@Injectable()
export class ProductGateway implements OnModuleInit {
  private archive!: ArchiveServiceClient;

  constructor(
    @Inject(DATA_SERVICE_CLIENT) private readonly client: ClientGrpc,
    @Inject(UPSTREAM_TIMEOUT_MS) private readonly timeoutMs: number,
    private readonly proofs: ProofGateway,
  ) {}

  onModuleInit(): void {
    this.archive = this.client.getService<ArchiveServiceClient>('ArchiveService');
  }

  register(request: unknown, incoming?: ServerUnaryCall<unknown, unknown>): Promise<ProductMessage> {
    return callUpstream(this.archive.registerProduct.bind(this.archive), request, this.timeoutMs, incoming);
  }

  /** By id or by GTIN, with the record's proof (null until the ledger has appended it). */
  async get(
    key: { id: string } | { gtin: string },
    incoming?: ServerUnaryCall<unknown, unknown>,
  ): Promise<ProductMessage & { proof: RecordProofMessage | null }> {
    const found = await callUpstream(this.archive.getProduct.bind(this.archive), key, this.timeoutMs, incoming);
    const proof = await this.proofs.findProof(found.recordKey, incoming);
    return { ...found, proof };
  }
}
