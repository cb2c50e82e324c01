import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { WhitelistService, type WhitelistEntryView } from './whitelist.service.js';

interface SaveWhitelistEntryRequest {
  id: string;
  subjectType: string;
  subjectId: string;
  effect: string;
  reason: string;
  owner: string;
  expiresAt: string;
  actor: string;
  expectedVersion: number;
}

const messageOf = (entry: WhitelistEntryView) => ({ ...entry, revokedAt: entry.revokedAt ?? '' });
const inputOf = (request: SaveWhitelistEntryRequest) => ({
  subjectType: request.subjectType as never,
  subjectId: request.subjectId,
  effect: request.effect as never,
  reason: request.reason,
  owner: request.owner,
  expiresAt: request.expiresAt,
});

@Controller()
export class WhitelistGrpcController {
  constructor(private readonly whitelist: WhitelistService) {}

  @GrpcMethod('WhitelistService', 'CreateEntry')
  async createEntry(request: SaveWhitelistEntryRequest) {
    return messageOf(await this.whitelist.create(inputOf(request), request.actor));
  }

  @GrpcMethod('WhitelistService', 'UpdateEntry')
  async updateEntry(request: SaveWhitelistEntryRequest) {
    return messageOf(await this.whitelist.update(request.id, inputOf(request), request.actor, request.expectedVersion));
  }

  @GrpcMethod('WhitelistService', 'RevokeEntry')
  async revokeEntry(request: { id: string; reason: string; actor: string }) {
    return messageOf(await this.whitelist.revoke(request.id, request.reason, request.actor));
  }

  @GrpcMethod('WhitelistService', 'ListEntries')
  async listEntries(request: { subjectType: string; subjectId: string; includeInactive: boolean }) {
    return { entries: (await this.whitelist.list(request)).map(messageOf) };
  }

  @GrpcMethod('WhitelistService', 'GetEntryHistory')
  async getEntryHistory(request: { id: string }) {
    const events = await this.whitelist.history(request.id);
    return { events: events.map((event) => ({ action: event.action, actor: event.actor, at: event.at, beforeJson: event.before === null ? '' : JSON.stringify(event.before), afterJson: JSON.stringify(event.after) })) };
  }
}
