import type { ServerUnaryCall } from '@grpc/grpc-js';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { ClientGrpc } from '@nestjs/microservices';
import type {
  CreateSubscriptionRequestMessage,
  DeliveryMessage,
  DeliveryPageMessage,
  EpcisQueryParameterMessage,
  ListDeliveriesRequestMessage,
  NamedQueryMessage,
  SubscriptionMessage,
} from '@traceport/contracts';
import { callUpstream, type UpstreamMethod } from '../upstream/upstream-call.js';
import { DATA_SERVICE_CLIENT, UPSTREAM_TIMEOUT_MS } from '../upstream/upstream.tokens.js';

type SubscriptionKey = { queryName: string; subscriptionId: string };

interface SubscriptionClient {
  createQuery: UpstreamMethod<{ name: string; parameters: EpcisQueryParameterMessage[] }, NamedQueryMessage>;
  listQueries: UpstreamMethod<Record<string, never>, { queries?: NamedQueryMessage[] }>;
  getQuery: UpstreamMethod<{ name: string }, NamedQueryMessage>;
  deleteQuery: UpstreamMethod<{ name: string }, NamedQueryMessage>;
  createSubscription: UpstreamMethod<CreateSubscriptionRequestMessage, SubscriptionMessage>;
  listSubscriptions: UpstreamMethod<{ name: string }, { subscriptions?: SubscriptionMessage[] }>;
  getSubscription: UpstreamMethod<SubscriptionKey, SubscriptionMessage>;
  deleteSubscription: UpstreamMethod<SubscriptionKey, SubscriptionMessage>;
  listDeliveries: UpstreamMethod<ListDeliveriesRequestMessage, DeliveryPageMessage>;
  redriveDelivery: UpstreamMethod<{ id: string }, DeliveryMessage>;
}

type Incoming = ServerUnaryCall<unknown, unknown> | undefined;

const queryWithLists = (query: NamedQueryMessage): NamedQueryMessage => ({ ...query, parameters: query.parameters ?? [] });
const deliveryWithLists = (delivery: DeliveryMessage): DeliveryMessage => ({ ...delivery, eventIds: delivery.eventIds ?? [] });

/** The gateway's side of EPCIS query subscriptions: forwards to the data-service's EpcisSubscriptionService. */
@Injectable()
export class SubscriptionGateway implements OnModuleInit {
  private service!: SubscriptionClient;

  constructor(
    @Inject(DATA_SERVICE_CLIENT) private readonly client: ClientGrpc,
    @Inject(UPSTREAM_TIMEOUT_MS) private readonly timeoutMs: number,
  ) {}

  onModuleInit(): void {
    this.service = this.client.getService<SubscriptionClient>('EpcisSubscriptionService');
  }

  private call<Req, Res>(method: UpstreamMethod<Req, Res>, request: Req, incoming?: Incoming): Promise<Res> {
    return callUpstream(method.bind(this.service), request, this.timeoutMs, incoming);
  }

  async createQuery(request: { name: string; parameters: EpcisQueryParameterMessage[] }, incoming?: Incoming) {
    return queryWithLists(await this.call(this.service.createQuery, request, incoming));
  }

  async listQueries(incoming?: Incoming) {
    return { queries: ((await this.call(this.service.listQueries, {}, incoming)).queries ?? []).map(queryWithLists) };
  }

  async getQuery(name: string, incoming?: Incoming) {
    return queryWithLists(await this.call(this.service.getQuery, { name }, incoming));
  }

  async deleteQuery(name: string, incoming?: Incoming) {
    return queryWithLists(await this.call(this.service.deleteQuery, { name }, incoming));
  }

  createSubscription(request: CreateSubscriptionRequestMessage, incoming?: Incoming) {
    return this.call(this.service.createSubscription, request, incoming);
  }

  async listSubscriptions(name: string, incoming?: Incoming) {
    return { subscriptions: (await this.call(this.service.listSubscriptions, { name }, incoming)).subscriptions ?? [] };
  }

  getSubscription(key: SubscriptionKey, incoming?: Incoming) {
    return this.call(this.service.getSubscription, key, incoming);
  }

  deleteSubscription(key: SubscriptionKey, incoming?: Incoming) {
    return this.call(this.service.deleteSubscription, key, incoming);
  }

  async listDeliveries(request: ListDeliveriesRequestMessage, incoming?: Incoming): Promise<DeliveryPageMessage> {
    const page = await this.call(this.service.listDeliveries, request, incoming);
    return { deliveries: (page.deliveries ?? []).map(deliveryWithLists), nextPageToken: page.nextPageToken };
  }

  async redrive(id: string, incoming?: Incoming) {
    return deliveryWithLists(await this.call(this.service.redriveDelivery, { id }, incoming));
  }
}
