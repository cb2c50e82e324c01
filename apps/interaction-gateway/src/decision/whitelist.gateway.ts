import type { ServerUnaryCall } from '@grpc/grpc-js';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { ClientGrpc } from '@nestjs/microservices';
import { callUpstream, type UpstreamMethod } from '../upstream/upstream-call.js';
import { DECISION_ENGINE_CLIENT, UPSTREAM_TIMEOUT_MS } from '../upstream/upstream.tokens.js';
import type {
  ListWhitelistEntriesRequest,
  RevokeWhitelistEntryRequest,
  SaveWhitelistEntryRequest,
  WhitelistAuditEventMessage,
  WhitelistEntryMessage,
} from './decision-messages.js';

interface WhitelistServiceClient {
  createEntry: UpstreamMethod<SaveWhitelistEntryRequest, WhitelistEntryMessage>;
  updateEntry: UpstreamMethod<SaveWhitelistEntryRequest, WhitelistEntryMessage>;
  revokeEntry: UpstreamMethod<RevokeWhitelistEntryRequest, WhitelistEntryMessage>;
  listEntries: UpstreamMethod<ListWhitelistEntriesRequest, { entries: WhitelistEntryMessage[] }>;
  getEntryHistory: UpstreamMethod<{ id: string }, { events: WhitelistAuditEventMessage[] }>;
}

type Incoming = ServerUnaryCall<unknown, unknown> | undefined;

/** Whitelist entries (exempt or reduced inspection) in the decision engine, with their audit trail. */
@Injectable()
export class WhitelistGateway implements OnModuleInit {
  private whitelist!: WhitelistServiceClient;

  constructor(
    @Inject(DECISION_ENGINE_CLIENT) private readonly client: ClientGrpc,
    @Inject(UPSTREAM_TIMEOUT_MS) private readonly timeoutMs: number,
  ) {}

  onModuleInit(): void {
    this.whitelist = this.client.getService<WhitelistServiceClient>('WhitelistService');
  }

  private call<Req, Res>(method: UpstreamMethod<Req, Res>, request: Req, incoming: Incoming): Promise<Res> {
    return callUpstream(method.bind(this.whitelist), request, this.timeoutMs, incoming);
  }

  create(request: SaveWhitelistEntryRequest, incoming?: Incoming) {
    return this.call(this.whitelist.createEntry, request, incoming);
  }

  update(request: SaveWhitelistEntryRequest, incoming?: Incoming) {
    return this.call(this.whitelist.updateEntry, request, incoming);
  }

  revoke(request: RevokeWhitelistEntryRequest, incoming?: Incoming) {
    return this.call(this.whitelist.revokeEntry, request, incoming);
  }

  list(request: ListWhitelistEntriesRequest, incoming?: Incoming) {
    return this.call(this.whitelist.listEntries, request, incoming);
  }

  history(id: string, incoming?: Incoming) {
    return this.call(this.whitelist.getEntryHistory, { id }, incoming);
  }
}
