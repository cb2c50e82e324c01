import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { Body, Controller, Get, Headers, HttpCode, Param, Post, Put, Res } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import { ApiDoc } from '../openapi/api-doc.decorator.js';
import { RuleSetValidation, RuleSetVersion, RuleSetVersionList, SimulationReport } from '../openapi/schemas/decision.schemas.js';
import { ruleSetValidationJson, ruleSetVersionJson, simulationReportJson } from './decision-json.js';
import type { PublishRuleSetRequest, SaveRuleSetRequest, SimulateRuleSetRequest } from './decision-messages.js';
import { actorOf, definitionObject, optionalText, parseBody, pathNumber, rfc3339 } from './decision-request.js';
import { RuleSetGateway } from './rule-set.gateway.js';

const saveBody = z.strictObject({ definition: definitionObject, note: optionalText('what changed and why') });
const validateBody = z.strictObject({ definition: definitionObject });
const publishBody = z.strictObject({ effective_from: rfc3339.optional() });
const simulateBody = z
  .strictObject({
    version: z.number({ error: 'a rule set version, a positive integer' }).int('a rule set version, a positive integer').min(1, 'a rule set version, a positive integer').optional(),
    definition: definitionObject.optional(),
    from: rfc3339.optional(),
    to: rfc3339.optional(),
    max_changes: z.number({ error: 'a positive integer' }).int('a positive integer').min(1, 'a positive integer').max(10_000, 'at most 10000').optional(),
  })
  .refine((body) => (body.version === undefined) !== (body.definition === undefined), { message: 'give either version (a saved rule set) or definition', path: ['version'] });

const ACTOR_HEADER = 'x-traceport-actor';
const actorHeader = { name: 'X-Traceport-Actor', description: 'Who makes the change, for the history (operations when absent).' };
const versionParam = ['The rule set version, from 1.', z.number().int().min(1)] as const;

/**
 * Sampling rule sets (REST and gRPC): drafts are saved, validated and simulated against past lots,
 * then published; every version stays readable. Who changes what is taken from X-Traceport-Actor.
 */
@ApiTags('Rule sets')
@Controller('v1/rule-sets')
export class RuleSetController {
  constructor(private readonly ruleSets: RuleSetGateway) {}

  /** Every version, newest first. */
  @Get()
  @ApiDoc({ summary: 'Every rule set version, newest first', response: { status: 200, description: 'The versions.', schema: RuleSetVersionList } })
  async list() {
    return { versions: (await this.ruleSets.list()).versions.map(ruleSetVersionJson) };
  }

  /** A new draft; 400 with one violation per problem (rule, position in its condition) when a condition does not compile. */
  @Post()
  @HttpCode(201)
  @ApiDoc({
    summary: 'Save a new draft',
    description: 'Refused with 400 and one entry per problem (rule, line and column in its condition) when a condition does not compile.',
    headers: [actorHeader],
    body: { schema: saveBody },
    response: { status: 201, description: 'The draft.', schema: RuleSetVersion, headers: { Location: 'The draft.' } },
    problems: [400, 413],
  })
  async create(@Body() body: unknown, @Headers(ACTOR_HEADER) actor: string | undefined, @Res({ passthrough: true }) response: Response) {
    const { definition, note } = parseBody(saveBody, body);
    const created = await this.ruleSets.createDraft({ version: 0, definitionJson: JSON.stringify(definition), note: note ?? '', actor: actorOf(actor) });
    response.location(`/v1/rule-sets/${created.version}`);
    return ruleSetVersionJson(created);
  }

  /** Checks a definition without saving it: 200 with every problem, whether or not it is valid. */
  @Post('validate')
  @HttpCode(200)
  @ApiDoc({
    summary: 'Check a definition without saving it',
    body: { schema: validateBody },
    response: { status: 200, description: 'Every problem, whether or not the definition is valid.', schema: RuleSetValidation },
    problems: [400, 413],
  })
  async validate(@Body() body: unknown) {
    const { definition } = parseBody(validateBody, body);
    return ruleSetValidationJson(await this.ruleSets.validate({ version: 0, definitionJson: JSON.stringify(definition), note: '', actor: '' }));
  }

  /** Which decisions a rule set (a saved version, or a definition) would have changed over the lots decided in [from, to). */
  @Post('simulate')
  @HttpCode(200)
  @ApiDoc({
    summary: 'Simulate a rule set against past lots',
    description: 'Which decisions a saved version, or a definition, would have changed over the lots decided in [from, to). Give either version or definition.',
    body: { schema: simulateBody },
    response: { status: 200, description: 'The changes, with counts before and after.', schema: SimulationReport },
    problems: [400, 404, 413],
  })
  async simulate(@Body() body: unknown) {
    const request = parseBody(simulateBody, body);
    return simulationReportJson(
      await this.ruleSets.simulate({
        version: request.version ?? 0,
        definitionJson: request.definition === undefined ? '' : JSON.stringify(request.definition),
        from: request.from ?? '',
        to: request.to ?? '',
        maxChanges: request.max_changes ?? 0,
      }),
    );
  }

