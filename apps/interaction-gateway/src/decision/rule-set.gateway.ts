import type { ServerUnaryCall } from '@grpc/grpc-js';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { ClientGrpc } from '@nestjs/microservices';
import { callUpstream, type UpstreamMethod } from '../upstream/upstream-call.js';
import { DECISION_ENGINE_CLIENT, UPSTREAM_TIMEOUT_MS } from '../upstream/upstream.tokens.js';
import type {
  PublishRuleSetRequest,
  RuleSetValidationMessage,
  RuleSetVersionMessage,
  SaveRuleSetRequest,
  SimulateRuleSetRequest,
  SimulationReportMessage,
} from './decision-messages.js';

interface RuleSetServiceClient {
  createDraft: UpstreamMethod<SaveRuleSetRequest, RuleSetVersionMessage>;
  updateDraft: UpstreamMethod<SaveRuleSetRequest, RuleSetVersionMessage>;
  validateRuleSet: UpstreamMethod<SaveRuleSetRequest, RuleSetValidationMessage>;
  getRuleSet: UpstreamMethod<{ version: number }, RuleSetVersionMessage>;
  listRuleSets: UpstreamMethod<Record<string, never>, { versions: RuleSetVersionMessage[] }>;
  publishRuleSet: UpstreamMethod<PublishRuleSetRequest, RuleSetVersionMessage>;
  simulateRuleSet: UpstreamMethod<SimulateRuleSetRequest, SimulationReportMessage>;
}

type Incoming = ServerUnaryCall<unknown, unknown> | undefined;

/** Versioned sampling rule sets in the decision engine: drafts, validation, simulation, publication. */
@Injectable()
export class RuleSetGateway implements OnModuleInit {
  private ruleSets!: RuleSetServiceClient;

  constructor(
    @Inject(DECISION_ENGINE_CLIENT) private readonly client: ClientGrpc,
    @Inject(UPSTREAM_TIMEOUT_MS) private readonly timeoutMs: number,
  ) {}

  onModuleInit(): void {
    this.ruleSets = this.client.getService<RuleSetServiceClient>('RuleSetService');
  }

  private call<Req, Res>(method: UpstreamMethod<Req, Res>, request: Req, incoming: Incoming, timeoutMs = this.timeoutMs): Promise<Res> {
    return callUpstream(method.bind(this.ruleSets), request, timeoutMs, incoming);
  }

  createDraft(request: SaveRuleSetRequest, incoming?: Incoming) {
    return this.call(this.ruleSets.createDraft, request, incoming);
  }

  updateDraft(request: SaveRuleSetRequest, incoming?: Incoming) {
    return this.call(this.ruleSets.updateDraft, request, incoming);
  }

  validate(request: SaveRuleSetRequest, incoming?: Incoming) {
    return this.call(this.ruleSets.validateRuleSet, request, incoming);
  }

  /** Version 0 is the version active now. */
  get(version: number, incoming?: Incoming) {
    return this.call(this.ruleSets.getRuleSet, { version }, incoming);
  }

  list(incoming?: Incoming) {
    return this.call(this.ruleSets.listRuleSets, {}, incoming);
  }

  publish(request: PublishRuleSetRequest, incoming?: Incoming) {
    return this.call(this.ruleSets.publishRuleSet, request, incoming);
  }

  /** A simulation replays every lot decided in the window: it gets a minute, not the default upstream timeout. */
  simulate(request: SimulateRuleSetRequest, incoming?: Incoming) {
    return this.call(this.ruleSets.simulateRuleSet, request, incoming, Math.max(this.timeoutMs, 60_000));
  }
}
