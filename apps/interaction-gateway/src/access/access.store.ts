import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { GATEWAY_SCHEMA } from '../config.js';
import type { Role } from './roles.js';

export interface OrganisationRow {
  readonly id: string;
  readonly name: string;
  readonly kind: Role;
  readonly merchantIds: string[];
  readonly agencyId: string | null;
  readonly createdAt: Date;
}

export interface ApiKeyRow {
  readonly id: string;
  readonly organisationId: string;
  readonly name: string;
  readonly prefix: string;
  readonly keyHash: Buffer;
  readonly bootstrap: boolean;
  readonly createdAt: Date;
  readonly expiresAt: Date | null;
  readonly revokedAt: Date | null;
  readonly lastUsedAt: Date | null;
}

const S = `"${GATEWAY_SCHEMA}"`;
const ORGANISATION_COLUMNS = `o."id", o."name", o."kind", o."merchant_ids"::text[] AS "merchantIds", o."agency_id" AS "agencyId", o."created_at" AS "createdAt"`;
const KEY_COLUMNS = `k."id", k."organisation_id" AS "organisationId", k."name", k."prefix", k."key_hash" AS "keyHash", k."bootstrap",
  k."created_at" AS "createdAt", k."expires_at" AS "expiresAt", k."revoked_at" AS "revokedAt", k."last_used_at" AS "lastUsedAt"`;

/** SQL for organisations and API keys in the gateway's schema. */
@Injectable()
export class AccessStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insertOrganisation(row: Omit<OrganisationRow, 'createdAt'>): Promise<OrganisationRow> {
    const [created] = (await this.dataSource.query(
      `INSERT INTO ${S}."organisations" AS o ("id", "name", "kind", "merchant_ids", "agency_id") VALUES ($1, $2, $3, $4::uuid[], $5)
       ON CONFLICT ("id") DO NOTHING RETURNING ${ORGANISATION_COLUMNS}`,
      [row.id, row.name, row.kind, row.merchantIds, row.agencyId],
    )) as OrganisationRow[];
    if (created !== undefined) return created;
    // Already there (the bootstrap organisation on every boot after the first).
    const existing = await this.organisation(row.id);
    if (existing === null) throw new Error(`organisation ${row.id} neither inserted nor found`);
    return existing;
  }

  async organisations(): Promise<OrganisationRow[]> {
    return (await this.dataSource.query(`SELECT ${ORGANISATION_COLUMNS} FROM ${S}."organisations" o ORDER BY o."created_at", o."id"`)) as OrganisationRow[];
  }

  async organisation(id: string): Promise<OrganisationRow | null> {
    const [row] = (await this.dataSource.query(`SELECT ${ORGANISATION_COLUMNS} FROM ${S}."organisations" o WHERE o."id" = $1`, [id])) as OrganisationRow[];
    return row ?? null;
  }

  async insertKey(row: Omit<ApiKeyRow, 'createdAt' | 'revokedAt' | 'lastUsedAt'>): Promise<ApiKeyRow> {
    const [created] = (await this.dataSource.query(
      `INSERT INTO ${S}."api_keys" AS k ("id", "organisation_id", "name", "prefix", "key_hash", "bootstrap", "expires_at") VALUES ($1, $2, $3, $4, $5, $6, $7)
       RETURNING ${KEY_COLUMNS}`,
      [row.id, row.organisationId, row.name, row.prefix, row.keyHash, row.bootstrap, row.expiresAt],
    )) as ApiKeyRow[];
    if (created === undefined) throw new Error('INSERT … RETURNING returned no row');
    return created;
  }

  async keysOf(organisationId: string): Promise<ApiKeyRow[]> {
    return (await this.dataSource.query(`SELECT ${KEY_COLUMNS} FROM ${S}."api_keys" k WHERE k."organisation_id" = $1 ORDER BY k."created_at", k."id"`, [
      organisationId,
    ])) as ApiKeyRow[];
  }

  async key(id: string): Promise<ApiKeyRow | null> {
    const [row] = (await this.dataSource.query(`SELECT ${KEY_COLUMNS} FROM ${S}."api_keys" k WHERE k."id" = $1`, [id])) as ApiKeyRow[];
    return row ?? null;
  }

  /** A key by its public prefix, with its organisation: one round trip per authentication. */
  async keyByPrefix(prefix: string): Promise<{ key: ApiKeyRow; organisation: OrganisationRow } | null> {
    const rows = (await this.dataSource.query(
      `SELECT ${KEY_COLUMNS}, o."name" AS "orgName", o."kind" AS "orgKind", o."merchant_ids"::text[] AS "orgMerchantIds", o."agency_id" AS "orgAgencyId",
              o."created_at" AS "orgCreatedAt"
       FROM ${S}."api_keys" k JOIN ${S}."organisations" o ON o."id" = k."organisation_id" WHERE k."prefix" = $1`,
      [prefix],
    )) as (ApiKeyRow & { orgName: string; orgKind: Role; orgMerchantIds: string[]; orgAgencyId: string | null; orgCreatedAt: Date })[];
    const row = rows[0];
    if (row === undefined) return null;
    const { orgName, orgKind, orgMerchantIds, orgAgencyId, orgCreatedAt, ...key } = row;
    return { key, organisation: { id: key.organisationId, name: orgName, kind: orgKind, merchantIds: orgMerchantIds, agencyId: orgAgencyId, createdAt: orgCreatedAt } };
  }

  /** Revokes a key once; answers the row as it now is (null when there is no such key). */
  async revokeKey(id: string): Promise<ApiKeyRow | null> {
    await this.dataSource.query(`UPDATE ${S}."api_keys" SET "revoked_at" = now() WHERE "id" = $1 AND "revoked_at" IS NULL`, [id]);
    return this.key(id);
  }

  /** Revokes every bootstrap key but the one with this prefix: a new bootstrap secret retires the old. */
  async revokeOtherBootstrapKeys(prefix: string): Promise<number> {
    const rows = (await this.dataSource.query(
      `UPDATE ${S}."api_keys" SET "revoked_at" = now() WHERE "bootstrap" AND "prefix" <> $1 AND "revoked_at" IS NULL RETURNING "id"`,
      [prefix],
    )) as [unknown[], number] | unknown[];
    return Array.isArray(rows[0]) ? (rows[0] as unknown[]).length : rows.length;
  }

  async touchKeys(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.dataSource.query(`UPDATE ${S}."api_keys" SET "last_used_at" = now() WHERE "id" = ANY($1::uuid[])`, [ids]);
  }
}
