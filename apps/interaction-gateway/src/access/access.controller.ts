import { Body, Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { DomainException } from '@traceport/errors';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { parseBody } from '../decision/decision-request.js';
import { ApiDoc } from '../openapi/api-doc.decorator.js';
import { ApiKey, CreatedApiKey, NewApiKey, NewOrganisation, Organisation, WhoAmI } from './access.schemas.js';
import { AccessService } from './access.service.js';
import type { ApiKeyRow, OrganisationRow } from './access.store.js';
import { principalOf } from './principal.js';
import type { Role } from './roles.js';

function organisationJson(row: OrganisationRow) {
  return { id: row.id, name: row.name, kind: row.kind, merchantIds: row.merchantIds, agencyId: row.agencyId, createdAt: row.createdAt.toISOString() };
}

function apiKeyJson(row: ApiKeyRow, role: Role) {
  return {
    id: row.id,
    organisationId: row.organisationId,
    name: row.name,
    prefix: row.prefix,
    role,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
  };
}

/** Organisations, their API keys, and who a key is (REST). Only platform admins manage access. */
@ApiTags('Access')
@Controller('v1')
export class AccessController {
  constructor(private readonly access: AccessService) {}

  @Get('auth/whoami')
  @ApiDoc({
    summary: 'Who the presented API key is',
    description: 'Its id, role and organisation, and when it expires: what a client (the console) checks on login.',
    response: { status: 200, description: 'The key.', schema: WhoAmI },
    problems: [401],
  })
  whoami(@Req() request: Request) {
    const principal = principalOf(request);
    if (principal === null) throw new DomainException('api-key-required', 'unauthenticated', 'send an API key: Authorization: Bearer tp_…');
    return {
      keyId: principal.keyId,
      role: principal.role,
      organisation: { id: principal.organisation.id, name: principal.organisation.name, kind: principal.organisation.kind },
      expiresAt: principal.expiresAt,
    };
  }

  @Post('organisations')
  @HttpCode(201)
  @ApiDoc({
    summary: 'Create an organisation',
    description: 'Its kind is the role of every key it holds. A merchant organisation is bound to its merchants, an inspection agency to its agency id.',
    body: { schema: NewOrganisation },
    response: { status: 201, description: 'The organisation.', schema: Organisation, headers: { Location: 'The organisation.' } },
    problems: [400, 401, 403],
  })
  async createOrganisation(@Body() body: unknown, @Res({ passthrough: true }) response: Response) {
    const fields = parseBody(NewOrganisation, body);
    const created = await this.access.createOrganisation({ name: fields.name, kind: fields.kind, merchantIds: fields.merchantIds, agencyId: fields.agencyId ?? null });
    response.location(`/v1/organisations/${created.id}`);
    return organisationJson(created);
  }

  @Get('organisations')
  @ApiDoc({ summary: 'Every organisation', response: { status: 200, description: 'Oldest first.', schema: z.object({ items: z.array(Organisation) }) }, problems: [401, 403] })
  async organisations() {
    return { items: (await this.access.organisations()).map(organisationJson) };
  }

  @Get('organisations/:id')
  @ApiDoc({ summary: 'An organisation', params: { id: "The organisation's id." }, response: { status: 200, description: 'The organisation.', schema: Organisation }, problems: [401, 403, 404] })
  async organisation(@Param('id') id: string) {
    return organisationJson(await this.access.organisation(id));
  }

  @Post('organisations/:id/keys')
  @HttpCode(201)
  @ApiDoc({
    summary: 'Create an API key for an organisation',
    description: 'The answer carries the key itself, once: only its hash is stored. The key acts with the organisation\'s role.',
    params: { id: "The organisation's id." },
    body: { schema: NewApiKey, required: false },
    response: { status: 201, description: 'The key, with its secret.', schema: CreatedApiKey },
    problems: [400, 401, 403, 404],
  })
  async createKey(@Param('id') organisationId: string, @Body() body: unknown) {
    const fields = parseBody(NewApiKey, body);
    const organisation = await this.access.organisation(organisationId);
    const { row, key } = await this.access.createKey(organisation.id, fields.name, fields.expiresAt === undefined ? null : new Date(fields.expiresAt));
    return { ...apiKeyJson(row, organisation.kind), key };
  }

  @Get('organisations/:id/keys')
  @ApiDoc({
    summary: "An organisation's API keys",
    description: 'Without their secrets: each by its public prefix.',
    params: { id: "The organisation's id." },
    response: { status: 200, description: 'Oldest first, revoked and expired ones included.', schema: z.object({ items: z.array(ApiKey) }) },
    problems: [401, 403, 404],
  })
  async keys(@Param('id') organisationId: string) {
    const organisation = await this.access.organisation(organisationId);
    return { items: (await this.access.keysOf(organisation.id)).map((row) => apiKeyJson(row, organisation.kind)) };
  }

  @Post('keys/:id/revoke')
  @HttpCode(200)
  @ApiDoc({
    summary: 'Revoke an API key',
    description: 'At once on this gateway replica, within AUTH_CACHE_TTL_MS on the others. Revoking a revoked key changes nothing.',
    params: { id: "The key's id." },
    response: { status: 200, description: 'The key, revoked.', schema: ApiKey },
    problems: [401, 403, 404],
  })
  async revoke(@Param('id') id: string) {
    const revoked = await this.access.revokeKey(id);
    const organisation = await this.access.organisation(revoked.organisationId);
    return apiKeyJson(revoked, organisation.kind);
  }
}
