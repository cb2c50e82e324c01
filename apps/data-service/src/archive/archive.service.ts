import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { archiveRecordVersionedV1, createCloudEvent, recordKeyOf } from '@traceport/contracts';
import { DomainException, invalid, type FieldViolation } from '@traceport/errors';
import { enqueueEvent, enqueueEvents, OutboxRelay } from '@traceport/messaging';
import { currentCorrelationId } from '@traceport/observability';
import { DataSource, QueryFailedError, type EntityManager } from 'typeorm';
import type { ArchiveKind } from './archive-kinds.js';
import { ArchiveMetrics } from './archive.metrics.js';
import { kindOfType } from './archive-kinds.js';
import { parseArchiveFields } from './archive-fields.parser.js';
import { recordNotFound, versionConflict } from './archive.exception.js';

export interface ArchiveView {
  readonly recordType: string;
  readonly record: Record<string, unknown> & { id: string; version: number };
  readonly recordKey: string;
}

export interface SearchQuery {
  readonly q?: string;
  readonly filters?: Readonly<Record<string, string>>;
  readonly pageSize?: number;
  readonly pageToken?: string;
}

export interface SearchPage {
  readonly items: ArchiveView[];
  readonly nextPageToken: string;
}

interface Row {
  record_type: string;
  record: ArchiveView['record'];
}

const MAX_PAGE_SIZE = 500;

function viewOf(row: Row): ArchiveView {
  return { recordType: row.record_type, record: row.record, recordKey: recordKeyOf(row.record_type, row.record.id, row.record.version) };
}

function uniqueViolation(error: unknown): string | undefined {
  if (!(error instanceof QueryFailedError)) return undefined;
  const driver = error.driverError as { code?: string; constraint?: string };
  return driver.code === '23505' ? (driver.constraint ?? '') : undefined;
}

const isUuid = (value: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);

/**
 * The versioned archive: every write validates, checks references, stores a new version (the old
 * one stays readable) and queues its anchorable event, all in one transaction.
 */
@Injectable()
export class ArchiveService {
  private readonly logger = new Logger(ArchiveService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(OutboxRelay) private readonly relay: OutboxRelay,
    private readonly metrics: ArchiveMetrics,
  ) {}

  async create(kind: ArchiveKind, input: unknown): Promise<ArchiveView> {
    const fields = parseArchiveFields(kind, input);
    const view = await this.transaction(kind, (manager) => this.write(manager, kind, crypto.randomUUID(), 1, fields));
    this.metrics.recordsWritten([view], 'created');
    this.logger.log(`${kind.noun} recorded: ${view.recordKey}`);
    return view;
  }

  /** A new version; with expectedVersion, only if the record is still at that version. */
  async update(kind: ArchiveKind, id: string, input: unknown, expectedVersion?: number): Promise<ArchiveView> {
    const fields = parseArchiveFields(kind, input);
    const view = await this.transaction(kind, async (manager) => {
      const rows: { version: number }[] = isUuid(id)
        ? await manager.query(
            `SELECT "version" FROM "data_service"."archive_records" WHERE "record_type" = $1 AND "id" = $2 AND "superseded_at" IS NULL FOR UPDATE`,
            [kind.recordType, id],
          )
        : [];
      const current = rows[0]?.version;
      if (current === undefined) throw recordNotFound(kind, `id ${id}`);
      if (expectedVersion !== undefined && expectedVersion !== current) throw versionConflict(kind, id, expectedVersion, current);
      await manager.query(
        `UPDATE "data_service"."archive_records" SET "superseded_at" = now() WHERE "record_type" = $1 AND "id" = $2 AND "version" = $3`,
        [kind.recordType, id, current],
      );
      return this.write(manager, kind, id, current + 1, fields);
    });
    this.metrics.recordsWritten([view], 'versioned');
    this.logger.log(`${kind.noun} changed: ${view.recordKey}`);
    return view;
  }

