import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { ClientGrpc } from '@nestjs/microservices';
import { DomainException } from '@traceport/errors';
import { callUpstream, type UpstreamMethod } from '../upstream/upstream-call.js';
import { DATA_SERVICE_CLIENT, UPSTREAM_TIMEOUT_MS } from '../upstream/upstream.tokens.js';
import type { IdentityLookup, IssuedIdentity } from './identity-lookup.js';

interface IdentityMessage {
  gtin: string;
  serial: string;
  lotId: string;
  expiryDate: string;
  issuanceId: string;
  digitalLink: string;
  issuanceProof: { recordKey: string; serialsRoot: string; leafIndex: number; treeSize: number; inclusionPath: string[] } | null;
}

interface IssuanceMessage {
  id: string;
  status: string;
  recordKey: string;
  recordJson: string;
}

interface IdentityServiceClient {
  getIdentity: UpstreamMethod<{ gtin: string; serial: string }, IdentityMessage>;
  getIssuance: UpstreamMethod<{ id: string }, IssuanceMessage>;
}

const ISSUANCE_CACHE_SIZE = 256;

/**
 * Looks a scanned code up in the data-service's identities. A finished issuance never changes, so
 * its record is cached: a scan costs one identity lookup, not two.
 */
@Injectable()
export class IdentityLookupGateway implements IdentityLookup, OnModuleInit {
  private identities!: IdentityServiceClient;
  private readonly issuances = new Map<string, IssuanceMessage>();

  constructor(
    @Inject(DATA_SERVICE_CLIENT) private readonly client: ClientGrpc,
    @Inject(UPSTREAM_TIMEOUT_MS) private readonly timeoutMs: number,
  ) {}

  onModuleInit(): void {
    this.identities = this.client.getService<IdentityServiceClient>('IdentityService');
  }

  async find(gtin: string, serial: string): Promise<IssuedIdentity | null> {
    let identity: IdentityMessage;
    try {
      identity = await callUpstream(this.identities.getIdentity.bind(this.identities), { gtin, serial }, this.timeoutMs);
    } catch (error) {
      if (error instanceof DomainException && (error.kind === 'not_found' || error.kind === 'invalid')) return null;
      throw error;
    }
    const issuance = await this.issuance(identity.issuanceId);
    const proof = identity.issuanceProof;
    return {
      gtin: identity.gtin,
      serial: identity.serial,
      lotId: identity.lotId,
      expiry: identity.expiryDate || null,
      digitalLink: identity.digitalLink,
      issuanceRecordType: 'identity.issuance',
      issuanceRecordKey: issuance.recordKey,
      issuanceRecord: JSON.parse(issuance.recordJson) as Record<string, unknown>,
      issuanceProof: { leafIndex: proof?.leafIndex ?? 0, treeSize: proof?.treeSize ?? 0, inclusionPath: proof?.inclusionPath ?? [], serialsRoot: proof?.serialsRoot ?? '' },
    };
  }

  private async issuance(id: string): Promise<IssuanceMessage> {
    const cached = this.issuances.get(id);
    if (cached !== undefined) return cached;
    const issuance = await callUpstream(this.identities.getIssuance.bind(this.identities), { id }, this.timeoutMs);
    if (this.issuances.size >= ISSUANCE_CACHE_SIZE) this.issuances.delete(this.issuances.keys().next().value!);
    this.issuances.set(id, issuance);
    return issuance;
  }
}
