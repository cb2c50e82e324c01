import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { DomainException } from '@traceport/errors';
import { RuleSetSimulationService } from './rule-set-simulation.service.js';
import { RuleSetService, type RuleSetView } from './rule-set.service.js';

interface SaveRuleSetRequest {
  version: number;
  definitionJson: string;
  note: string;
  actor: string;
}

const messageOf = (view: RuleSetView) => ({
  version: view.version,
  status: view.status,
  definitionJson: JSON.stringify(view.definition),
  note: view.note,
  createdBy: view.createdBy,
  createdAt: view.createdAt,
  publishedBy: view.publishedBy ?? '',
  publishedAt: view.publishedAt ?? '',
  effectiveFrom: view.effectiveFrom ?? '',
  active: view.active,
});

@Controller()
export class RuleSetGrpcController {
  constructor(
    private readonly ruleSets: RuleSetService,
    private readonly simulation: RuleSetSimulationService,
  ) {}

  @GrpcMethod('RuleSetService', 'CreateDraft')
  async createDraft(request: SaveRuleSetRequest) {
    return messageOf(await this.ruleSets.createDraft(request.definitionJson, request.note, request.actor));
  }

  @GrpcMethod('RuleSetService', 'UpdateDraft')
  async updateDraft(request: SaveRuleSetRequest) {
    return messageOf(await this.ruleSets.updateDraft(request.version, request.definitionJson, request.note));
  }

  /** Every problem, as data rather than an error: the editor shows them inline while the operator types. */
  @GrpcMethod('RuleSetService', 'ValidateRuleSet')
  validateRuleSet(request: SaveRuleSetRequest) {
    try {
      this.ruleSets.parse(request.definitionJson);
      return { valid: true, problems: [] };
    } catch (error) {
      if (!(error instanceof DomainException) || error.kind !== 'invalid') throw error;
      const problems = error.violations.map((violation) => ({
        ruleId: /^([a-z0-9-]+): /.exec(violation.message)?.[1] ?? '',
        field: violation.field,
        message: violation.message.replace(/^[a-z0-9-]+: /, ''),
        line: violation.line ?? 0,
        column: violation.column ?? 0,
      }));
      return { valid: false, problems };
    }
  }

  @GrpcMethod('RuleSetService', 'GetRuleSet')
  async getRuleSet(request: { version: number }) {
    return messageOf(await this.ruleSets.get(request.version));
  }

  @GrpcMethod('RuleSetService', 'ListRuleSets')
  async listRuleSets() {
    return { versions: (await this.ruleSets.list()).map(messageOf) };
  }

  @GrpcMethod('RuleSetService', 'PublishRuleSet')
  async publishRuleSet(request: { version: number; effectiveFrom: string; actor: string }) {
    return messageOf(await this.ruleSets.publish(request.version, request.effectiveFrom, request.actor));
  }

  @GrpcMethod('RuleSetService', 'SimulateRuleSet')
  simulateRuleSet(request: { version: number; definitionJson: string; from: string; to: string; maxChanges: number }) {
    return this.simulation.simulate(request);
  }
}