  /** The version deciding lots now; 404 before any is published. */
  @Get('active')
  @ApiDoc({ summary: 'The version deciding lots now', response: { status: 200, description: 'The active version.', schema: RuleSetVersion }, problems: [404] })
  async active() {
    return ruleSetVersionJson(await this.ruleSets.get(0));
  }

  @Get(':version')
  @ApiDoc({ summary: 'One rule set version', params: { version: versionParam }, response: { status: 200, description: 'The version.', schema: RuleSetVersion }, problems: [400, 404] })
  async get(@Param('version') version: string) {
    return ruleSetVersionJson(await this.ruleSets.get(pathNumber('version', version)));
  }

  /** Replaces a draft's definition; a published version cannot change. */
  @Put(':version')
  @ApiDoc({
    summary: "Replace a draft's definition",
    description: 'A published version cannot change (409).',
    params: { version: versionParam },
    headers: [actorHeader],
    body: { schema: saveBody },
    response: { status: 200, description: 'The draft.', schema: RuleSetVersion },
    problems: [400, 404, 409, 413],
  })
  async update(@Param('version') version: string, @Body() body: unknown, @Headers(ACTOR_HEADER) actor: string | undefined) {
    const number = pathNumber('version', version);
    const { definition, note } = parseBody(saveBody, body);
    return ruleSetVersionJson(await this.ruleSets.updateDraft({ version: number, definitionJson: JSON.stringify(definition), note: note ?? '', actor: actorOf(actor) }));
  }

  /** Publishes a draft, in force from effective_from (now when absent). */
  @Post(':version/publish')
  @HttpCode(200)
  @ApiDoc({
    summary: 'Publish a draft',
    description: 'In force from effective_from, or now when absent.',
    params: { version: versionParam },
    headers: [actorHeader],
    body: { schema: publishBody, required: false },
    response: { status: 200, description: 'The published version.', schema: RuleSetVersion },
    problems: [400, 404, 409],
  })
  async publish(@Param('version') version: string, @Body() body: unknown, @Headers(ACTOR_HEADER) actor: string | undefined) {
    const number = pathNumber('version', version);
    const { effective_from: effectiveFrom } = parseBody(publishBody, body);
    return ruleSetVersionJson(await this.ruleSets.publish({ version: number, effectiveFrom: effectiveFrom ?? '', actor: actorOf(actor) }));
  }

  @GrpcMethod('RuleSetService', 'CreateDraft')
  createDraft(request: SaveRuleSetRequest, _metadata: Metadata, call: ServerUnaryCall<unknown, unknown>) {
    return this.ruleSets.createDraft(request, call);
  }

  @GrpcMethod('RuleSetService', 'UpdateDraft')
  updateDraft(request: SaveRuleSetRequest, _metadata: Metadata, call: ServerUnaryCall<unknown, unknown>) {
    return this.ruleSets.updateDraft(request, call);
  }

  @GrpcMethod('RuleSetService', 'ValidateRuleSet')
  validateRuleSet(request: SaveRuleSetRequest, _metadata: Metadata, call: ServerUnaryCall<unknown, unknown>) {
    return this.ruleSets.validate(request, call);
  }

  @GrpcMethod('RuleSetService', 'GetRuleSet')
  getRuleSet(request: { version: number }, _metadata: Metadata, call: ServerUnaryCall<unknown, unknown>) {
    return this.ruleSets.get(request.version, call);
  }

  @GrpcMethod('RuleSetService', 'ListRuleSets')
  listRuleSets(_request: unknown, _metadata: Metadata, call: ServerUnaryCall<unknown, unknown>) {
    return this.ruleSets.list(call);
  }

  @GrpcMethod('RuleSetService', 'PublishRuleSet')
  publishRuleSet(request: PublishRuleSetRequest, _metadata: Metadata, call: ServerUnaryCall<unknown, unknown>) {
    return this.ruleSets.publish(request, call);
  }

  @GrpcMethod('RuleSetService', 'SimulateRuleSet')
  simulateRuleSet(request: SimulateRuleSetRequest, _metadata: Metadata, call: ServerUnaryCall<unknown, unknown>) {
    return this.ruleSets.simulate(request, call);
  }
}
