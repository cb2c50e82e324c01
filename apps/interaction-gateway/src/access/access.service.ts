import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { DomainException, notFound } from '@traceport/errors';
import { generateApiKey, parseApiKey, sameHash } from './api-key.js';
import { ACCESS_OPTIONS, type AccessOptions } from './access.options.js';
import { AccessStore, type ApiKeyRow, type OrganisationRow } from './access.store.js';
import type { Principal } from './principal.js';
import type { Role } from './roles.js';

/** The organisation that holds the bootstrap admin key: a fixed id, so every replica ensures the same one. */
export const BOOTSTRAP_ORGANISATION_ID = '00000000-0000-4000-8000-000000000001';

export interface NewOrganisation {
  readonly name: string;
  readonly kind: Role;
  readonly merchantIds: readonly string[];
  readonly agencyId: string | null;
}

type KeyWithOrganisation = { key: ApiKeyRow; organisation: OrganisationRow };

const unauthenticated = (code: string, message: string) => new DomainException(code, 'unauthenticated', message);
const CACHE_LIMIT = 10_000;
const TOUCH_INTERVAL_MS = 10_000;

/** Organisations, their API keys, and turning a presented key into a principal. */
@Injectable()
export class AccessService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('AccessService');
  private readonly verified = new Map<string, { found: KeyWithOrganisation; at: number }>();
  private readonly used = new Set<string>();
  private touchTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: AccessStore,
    @Inject(ACCESS_OPTIONS) private readonly options: AccessOptions,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.options.bootstrapAdminKey !== undefined) await this.ensureBootstrapAdmin(this.options.bootstrapAdminKey);
    else this.logger.warn('no BOOTSTRAP_ADMIN_KEY: only keys already in the database can call protected routes');
    // last_used_at is a hint for operators, written in batches rather than on every request.
    this.touchTimer = setInterval(() => void this.flushUsage(), TOUCH_INTERVAL_MS);
    this.touchTimer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.touchTimer);
    await this.flushUsage();
  }

  /** A platform-admin organisation holding a key with the bootstrap key's hash; an older bootstrap key is revoked. */
  private async ensureBootstrapAdmin(bootstrapKey: string): Promise<void> {
    const parsed = parseApiKey(bootstrapKey);
    if (parsed === null) throw new Error('BOOTSTRAP_ADMIN_KEY is not a Traceport API key');
    await this.store.insertOrganisation({ id: BOOTSTRAP_ORGANISATION_ID, name: 'Platform administration', kind: 'platform-admin', merchantIds: [], agencyId: null });
    const existing = await this.store.keyByPrefix(parsed.prefix);
    if (existing === null) {
      await this.store.insertKey({
        id: randomUUID(),
        organisationId: BOOTSTRAP_ORGANISATION_ID,
        name: 'bootstrap admin key',
        prefix: parsed.prefix,
        keyHash: parsed.hash,
        bootstrap: true,
        expiresAt: null,
      });
    } else if (!sameHash(existing.key.keyHash, parsed.hash) || existing.key.organisationId !== BOOTSTRAP_ORGANISATION_ID) {
      throw new Error(`BOOTSTRAP_ADMIN_KEY's prefix ${parsed.prefix} belongs to another key; generate a new bootstrap key`);
    }
    const retired = await this.store.revokeOtherBootstrapKeys(parsed.prefix);
    this.logger.log(`bootstrap admin key tp_${parsed.prefix}_… is in force${retired > 0 ? `; ${retired} older bootstrap key(s) revoked` : ''}`);
  }

  /** The principal for a presented key, or 401 saying whether it is unknown, expired or revoked (never echoing it). */
  async authenticate(token: string): Promise<Principal> {
    const parsed = parseApiKey(token);
    if (parsed === null) throw unauthenticated('invalid-api-key', 'the API key is not valid');
    const found = await this.lookup(parsed.prefix);
    if (found === null || !sameHash(found.key.keyHash, parsed.hash)) throw unauthenticated('invalid-api-key', 'the API key is not valid');
    if (found.key.revokedAt !== null) throw unauthenticated('api-key-revoked', `the API key tp_${parsed.prefix}_… was revoked`);
    if (found.key.expiresAt !== null && found.key.expiresAt.getTime() <= Date.now()) {
      throw unauthenticated('api-key-expired', `the API key tp_${parsed.prefix}_… expired at ${found.key.expiresAt.toISOString()}`);
    }
    this.used.add(found.key.id);
    const { organisation, key } = found;
    return {
      keyId: key.id,
      keyPrefix: key.prefix,
      role: organisation.kind,
      organisation: { id: organisation.id, name: organisation.name, kind: organisation.kind, merchantIds: organisation.merchantIds, agencyId: organisation.agencyId },
      expiresAt: key.expiresAt?.toISOString() ?? null,
    };
  }

  private async lookup(prefix: string): Promise<KeyWithOrganisation | null> {
    const cached = this.verified.get(prefix);
    if (cached !== undefined && Date.now() - cached.at < this.options.cacheTtlMs) return cached.found;
    const found = await this.store.keyByPrefix(prefix).catch((error: unknown) => {
      // Without its key table the gateway cannot tell who calls: 503, not 500 and not a guess.
      this.logger.error(`cannot read API keys: ${(error as Error).message}`);
      throw new DomainException('access-store-unavailable', 'unavailable', 'API keys cannot be checked right now; retry shortly');
    });
    if (found === null) {
      this.verified.delete(prefix);
      return null;
    }
    if (this.verified.size >= CACHE_LIMIT) this.verified.clear();
    this.verified.set(prefix, { found, at: Date.now() });
    return found;
  }

  createOrganisation(organisation: NewOrganisation): Promise<OrganisationRow> {
    return this.store.insertOrganisation({ id: randomUUID(), ...organisation, merchantIds: [...organisation.merchantIds] });
  }

  organisations(): Promise<OrganisationRow[]> {
    return this.store.organisations();
  }

  async organisation(id: string): Promise<OrganisationRow> {
    const found = isUuid(id) ? await this.store.organisation(id) : null;
    if (found === null) throw notFound('organisation-not-found', `no organisation ${id}`);
    return found;
  }

  /** A new key for an organisation: the key itself is in the answer only, never stored. */
  async createKey(organisationId: string, name: string, expiresAt: Date | null): Promise<{ row: ApiKeyRow; key: string }> {
    await this.organisation(organisationId);
    const generated = generateApiKey();
    const row = await this.store.insertKey({ id: randomUUID(), organisationId, name, prefix: generated.prefix, keyHash: generated.hash, bootstrap: false, expiresAt });
    return { row, key: generated.key };
  }

  async keysOf(organisationId: string): Promise<ApiKeyRow[]> {
    await this.organisation(organisationId);
    return this.store.keysOf(organisationId);
  }

  async revokeKey(id: string): Promise<ApiKeyRow> {
    const revoked = isUuid(id) ? await this.store.revokeKey(id) : null;
    if (revoked === null) throw notFound('api-key-not-found', `no API key ${id}`);
    // This replica stops accepting it at once; others within AUTH_CACHE_TTL_MS.
    this.verified.delete(revoked.prefix);
    return revoked;
  }

  private async flushUsage(): Promise<void> {
    const ids = [...this.used];
    this.used.clear();
    try {
      await this.store.touchKeys(ids);
    } catch (error) {
      this.logger.warn(`could not record key usage: ${(error as Error).message}`);
    }
  }
}

function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
