import type { ServerUnaryCall } from '@grpc/grpc-js';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { ClientGrpc } from '@nestjs/microservices';
import { callUpstream, type UpstreamMethod } from '../upstream/upstream-call.js';
import { DECISION_ENGINE_CLIENT, UPSTREAM_TIMEOUT_MS } from '../upstream/upstream.tokens.js';
import type { GetPlanRequest, SamplingPlanMessage } from './decision-messages.js';

interface SamplingServiceClient {
  getPlan: UpstreamMethod<GetPlanRequest, SamplingPlanMessage>;
}

/** ISO 2859-1 plan lookups, answered by the decision engine. */
@Injectable()
export class SamplingGateway implements OnModuleInit {
  private sampling!: SamplingServiceClient;

  constructor(
    @Inject(DECISION_ENGINE_CLIENT) private readonly client: ClientGrpc,
    @Inject(UPSTREAM_TIMEOUT_MS) private readonly timeoutMs: number,
  ) {}

  onModuleInit(): void {
    this.sampling = this.client.getService<SamplingServiceClient>('SamplingService');
  }

  getPlan(request: GetPlanRequest, incoming?: ServerUnaryCall<unknown, unknown>): Promise<SamplingPlanMessage> {
    return callUpstream(this.sampling.getPlan.bind(this.sampling), request, this.timeoutMs, incoming);
  }
}
