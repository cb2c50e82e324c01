import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DecisionRecordTypes, RecordTypes } from '@traceport/contracts';
import { conflict, invalid, notFound, type FieldViolation } from '@traceport/errors';
import { DataSource, type EntityManager } from 'typeorm';
import { z } from 'zod';
import { DECISION_ENGINE_SCHEMA } from '../config.js';
import type { AppliedWhitelistEntry } from '../decision/decision-policy.js';
import { publishDecisionRecord } from '../decision/decision-records.js';

const S = `"${DECISION_ENGINE_SCHEMA}"`;

export const WHITELIST_SUBJECTS = { merchant: RecordTypes.merchant, brand: RecordTypes.brand, factory: RecordTypes.factory, product: RecordTypes.product } as const;
type SubjectType = keyof typeof WHITELIST_SUBJECTS;

const entryInputSchema = z.object({
  subjectType: z.enum(['merchant', 'brand', 'factory', 'product']),
  subjectId: z.uuid('the archive record id (a UUID)'),
  effect: z.enum(['exempt', 'reduced']),
  reason: z.string().trim().min(1, 'required').max(1_000),
  owner: z.string().trim().min(1, 'required').max(200),
  expiresAt: z.iso.datetime({ offset: true, message: 'an RFC 3339 time' }),
});
export type WhitelistEntryInput = z.input<typeof entryInputSchema>;