  /**
   * Bulk path (archive imports): stores first versions of already validated records whose
   * references the caller resolved, with one statement for the records and one for their events.
   */
  async insertNew(manager: EntityManager, entries: readonly { kind: ArchiveKind; id: string; fields: Record<string, unknown> }[]): Promise<ArchiveView[]> {
    if (entries.length === 0) return [];
    const recordedAt = new Date();
    const records = entries.map(({ kind, id, fields }) => ({
      recordType: kind.recordType,
      record: { id, version: 1, ...fields, recordedAt: recordedAt.toISOString() },
    }));
    await manager.query(
      `INSERT INTO "data_service"."archive_records" ("record_type", "id", "version", "record", "recorded_at")
       SELECT record_type, id, 1, record, $4 FROM unnest($1::text[], $2::uuid[], $3::jsonb[]) AS t(record_type, id, record)`,
      [records.map((item) => item.recordType), records.map((item) => item.record.id), records.map((item) => JSON.stringify(item.record)), recordedAt],
    );
    const views = records.map((item) => viewOf({ record_type: item.recordType, record: item.record }));
    const correlationId = currentCorrelationId();
    await enqueueEvents(
      manager,
      archiveRecordVersionedV1.topic,
      views.map((view) => ({
        key: view.record.id,
        event: createCloudEvent({
          type: archiveRecordVersionedV1.type,
          source: '/traceport/data-service',
          subject: view.recordKey,
          data: { recordType: view.recordType, recordKey: view.recordKey, record: view.record },
          ...(correlationId === undefined ? {} : { correlationId }),
        }),
      })),
    );
    return views;
  }

  /** After a bulk transaction committed the records insertNew stored: wakes the outbox relay and counts them. */
  published(records: readonly ArchiveView[]): void {
    this.relay.nudge();
    this.metrics.recordsWritten(records, 'created');
  }

  async current(kind: ArchiveKind, id: string): Promise<ArchiveView> {
    const rows: Row[] = isUuid(id)
      ? await this.dataSource.query(
          `SELECT "record_type", "record" FROM "data_service"."archive_records" WHERE "record_type" = $1 AND "id" = $2 AND "superseded_at" IS NULL`,
          [kind.recordType, id],
        )
      : [];
    if (rows[0] === undefined) throw recordNotFound(kind, `id ${id}`);
    return viewOf(rows[0]);
  }

  async version(kind: ArchiveKind, id: string, version: number): Promise<ArchiveView> {
    const rows: Row[] = isUuid(id)
      ? await this.dataSource.query(
          `SELECT "record_type", "record" FROM "data_service"."archive_records" WHERE "record_type" = $1 AND "id" = $2 AND "version" = $3`,
          [kind.recordType, id, version],
        )
      : [];
    if (rows[0] === undefined) throw recordNotFound(kind, `id ${id} at version ${version}`);
    return viewOf(rows[0]);
  }

  /** Every version, oldest first. */
  async history(kind: ArchiveKind, id: string): Promise<ArchiveView[]> {
    const rows: Row[] = isUuid(id)
      ? await this.dataSource.query(
          `SELECT "record_type", "record" FROM "data_service"."archive_records" WHERE "record_type" = $1 AND "id" = $2 ORDER BY "version"`,
          [kind.recordType, id],
        )
      : [];
    if (rows.length === 0) throw recordNotFound(kind, `id ${id}`);
    return rows.map(viewOf);
  }

  /** The current record whose `field` equals `value` (a natural key such as a product's GTIN). */
  async findOne(kind: ArchiveKind, field: string, value: string): Promise<ArchiveView> {
    const page = await this.search(kind, { filters: { [field]: value }, pageSize: 1 });
    if (page.items[0] === undefined) throw recordNotFound(kind, `${field} ${value}`);
    return page.items[0];
  }

