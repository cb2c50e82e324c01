import type { ServerUnaryCall } from '@grpc/grpc-js';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { ClientGrpc } from '@nestjs/microservices';
import type {
  CreateRecallRequestMessage,
  HoldMessage,
  HoldPageMessage,
  ItemControlMessage,
  LiftHoldRequestMessage,
  ListHoldsRequestMessage,
  RecallMessage,
  RecallPageMessage,
} from '@traceport/contracts';
import { callUpstream, type UpstreamMethod } from '../upstream/upstream-call.js';
import { DATA_SERVICE_CLIENT, UPSTREAM_TIMEOUT_MS } from '../upstream/upstream.tokens.js';

interface ProductControlClient {
  listHolds: UpstreamMethod<ListHoldsRequestMessage, HoldPageMessage>;
  getHold: UpstreamMethod<{ id: string }, HoldMessage>;
  liftHold: UpstreamMethod<LiftHoldRequestMessage, HoldMessage>;
  createRecall: UpstreamMethod<CreateRecallRequestMessage, RecallMessage>;
  listRecalls: UpstreamMethod<{ pageSize: number; pageToken: string }, RecallPageMessage>;
  getRecall: UpstreamMethod<{ id: string }, RecallMessage>;
  getItemControl: UpstreamMethod<{ gtin: string; serial: string; lot: string }, ItemControlMessage>;
}

type Incoming = ServerUnaryCall<unknown, unknown> | undefined;

/** proto3 leaves empty lists and unset messages out; the gateway's callers always get them. */
const recallWithLists = (recall: RecallMessage): RecallMessage => ({
  ...recall,
  scope: { ...recall.scope, lots: recall.scope?.lots ?? [] },
  lots: recall.lots ?? [],
  affected: recall.affected ?? { lots: 0, items: 0, containers: 0, heldLots: 0 },
});

/** The gateway's side of product control: forwards to the data-service's ProductControlService. */
@Injectable()
export class ControlGateway implements OnModuleInit {
  private service!: ProductControlClient;

  constructor(
    @Inject(DATA_SERVICE_CLIENT) private readonly client: ClientGrpc,
    @Inject(UPSTREAM_TIMEOUT_MS) private readonly timeoutMs: number,
  ) {}

  onModuleInit(): void {
    this.service = this.client.getService<ProductControlClient>('ProductControlService');
  }

  async listHolds(request: ListHoldsRequestMessage, incoming?: Incoming): Promise<HoldPageMessage> {
    const page = await callUpstream(this.service.listHolds.bind(this.service), request, this.timeoutMs, incoming);
    return { items: page.items ?? [], nextPageToken: page.nextPageToken };
  }

  getHold(id: string, incoming?: Incoming): Promise<HoldMessage> {
    return callUpstream(this.service.getHold.bind(this.service), { id }, this.timeoutMs, incoming);
  }

  liftHold(request: LiftHoldRequestMessage, incoming?: Incoming): Promise<HoldMessage> {
    return callUpstream(this.service.liftHold.bind(this.service), request, this.timeoutMs, incoming);
  }

  async createRecall(request: CreateRecallRequestMessage, incoming?: Incoming): Promise<RecallMessage> {
    return recallWithLists(await callUpstream(this.service.createRecall.bind(this.service), request, this.timeoutMs, incoming));
  }

  async listRecalls(request: { pageSize: number; pageToken: string }, incoming?: Incoming): Promise<RecallPageMessage> {
    const page = await callUpstream(this.service.listRecalls.bind(this.service), request, this.timeoutMs, incoming);
    return { items: (page.items ?? []).map(recallWithLists), nextPageToken: page.nextPageToken };
  }

  async getRecall(id: string, incoming?: Incoming): Promise<RecallMessage> {
    return recallWithLists(await callUpstream(this.service.getRecall.bind(this.service), { id }, this.timeoutMs, incoming));
  }

  async itemControl(request: { gtin: string; serial: string; lot: string }, incoming?: Incoming): Promise<ItemControlMessage> {
    const control = await callUpstream(this.service.getItemControl.bind(this.service), request, this.timeoutMs, incoming);
    return { flags: control.flags ?? [] };
  }
}
