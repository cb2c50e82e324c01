import type { ServerUnaryCall } from '@grpc/grpc-js';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { ClientGrpc } from '@nestjs/microservices';
import { callUpstream, type UpstreamMethod } from '../upstream/upstream-call.js';
import { DECISION_ENGINE_CLIENT, UPSTREAM_TIMEOUT_MS } from '../upstream/upstream.tokens.js';
import type {
  GetSupplierStateRequest,
  InspectionOrderMessage,
  InspectionResultMessage,
  ListDecisionsRequest,
  ListInspectionOrdersRequest,
  LotDecisionMessage,
  ResumeSupplierRequest,
  SubmitInspectionResultRequest,
  SupplierStateMessage,
} from './decision-messages.js';

interface InspectionServiceClient {
  getLotDecision: UpstreamMethod<{ lotId: string }, LotDecisionMessage>;
  listDecisions: UpstreamMethod<ListDecisionsRequest, { decisions: LotDecisionMessage[]; nextPageToken: string }>;
  listOrders: UpstreamMethod<ListInspectionOrdersRequest, { orders: InspectionOrderMessage[]; nextPageToken: string }>;
  getOrder: UpstreamMethod<{ id: string }, InspectionOrderMessage>;
  submitResult: UpstreamMethod<SubmitInspectionResultRequest, InspectionResultMessage>;
  getSupplierState: UpstreamMethod<GetSupplierStateRequest, SupplierStateMessage>;
  listSupplierStates: UpstreamMethod<{ state: string }, { suppliers: SupplierStateMessage[] }>;
  resumeSupplier: UpstreamMethod<ResumeSupplierRequest, SupplierStateMessage>;
}

type Incoming = ServerUnaryCall<unknown, unknown> | undefined;

/** Decisions on received lots, inspection orders and results, and supplier switching states, from the decision engine. */
@Injectable()
export class InspectionGateway implements OnModuleInit {
  private inspection!: InspectionServiceClient;

  constructor(
    @Inject(DECISION_ENGINE_CLIENT) private readonly client: ClientGrpc,
    @Inject(UPSTREAM_TIMEOUT_MS) private readonly timeoutMs: number,
  ) {}

  onModuleInit(): void {
    this.inspection = this.client.getService<InspectionServiceClient>('InspectionService');
  }

  private call<Req, Res>(method: UpstreamMethod<Req, Res>, request: Req, incoming: Incoming): Promise<Res> {
    return callUpstream(method.bind(this.inspection), request, this.timeoutMs, incoming);
  }

  lotDecision(lotId: string, incoming?: Incoming) {
    return this.call(this.inspection.getLotDecision, { lotId }, incoming);
  }

  decisions(request: ListDecisionsRequest, incoming?: Incoming) {
    return this.call(this.inspection.listDecisions, request, incoming);
  }

  orders(request: ListInspectionOrdersRequest, incoming?: Incoming) {
    return this.call(this.inspection.listOrders, request, incoming);
  }

  order(id: string, incoming?: Incoming) {
    return this.call(this.inspection.getOrder, { id }, incoming);
  }

  submitResult(request: SubmitInspectionResultRequest, incoming?: Incoming) {
    return this.call(this.inspection.submitResult, request, incoming);
  }

  supplier(request: GetSupplierStateRequest, incoming?: Incoming) {
    return this.call(this.inspection.getSupplierState, request, incoming);
  }

  suppliers(state: string, incoming?: Incoming) {
    return this.call(this.inspection.listSupplierStates, { state }, incoming);
  }

  resumeSupplier(request: ResumeSupplierRequest, incoming?: Incoming) {
    return this.call(this.inspection.resumeSupplier, request, incoming);
  }
}
