import type { ServerUnaryCall } from '@grpc/grpc-js';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { ClientGrpc } from '@nestjs/microservices';
import type {
  AffectedItemsPageMessage,
  ListAffectedItemsRequestMessage,
  TraceBackRequestMessage,
  TraceBackResponseMessage,
  TraceForwardRequestMessage,
  TraceForwardResponseMessage,
} from '@traceport/contracts';
import { callUpstream, type UpstreamMethod } from '../upstream/upstream-call.js';
import { DATA_SERVICE_CLIENT, UPSTREAM_TIMEOUT_MS } from '../upstream/upstream.tokens.js';

interface TraceGraphClient {
  traceBack: UpstreamMethod<TraceBackRequestMessage, TraceBackResponseMessage>;
  traceForward: UpstreamMethod<TraceForwardRequestMessage, TraceForwardResponseMessage>;
  listAffectedItems: UpstreamMethod<ListAffectedItemsRequestMessage, AffectedItemsPageMessage>;
}

type Incoming = ServerUnaryCall<unknown, unknown> | undefined;

/** proto3 leaves empty lists out of a message; the gateway's callers always get them. */
function withLists<T extends object>(message: T, lists: readonly (keyof T)[]): T {
  const result = { ...message };
  for (const list of lists) if (result[list] === undefined || result[list] === null) (result as Record<keyof T, unknown>)[list] = [];
  return result;
}

function withGraph<T extends { graph: TraceForwardResponseMessage['graph'] }>(message: T): T {
  const graph = message.graph ?? { nodes: [], edges: [], aggregated: false };
  return { ...message, graph: withLists(graph, ['nodes', 'edges']) };
}

/** The gateway's side of trace back and trace forward: forwards to the data-service's TraceGraphService. */
@Injectable()
export class TraceGraphGateway implements OnModuleInit {
  private service!: TraceGraphClient;

  constructor(
    @Inject(DATA_SERVICE_CLIENT) private readonly client: ClientGrpc,
    @Inject(UPSTREAM_TIMEOUT_MS) private readonly timeoutMs: number,
  ) {}

  onModuleInit(): void {
    this.service = this.client.getService<TraceGraphClient>('TraceGraphService');
  }

  async traceBack(request: TraceBackRequestMessage, incoming?: Incoming): Promise<TraceBackResponseMessage> {
    const response = await callUpstream(this.service.traceBack.bind(this.service), request, this.timeoutMs, incoming);
    const lists = withLists(response, ['lots', 'products', 'factories', 'customsDeclarations', 'containers', 'items', 'locations', 'events']);
    return withGraph({ ...lists, factories: lists.factories.map((factory) => withLists(factory, ['certifications'])), lots: lists.lots.map((lot) => withLists(lot, ['customsDeclarationIds'])) });
  }

  async traceForward(request: TraceForwardRequestMessage, incoming?: Incoming): Promise<TraceForwardResponseMessage> {
    const response = await callUpstream(this.service.traceForward.bind(this.service), request, this.timeoutMs, incoming);
    const lists = withLists(response, ['lots', 'products', 'factories', 'containers', 'locations', 'items']);
    return withGraph({ ...lists, factories: lists.factories.map((factory) => withLists(factory, ['certifications'])), lots: lists.lots.map((lot) => withLists(lot, ['customsDeclarationIds'])) });
  }

  async listAffectedItems(request: ListAffectedItemsRequestMessage, incoming?: Incoming): Promise<AffectedItemsPageMessage> {
    return withLists(await callUpstream(this.service.listAffectedItems.bind(this.service), request, this.timeoutMs, incoming), ['items']);
  }
}