  /** Current records by equality filters and a case-insensitive substring, in id order, a page at a time. */
  async search(kind: ArchiveKind, query: SearchQuery): Promise<SearchPage> {
    const violations: FieldViolation[] = [];
    const filters = query.filters ?? {};
    for (const field of Object.keys(filters)) {
      if (!kind.filters.includes(field)) violations.push({ field, message: `not a filter of ${kind.collection}; use one of ${kind.filters.join(', ')}` });
    }
    const pageSize = query.pageSize ?? 50;
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) violations.push({ field: 'page_size', message: `1 to ${MAX_PAGE_SIZE}` });
    let after: string | null = null;
    if (query.pageToken) {
      try {
        after = (JSON.parse(Buffer.from(query.pageToken, 'base64url').toString()) as { after?: unknown }).after as string;
        if (typeof after !== 'string' || !isUuid(after)) throw new Error('bad token');
      } catch {
        violations.push({ field: 'page_token', message: 'not a token this API issued' });
      }
    }
    if (violations.length > 0) throw invalid('invalid-search', `the search is not valid: ${violations.map((v) => `${v.field}: ${v.message}`).join('; ')}`, violations);
    const pattern = query.q ? `%${query.q.replace(/[\\%_]/g, (char) => `\\${char}`)}%` : null;
    const rows: (Row & { id: string })[] = await this.dataSource.query(
      `SELECT "record_type", "id", "record" FROM "data_service"."archive_records"
       WHERE "record_type" = $1 AND "superseded_at" IS NULL AND "record" @> $2::jsonb
         AND ($3::text IS NULL OR "record"->>$4 ILIKE $3) AND ($5::uuid IS NULL OR "id" > $5)
       ORDER BY "id" LIMIT $6`,
      [kind.recordType, JSON.stringify(containmentOf(kind, filters)), pattern, kind.textField, after, pageSize + 1],
    );
    const items = rows.slice(0, pageSize).map(viewOf);
    const last = rows.length > pageSize ? rows[pageSize - 1] : undefined;
    return { items, nextPageToken: last === undefined ? '' : Buffer.from(JSON.stringify({ after: last.id })).toString('base64url') };
  }

  private async transaction(kind: ArchiveKind, work: (manager: EntityManager) => Promise<ArchiveView>): Promise<ArchiveView> {
    try {
      const view = await this.dataSource.transaction(work);
      this.relay.nudge();
      return view;
    } catch (error) {
      const constraint = uniqueViolation(error);
      const naturalKey = constraint === undefined ? undefined : kind.naturalKeys[constraint];
      if (naturalKey !== undefined) throw new DomainException(naturalKey.code, 'conflict', naturalKey.message);
      throw error;
    }
  }

  /** Checks references, inserts the version and queues its event; runs inside the caller's transaction. */
  private async write(manager: EntityManager, kind: ArchiveKind, id: string, version: number, fields: Record<string, unknown>): Promise<ArchiveView> {
    await this.assertReferencesExist(manager, kind, fields);
    const recordedAt = new Date();
    const record = { id, version, ...fields, recordedAt: recordedAt.toISOString() };
    await manager.query(
      `INSERT INTO "data_service"."archive_records" ("record_type", "id", "version", "record", "recorded_at") VALUES ($1, $2, $3, $4, $5)`,
      [kind.recordType, id, version, JSON.stringify(record), recordedAt],
    );
    const view = viewOf({ record_type: kind.recordType, record });
    const correlationId = currentCorrelationId();
    const event = createCloudEvent({
      type: archiveRecordVersionedV1.type,
      source: '/traceport/data-service',
      subject: view.recordKey,
      data: archiveRecordVersionedV1.schema.parse({ recordType: kind.recordType, recordKey: view.recordKey, record }),
      ...(correlationId === undefined ? {} : { correlationId }),
    });
    await enqueueEvent(manager, archiveRecordVersionedV1.topic, id, event);
    return view;
  }

  private async assertReferencesExist(manager: EntityManager, kind: ArchiveKind, fields: Record<string, unknown>): Promise<void> {
    const violations: FieldViolation[] = [];
    for (const reference of kind.references) {
      const value = fields[reference.field];
      if (value === undefined) continue;
      const ids = (reference.many ? (value as string[]) : [value as string]).filter((candidate, index, all) => all.indexOf(candidate) === index);
      const found: { id: string }[] = await manager.query(
        `SELECT "id" FROM "data_service"."archive_records" WHERE "record_type" = $1 AND "id" = ANY($2::uuid[]) AND "superseded_at" IS NULL`,
        [reference.recordType, ids],
      );
      const missing = ids.filter((candidate) => !found.some((row) => row.id === candidate));
      const noun = kindOfType(reference.recordType)?.noun ?? reference.recordType;
      for (const id of missing) violations.push({ field: reference.field, message: `no ${noun} with id ${id}` });
    }
    if (violations.length > 0) {
      throw invalid(`invalid-${kind.noun.replaceAll(' ', '-')}`, `the ${kind.noun} refers to records that do not exist: ${violations.map((v) => v.message).join('; ')}`, violations);
    }
  }
}

/** Equality filters as a jsonb containment: a value filtering a list field (a many-reference) must be among its items. */
function containmentOf(kind: ArchiveKind, filters: Readonly<Record<string, string>>): Record<string, string | string[]> {
  const lists = new Set(kind.references.filter((reference) => reference.many).map((reference) => reference.field));
  return Object.fromEntries(Object.entries(filters).map(([field, value]) => [field, lists.has(field) ? [value] : value]));
}