interface EntryRow {
  id: string;
  version: number;
  subject_type: SubjectType;
  subject_id: string;
  effect: 'exempt' | 'reduced';
  reason: string;
  owner: string;
  expires_at: Date;
  revoked_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** A whitelist entry as the API shows it and the ledger anchors each version of it. */
export interface WhitelistEntryView {
  readonly id: string;
  readonly version: number;
  readonly subjectType: SubjectType;
  readonly subjectId: string;
  readonly effect: 'exempt' | 'reduced';
  readonly reason: string;
  readonly owner: string;
  readonly expiresAt: string;
  readonly status: 'active' | 'expired' | 'revoked';
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly revokedAt: string | null;
}

export interface WhitelistAuditView {
  readonly action: string;
  readonly actor: string;
  readonly at: string;
  readonly before: WhitelistEntryView | null;
  readonly after: WhitelistEntryView;
}

function viewOf(row: EntryRow, now = new Date()): WhitelistEntryView {
  return {
    id: row.id,
    version: row.version,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    effect: row.effect,
    reason: row.reason,
    owner: row.owner,
    expiresAt: row.expires_at.toISOString(),
    status: row.revoked_at !== null ? 'revoked' : row.expires_at <= now ? 'expired' : 'active',
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    revokedAt: row.revoked_at?.toISOString() ?? null,
  };
}

const COLUMNS = `"id", "version", "subject_type", "subject_id", "effect", "reason", "owner", "expires_at", "revoked_at", "created_at", "updated_at"`;

/**
 * Merchants, brands, factories and products exempted from inspection or given reduced inspection.
 * Every change is a new version with an audit row saying who did what, and is anchored; an entry
 * applies only while it is neither revoked nor past its expiry, so an expired one stops by itself.
 */
@Injectable()
export class WhitelistService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async create(input: WhitelistEntryInput, actor: string): Promise<WhitelistEntryView> {
    const entry = parseEntry(input);
    return this.dataSource.transaction(async (manager) => {
      await assertSubjectKnown(manager, entry.subjectType, entry.subjectId);
      const rows: EntryRow[] = await manager.query(
        `INSERT INTO ${S}."whitelist_entries" ("id", "version", "subject_type", "subject_id", "effect", "reason", "owner", "expires_at")
         VALUES (gen_random_uuid(), 1, $1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
        [entry.subjectType, entry.subjectId, entry.effect, entry.reason, entry.owner, entry.expiresAt],
      );
      return this.recordChange(manager, 'created', actor, null, rows[0]!);
    });
  }

  async update(id: string, input: WhitelistEntryInput, actor: string, expectedVersion: number): Promise<WhitelistEntryView> {
    const entry = parseEntry(input);
    return this.dataSource.transaction(async (manager) => {
      const before = await this.lock(manager, id);
      if (before.revoked_at !== null) throw conflict('whitelist-entry-revoked', `whitelist entry ${id} is revoked; create a new one`);
      if (expectedVersion > 0 && before.version !== expectedVersion) {
        throw conflict('whitelist-entry-moved', `whitelist entry ${id} is at version ${before.version}, not ${expectedVersion}`);
      }
      if (entry.subjectType !== before.subject_type || entry.subjectId !== before.subject_id) {
        throw invalid('invalid-whitelist-entry', 'an entry keeps its subject; revoke it and create another', [{ field: 'subject_id', message: 'cannot change' }]);
      }
      const rows: EntryRow[] = await manager.query(
        `WITH changed AS (UPDATE ${S}."whitelist_entries" SET "version" = "version" + 1, "effect" = $2, "reason" = $3, "owner" = $4, "expires_at" = $5, "updated_at" = now()
         WHERE "id" = $1 RETURNING ${COLUMNS}) SELECT * FROM changed`,
        [id, entry.effect, entry.reason, entry.owner, entry.expiresAt],
      );
      return this.recordChange(manager, 'updated', actor, before, rows[0]!);
    });
  }

  async revoke(id: string, reason: string, actor: string): Promise<WhitelistEntryView> {
    return this.dataSource.transaction(async (manager) => {
      const before = await this.lock(manager, id);
      if (before.revoked_at !== null) return viewOf(before);
      const rows: EntryRow[] = await manager.query(
        `WITH changed AS (UPDATE ${S}."whitelist_entries" SET "version" = "version" + 1, "revoked_at" = now(), "updated_at" = now(),
           "reason" = CASE WHEN $2 = '' THEN "reason" ELSE "reason" || ' — revoked: ' || $2 END
         WHERE "id" = $1 RETURNING ${COLUMNS}) SELECT * FROM changed`,
        [id, reason.trim().slice(0, 500)],
      );
      return this.recordChange(manager, 'revoked', actor, before, rows[0]!);
    });
  }

  async list(filter: { subjectType: string; subjectId: string; includeInactive: boolean }): Promise<WhitelistEntryView[]> {
    const rows: EntryRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM ${S}."whitelist_entries"
       WHERE ($1 = '' OR "subject_type" = $1) AND ($2 = '' OR "subject_id"::text = $2) AND ($3 OR ("revoked_at" IS NULL AND "expires_at" > now()))
       ORDER BY "created_at" DESC LIMIT 1000`,
      [filter.subjectType, filter.subjectId, filter.includeInactive],
    );
    return rows.map((row) => viewOf(row));
  }

  async history(id: string): Promise<WhitelistAuditView[]> {
    const rows: { action: string; actor: string; at: Date; before: WhitelistEntryView | null; after: WhitelistEntryView }[] = await this.dataSource.query(
      `SELECT "action", "actor", "at", "before", "after" FROM ${S}."whitelist_audit" WHERE "entry_id"::text = $1 ORDER BY "seq"`,
      [id],
    );
    if (rows.length === 0) throw notFound('whitelist-entry-not-found', `no whitelist entry ${id}`);
    return rows.map((row) => ({ ...row, at: row.at.toISOString() }));
  }

  /** Entries in force at a time for a lot's merchant, brand, factory and product. */
  async applicable(manager: EntityManager, subjects: Partial<Record<SubjectType, string>>, at: Date): Promise<AppliedWhitelistEntry[]> {
    const pairs = Object.entries(subjects).filter((pair): pair is [SubjectType, string] => typeof pair[1] === 'string' && pair[1] !== '');
    if (pairs.length === 0) return [];
    const rows: EntryRow[] = await manager.query(
      `SELECT ${COLUMNS.replace(/"(\w+)"/g, 'e."$1"')} FROM ${S}."whitelist_entries" e JOIN unnest($1::text[], $2::uuid[]) AS s ("type", "id") ON e."subject_type" = s."type" AND e."subject_id" = s."id"
       WHERE e."revoked_at" IS NULL AND e."expires_at" > $3 ORDER BY e."created_at"`,
      [pairs.map((pair) => pair[0]), pairs.map((pair) => pair[1]), at],
    );
    return rows.map((row) => ({ id: row.id, version: row.version, subjectType: row.subject_type, subjectId: row.subject_id, effect: row.effect, reason: row.reason }));
  }

  private async lock(manager: EntityManager, id: string): Promise<EntryRow> {
    const rows: EntryRow[] = z.uuid().safeParse(id).success ? await manager.query(`SELECT ${COLUMNS} FROM ${S}."whitelist_entries" WHERE "id" = $1 FOR UPDATE`, [id]) : [];
    if (rows[0] === undefined) throw notFound('whitelist-entry-not-found', `no whitelist entry ${id}`);
    return rows[0];
  }

  private async recordChange(manager: EntityManager, action: 'created' | 'updated' | 'revoked', actor: string, before: EntryRow | null, after: EntryRow): Promise<WhitelistEntryView> {
    const view = viewOf(after);
    const who = actor.trim() === '' ? 'unknown' : actor.trim().slice(0, 200);
    await manager.query(`INSERT INTO ${S}."whitelist_audit" ("entry_id", "action", "actor", "before", "after") VALUES ($1, $2, $3, $4, $5)`, [
      after.id,
      action,
      who,
      before === null ? null : JSON.stringify(viewOf(before)),
      JSON.stringify(view),
    ]);
    await publishDecisionRecord(manager, DecisionRecordTypes.whitelistEntry, { ...view, change: action, changedBy: who }, after.id);
    return view;
  }
}

function parseEntry(input: WhitelistEntryInput): z.infer<typeof entryInputSchema> {
  const parsed = entryInputSchema.safeParse(input);
  if (!parsed.success) {
    const violations: FieldViolation[] = parsed.error.issues.map((issue) => ({ field: snake(String(issue.path[0] ?? 'entry')), message: issue.message }));
    throw invalid('invalid-whitelist-entry', `the whitelist entry is not valid: ${violations.map((violation) => `${violation.field}: ${violation.message}`).join('; ')}`, violations);
  }
  if (Date.parse(parsed.data.expiresAt) <= Date.now()) {
    throw invalid('invalid-whitelist-entry', 'expires_at must be in the future', [{ field: 'expires_at', message: 'in the future' }]);
  }
  return parsed.data;
}

const snake = (name: string) => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

async function assertSubjectKnown(manager: EntityManager, subjectType: SubjectType, subjectId: string): Promise<void> {
  const rows: unknown[] = await manager.query(`SELECT 1 FROM ${S}."archive_projection" WHERE "id" = $1 AND "record_type" = $2`, [subjectId, WHITELIST_SUBJECTS[subjectType]]);
  if (rows.length === 0) {
    throw invalid('invalid-whitelist-entry', `no ${subjectType} ${subjectId} in the archive (a record created a moment ago may take a second to reach the decision engine)`, [
      { field: 'subject_id', message: `an existing ${subjectType}` },
    ]);
  }
}
