import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { Body, Controller, Get, Headers, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { ApiTags } from '@nestjs/swagger';
import { invalid } from '@traceport/errors';
import type { Response } from 'express';
import { z } from 'zod';
import { ApiDoc } from '../openapi/api-doc.decorator.js';
import { WhitelistEntry, WhitelistEntryList, WhitelistHistory } from '../openapi/schemas/decision.schemas.js';
import { whitelistAuditEventJson, whitelistEntryJson } from './decision-json.js';
import type { ListWhitelistEntriesRequest, RevokeWhitelistEntryRequest, SaveWhitelistEntryRequest, WhitelistEntryMessage } from './decision-messages.js';
import { actorOf, optionalText, parseBody, parseQuery, queryBoolean, queryText, requiredText, rfc3339 } from './decision-request.js';
import { WhitelistGateway } from './whitelist.gateway.js';

// PUT sends the whole entry, subject included: an entry keeps its subject, and the engine refuses another.
const entryBody = z.strictObject({
  subject_type: requiredText('merchant, brand, factory or product', 20),
  subject_id: requiredText("the archive record's id", 200),
  effect: requiredText('exempt or reduced', 20),
  reason: requiredText('why the subject is whitelisted', 2_000),
  owner: requiredText('who answers for the entry', 200),
  expires_at: rfc3339,
});
const revokeBody = z.strictObject({ reason: optionalText('why the entry is revoked') });
const listQuery = z.strictObject({
  subject_type: queryText('a subject type').optional(),
  subject_id: queryText('a subject id').optional(),
  include_inactive: queryBoolean('include expired and revoked entries').optional(),
});

const actorHeader = { name: 'X-Traceport-Actor', description: 'Who makes the change, for the history (operations when absent).' };
const ifMatch = { name: 'If-Match', description: 'The version you read (its ETag, e.g. "3"): the change is refused with 409 if the entry moved on.' };
const etag = { ETag: 'The version, quoted: send it back in If-Match.' };

/** `If-Match: "3"` (or 3): change the entry only if it is still at version 3. */
function expectedVersionOf(ifMatch: string | undefined): number {
  if (ifMatch === undefined) return 0;
  const version = Number(ifMatch.replace(/^W\//, '').replaceAll('"', ''));
  if (!Number.isInteger(version) || version < 1) throw invalid('invalid-if-match', 'If-Match must be the entry version you read, e.g. "3"', [{ field: 'If-Match', message: 'a version' }]);
  return version;
}

function withEtag(response: Response, entry: WhitelistEntryMessage) {
  response.setHeader('ETag', `"${entry.version}"`);
  return whitelistEntryJson(entry);
}

/**
 * Whitelist entries (REST and gRPC): merchants, brands, factories or products exempted from
 * inspection or inspected under the reduced plan, with reason, owner, expiry and an audit trail.
 */
@ApiTags('Whitelist')
@Controller('v1/whitelist')
export class WhitelistController {
  constructor(private readonly whitelist: WhitelistGateway) {}

  /** Entries in force; `include_inactive=true` adds expired and revoked ones. */
  @Get()
  @ApiDoc({
    summary: 'Whitelist entries',
    query: { schema: listQuery, describe: { subject_type: 'merchant, brand, factory or product.', subject_id: "The subject's archive id.", include_inactive: 'true: expired and revoked entries too.' } },
    response: { status: 200, description: 'The entries in force (all with include_inactive).', schema: WhitelistEntryList },
    problems: [400],
  })
  async list(@Query() query: unknown) {
    const { subject_type: subjectType, subject_id: subjectId, include_inactive: includeInactive } = parseQuery(listQuery, query);
    const list = await this.whitelist.list({ subjectType: subjectType ?? '', subjectId: subjectId ?? '', includeInactive: includeInactive ?? false });
    return { entries: list.entries.map(whitelistEntryJson) };
  }

  @Post()
  @HttpCode(201)
  @ApiDoc({
    summary: 'Whitelist a subject',
    headers: [actorHeader],
    body: { schema: entryBody },
    response: { status: 201, description: 'The entry.', schema: WhitelistEntry, headers: { Location: 'The entry.', ...etag } },
    problems: [400, 409, 413],
  })
  async create(@Body() body: unknown, @Headers('x-traceport-actor') actor: string | undefined, @Res({ passthrough: true }) response: Response) {
    const fields = parseBody(entryBody, body);
    const created = await this.whitelist.create({
      id: '',
      subjectType: fields.subject_type,
      subjectId: fields.subject_id,
      effect: fields.effect,
      reason: fields.reason,
      owner: fields.owner,
      expiresAt: fields.expires_at,
      actor: actorOf(actor),
      expectedVersion: 0,
    });
    response.location(`/v1/whitelist/${created.id}`);
    return withEtag(response, created);
  }

  /** Changes effect, reason, owner or expiry (the whole entry is sent); with If-Match, only if nobody changed it since. */
  @Put(':id')
  @ApiDoc({
    summary: "Change an entry's effect, reason, owner or expiry",
    description: 'The whole entry is sent; its subject cannot change.',
    params: { id: 'The entry id.' },
    headers: [ifMatch, actorHeader],
    body: { schema: entryBody },
    response: { status: 200, description: 'The entry.', schema: WhitelistEntry, headers: etag },
    problems: [400, 404, 409, 413],
  })
  async update(
    @Param('id') id: string,
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Headers('x-traceport-actor') actor: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const fields = parseBody(entryBody, body);
    const updated = await this.whitelist.update({
      id,
      subjectType: fields.subject_type,
      subjectId: fields.subject_id,
      effect: fields.effect,
      reason: fields.reason,
      owner: fields.owner,
      expiresAt: fields.expires_at,
      actor: actorOf(actor),
      expectedVersion: expectedVersionOf(ifMatch),
    });
    return withEtag(response, updated);
  }

  @Post(':id/revoke')
  @HttpCode(200)
  @ApiDoc({
    summary: 'Revoke an entry',
    params: { id: 'The entry id.' },
    headers: [actorHeader],
    body: { schema: revokeBody, required: false },
    response: { status: 200, description: 'The revoked entry.', schema: WhitelistEntry, headers: etag },
    problems: [400, 404, 409],
  })
  async revoke(@Param('id') id: string, @Body() body: unknown, @Headers('x-traceport-actor') actor: string | undefined, @Res({ passthrough: true }) response: Response) {
    const { reason } = parseBody(revokeBody, body);
    return withEtag(response, await this.whitelist.revoke({ id, reason: reason ?? '', actor: actorOf(actor) }));
  }

  /** Who changed what and when, oldest first, with the entry before and after each change. */
  @Get(':id/history')
  @ApiDoc({
    summary: "An entry's audit trail",
    params: { id: 'The entry id.' },
    response: { status: 200, description: 'Who changed what and when, oldest first, with the entry before and after.', schema: WhitelistHistory },
    problems: [404],
  })
  async history(@Param('id') id: string) {
    return { events: (await this.whitelist.history(id)).events.map(whitelistAuditEventJson) };
  }

  @GrpcMethod('WhitelistService', 'CreateEntry')
  createEntry(request: SaveWhitelistEntryRequest, _metadata: Metadata, call: ServerUnaryCall<unknown, unknown>) {
    return this.whitelist.create(request, call);
  }

  @GrpcMethod('WhitelistService', 'UpdateEntry')
  updateEntry(request: SaveWhitelistEntryRequest, _metadata: Metadata, call: ServerUnaryCall<unknown, unknown>) {
    return this.whitelist.update(request, call);
  }

  @GrpcMethod('WhitelistService', 'RevokeEntry')
  revokeEntry(request: RevokeWhitelistEntryRequest, _metadata: Metadata, call: ServerUnaryCall<unknown, unknown>) {
    return this.whitelist.revoke(request, call);
  }

  @GrpcMethod('WhitelistService', 'ListEntries')
  listEntries(request: ListWhitelistEntriesRequest, _metadata: Metadata, call: ServerUnaryCall<unknown, unknown>) {
    return this.whitelist.list(request, call);
  }

  @GrpcMethod('WhitelistService', 'GetEntryHistory')
  getEntryHistory(request: { id: string }, _metadata: Metadata, call: ServerUnaryCall<unknown, unknown>) {
    return this.whitelist.history(request.id, call);
  }
}
