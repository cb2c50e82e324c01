import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  createCloudEvent,
  IdentityRecordTypes,
  identityIssuanceRecordedV1,
  identityIssuanceRecordSchema,
  type IdentityIssuanceRecord,
  type IssuanceMessage,
  RecordTypes,
  recordKeyOf,
  SERIALS_ROOT_ALGORITHM,
} from '@traceport/contracts';
import { PollingWorker } from '@traceport/database';
import { DomainException } from '@traceport/errors';
import { newSerials } from '@traceport/identity';
import { type NodeHashes, type NodeId, nodeKey, readRootHash, type StoredNode, toHex } from '@traceport/ledger';
import { enqueueEvent, OutboxRelay } from '@traceport/messaging';
import { currentCorrelationId } from '@traceport/observability';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { DataSource, QueryFailedError, type EntityManager } from 'typeorm';
import { invalidQuantity, issuanceNotFound, lotNotFound, MAX_ISSUANCE_QUANTITY, overIssuance } from './identity.exception.js';
import { IdentityMetrics } from './identity.metrics.js';
import { appendChunk, BLOCK_SIZE, chunkFrontierIds, serialLeafHash } from './serial-tree.js';

export type IssuanceStatus = IssuanceMessage['status'];

export interface IssuanceOptions {
  /** Identities drawn, inserted and committed together (one statement, one transaction); a multiple of BLOCK_SIZE. */
  readonly chunkSize: number;
  /** Draws `count` serials; the CSPRNG of libs/identity, except in tests that force collisions. */
  readonly newSerials: (count: number) => string[];
}

export const ISSUANCE_OPTIONS = Symbol('ISSUANCE_OPTIONS');
export const DEFAULT_ISSUANCE_OPTIONS: IssuanceOptions = { chunkSize: 16 * BLOCK_SIZE, newSerials };

/** Redraws of colliding serials before a chunk gives up (each collision has probability ≈ n / 2^80). */
const MAX_REDRAWS = 8;

export interface IssuanceRow {
  id: string;
  lot_id: string;
  lot_version: number;
  gtin: string;
  lot_number: string;
  expiry_date: string | null;
  quantity: number;
  status: IssuanceStatus;
  issued: number;
  serials_root: Buffer | null;
  record: IdentityIssuanceRecord | null;
  failure: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

export const ISSUANCE_COLUMNS = `"id", "lot_id", "lot_version", "gtin", "lot_number", to_char("expiry_date", 'YYYY-MM-DD') AS "expiry_date", "quantity",
  "status", "issued", "serials_root", "record", "failure", "created_at", "started_at", "finished_at"`;

export const issuanceRecordKey = (id: string) => recordKeyOf(IdentityRecordTypes.issuance, id, 1);

export function issuanceMessageOf(row: IssuanceRow): IssuanceMessage {
  const end = row.finished_at ?? new Date();
  const seconds = row.started_at === null ? 0 : (end.getTime() - row.started_at.getTime()) / 1000;
  return {
    id: row.id,
    lotId: row.lot_id,
    lotVersion: row.lot_version,
    lotNumber: row.lot_number,
    gtin: row.gtin,
    expiryDate: row.expiry_date ?? '',
    status: row.status,
    total: row.quantity,
    issued: row.issued,
    identitiesPerSecond: seconds > 0 ? Math.round(row.issued / seconds) : 0,
    createdAt: row.created_at.toISOString(),
    startedAt: row.started_at?.toISOString() ?? '',
    finishedAt: row.finished_at?.toISOString() ?? '',
    failure: row.failure ?? '',
    recordKey: row.record === null ? '' : issuanceRecordKey(row.id),
    recordJson: row.record === null ? '' : JSON.stringify(row.record),
    serialsRoot: row.serials_root === null ? '' : row.serials_root.toString('hex'),
  };
}

export const isUuid = (value: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);

/** Stored serial-tree nodes of an issuance, keyed by nodeKey. */
export async function readSerialNodes(manager: Pick<EntityManager, 'query'>, issuanceId: string, ids: readonly NodeId[]): Promise<NodeHashes> {
  if (ids.length === 0) return new Map();
  const rows: { level: number; index: number; hash: Buffer }[] = await manager.query(
    `SELECT "level", "index", "hash" FROM "data_service"."identity_serial_nodes"
     WHERE "issuance_id" = $1 AND ("level", "index") IN (SELECT * FROM unnest($2::smallint[], $3::int[]))`,
    [issuanceId, ids.map((id) => id.level), ids.map((id) => id.index)],
  );
  return new Map(rows.map((row) => [nodeKey({ level: row.level, index: row.index }), row.hash]));
}

type WorkDone = { kind: 'chunk'; issued: number; collisions: number } | { kind: 'finished'; status: 'succeeded' };

/**
 * Bulk issuance of item identities for a lot. StartIssuance only queues a job; a runner in every
 * data-service replica takes pending jobs (one per replica at a time, SKIP LOCKED) and issues
 * them a chunk at a time: draw serials, insert them (a serial already taken for the GTIN is drawn
 * again), hash them into the serial tree, and commit the chunk with the job's progress in one
 * transaction, so after a crash the job resumes at the first index not stored. When all are
 * issued, the job folds the tree's root and publishes the anchored issuance record.
 */
@Injectable()
export class IdentityIssuanceService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(IdentityIssuanceService.name);
  private readonly worker = new PollingWorker('identity issuance', () => this.work(), this.logger);
  /** The job this runner worked on last, to log when it takes up (or resumes after a restart) another. */
  private lastJobId: string | undefined;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(OutboxRelay) private readonly relay: OutboxRelay,
    private readonly metrics: IdentityMetrics,
    @Inject(ISSUANCE_OPTIONS) private readonly options: IssuanceOptions,
  ) {
    if (!Number.isInteger(options.chunkSize) || options.chunkSize <= 0 || options.chunkSize % BLOCK_SIZE !== 0) {
      throw new RangeError(`the issuance chunk size must be a positive multiple of ${BLOCK_SIZE}, not ${options.chunkSize}`);
    }
  }

  onApplicationBootstrap(): void {
    this.worker.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker.stop();
  }

  async start(lotId: string, quantity: number): Promise<IssuanceMessage> {
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_ISSUANCE_QUANTITY) throw invalidQuantity(quantity);
    if (!isUuid(lotId)) throw lotNotFound(lotId);
    const row = await this.dataSource.transaction(async (manager) => {
      // One start at a time per lot, so two concurrent requests cannot both fit in what the lot has left.
      await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`identity-issuance:${lotId}`]);
      const lots: { version: number; lot_number: string; quantity: number; expiry_date: string | null; gtin: string | null }[] = await manager.query(
        `SELECT l."version", l."record"->>'lotNumber' AS "lot_number", (l."record"->>'quantity')::int AS "quantity",
                l."record"->>'expiryDate' AS "expiry_date", p."record"->>'gtin' AS "gtin"
         FROM "data_service"."archive_records" l
         LEFT JOIN "data_service"."archive_records" p
           ON p."record_type" = $2 AND p."id" = (l."record"->>'productId')::uuid AND p."superseded_at" IS NULL
         WHERE l."record_type" = $3 AND l."id" = $1 AND l."superseded_at" IS NULL`,
        [lotId, RecordTypes.product, RecordTypes.lot],
      );
      const lot = lots[0];
      if (lot === undefined || lot.gtin === null) throw lotNotFound(lotId);
      const [taken] = (await manager.query(
        `SELECT coalesce(sum("quantity"), 0)::int AS "issued" FROM "data_service"."identity_issuances" WHERE "lot_id" = $1 AND "status" <> 'failed'`,
        [lotId],
      )) as [{ issued: number }];
      if (taken.issued + quantity > lot.quantity) throw overIssuance({ id: lotId, lotNumber: lot.lot_number, quantity: lot.quantity }, taken.issued, quantity);
      const inserted: IssuanceRow[] = await manager.query(
        `INSERT INTO "data_service"."identity_issuances" ("id", "lot_id", "lot_version", "gtin", "lot_number", "expiry_date", "quantity", "status")
         VALUES ($1, $2, $3, $4, $5, $6::date, $7, 'queued') RETURNING ${ISSUANCE_COLUMNS}`,
        [crypto.randomUUID(), lotId, lot.version, lot.gtin, lot.lot_number, lot.expiry_date, quantity],
      );
      return inserted[0]!;
    });
    this.logger.log(`identity issuance ${row.id} queued: ${quantity} identities for lot ${row.lot_number} (${lotId})`);
    this.worker.nudge();
    return issuanceMessageOf(row);
  }

  async get(id: string): Promise<IssuanceMessage> {
    const rows: IssuanceRow[] = isUuid(id)
      ? await this.dataSource.query(`SELECT ${ISSUANCE_COLUMNS} FROM "data_service"."identity_issuances" WHERE "id" = $1`, [id])
      : [];
    if (rows[0] === undefined) throw issuanceNotFound(id);
    return issuanceMessageOf(rows[0]);
  }

  /** A lot's issuances, oldest first. */
  async listForLot(lotId: string): Promise<IssuanceMessage[]> {
    const lots: unknown[] = isUuid(lotId)
      ? await this.dataSource.query(`SELECT 1 FROM "data_service"."archive_records" WHERE "record_type" = $1 AND "id" = $2 LIMIT 1`, [RecordTypes.lot, lotId])
      : [];
    if (lots.length === 0) throw lotNotFound(lotId);
    const rows: IssuanceRow[] = await this.dataSource.query(
      `SELECT ${ISSUANCE_COLUMNS} FROM "data_service"."identity_issuances" WHERE "lot_id" = $1 ORDER BY "created_at", "id"`,
      [lotId],
    );
    return rows.map(issuanceMessageOf);
  }

  /**
   * One unit of work of the runner: the next chunk of the pending job with the least progress
   * (so a small job is not stuck behind a million-identity one), or the finishing of a job whose
   * identities are all issued. False when there is nothing to do.
   */
  async work(): Promise<boolean> {
    let jobId: string | undefined;
    let done: WorkDone | undefined;
    try {
      done = await this.dataSource.transaction(async (manager) => {
        const jobs: IssuanceRow[] = await manager.query(
          `SELECT ${ISSUANCE_COLUMNS} FROM "data_service"."identity_issuances"
           WHERE "status" IN ('queued', 'running') ORDER BY "issued", "created_at" LIMIT 1 FOR UPDATE SKIP LOCKED`,
        );
        const job = jobs[0];
        if (job === undefined) return undefined;
        jobId = job.id;
        return job.issued < job.quantity ? this.issueChunk(manager, job) : this.finish(manager, job);
      });
    } catch (error) {
      // A domain error is the job's own and would recur; anything else (the database gone) is retried.
      if (jobId === undefined || !(error instanceof DomainException)) throw error;
      await this.fail(jobId, error.message);
      return true;
    }
    if (done === undefined) return false;
    // Counted after the commit: a chunk that rolled back is issued again from the same index.
    if (done.kind === 'chunk') this.metrics.chunkCommitted(done.issued, done.collisions);
    else {
      this.metrics.issuanceFinished(done.status);
      this.relay.nudge();
    }
    return true;
  }

  private async issueChunk(manager: EntityManager, job: IssuanceRow): Promise<WorkDone> {
    const start = job.issued;
    const count = Math.min(this.options.chunkSize, job.quantity - start);
    const serials = this.options.newSerials(count);
    // The leaves are hashed while PostgreSQL inserts the rows; a serial drawn again is hashed again.
    const inserting = this.insertIdentities(manager, job, start, serials);
    // Awaited below; marked handled now so that a failure while hashing is not an unhandled rejection.
    void inserting.catch(() => undefined);
    const leaves: Uint8Array[] = new Array<Uint8Array>(count);
    for (let offset = 0; offset < count; offset++) {
      leaves[offset] = serialLeafHash(job.gtin, serials[offset]!);
      // Hashing a chunk takes tens of milliseconds: let the insert proceed and the service answer calls.
      if (offset % 2_048 === 2_047) await yieldToEventLoop();
    }
    const redrawn = await inserting;
    for (const offset of redrawn) leaves[offset] = serialLeafHash(job.gtin, serials[offset]!);
    const collisions = redrawn.length;
    const frontierIds = chunkFrontierIds(start);
    const known = await readSerialNodes(manager, job.id, frontierIds);
    const frontier: StoredNode[] = frontierIds.map((id) => {
      const hash = known.get(nodeKey(id));
      if (hash === undefined) throw new Error(`issuance ${job.id} lacks serial-tree node ${nodeKey(id)} below index ${start}`);
      return { id, hash };
    });
    const nodes = appendChunk(frontier, start, leaves, job.quantity);
    await manager.query(
      `INSERT INTO "data_service"."identity_serial_nodes" ("issuance_id", "level", "index", "hash")
       SELECT $1::uuid, t.l, t.i, decode(t.h, 'hex') FROM unnest($2::smallint[], $3::int[], $4::text[]) AS t(l, i, h)`,
      [job.id, nodes.map((node) => node.id.level), nodes.map((node) => node.id.index), nodes.map((node) => toHex(node.hash))],
    );
    await manager.query(
      `UPDATE "data_service"."identity_issuances" SET "status" = 'running', "started_at" = coalesce("started_at", now()), "issued" = $2 WHERE "id" = $1`,
      [job.id, start + count],
    );
    if (start === 0) this.logger.log(`identity issuance ${job.id} started`);
    else if (job.id !== this.lastJobId) this.logger.log(`identity issuance ${job.id} continues at index ${start}`);
    this.lastJobId = job.id;
    return { kind: 'chunk', issued: count, collisions };
  }

  /**
   * Inserts identities [start, start + count) in one statement. A serial already taken for the
   * GTIN (by any lot, or drawn twice) is refused by the primary key and drawn again for the same
   * index: a plain insert first, as a collision has probability ≈ n / 2^80; only when the key
   * refuses it does the chunk go again with ON CONFLICT, which costs about 40% more per row.
   * Replaces the colliding serials in `serials` and answers their offsets.
   */
  private async insertIdentities(manager: EntityManager, job: IssuanceRow, start: number, serials: string[]): Promise<number[]> {
    let pending = Array.from({ length: serials.length }, (_, offset) => start + offset);
    await manager.query(`SAVEPOINT "identities_chunk"`);
    try {
      await manager.query(
        `INSERT INTO "data_service"."identities" ("gtin", "serial", "issuance_id", "index")
         SELECT $1::text, t.s, $2::uuid, t.i FROM unnest($3::text[], $4::int[]) AS t(s, i)`,
        [job.gtin, job.id, serials, pending],
      );
      await manager.query(`RELEASE SAVEPOINT "identities_chunk"`);
      return [];
    } catch (error) {
      if (!(error instanceof QueryFailedError) || (error.driverError as { constraint?: string }).constraint !== 'identities_pkey') throw error;
      await manager.query(`ROLLBACK TO SAVEPOINT "identities_chunk"`);
    }
    const redrawn = new Set<number>();
    for (let redraw = 0; ; redraw++) {
      const [result] = (await manager.query(
        `WITH "inserted" AS (
           INSERT INTO "data_service"."identities" ("gtin", "serial", "issuance_id", "index")
           SELECT $1::text, t.s, $2::uuid, t.i FROM unnest($3::text[], $4::int[]) AS t(s, i)
           ON CONFLICT ("gtin", "serial") DO NOTHING RETURNING 1)
         SELECT count(*)::int AS "inserted" FROM "inserted"`,
        [job.gtin, job.id, pending.map((index) => serials[index - start]!), pending],
      )) as [{ inserted: number }];
      if (result.inserted === pending.length) return [...redrawn];
      const missing: { i: number }[] = await manager.query(
        `SELECT t.i FROM unnest($2::int[]) AS t(i)
         WHERE NOT EXISTS (SELECT 1 FROM "data_service"."identities" d WHERE d."issuance_id" = $1 AND d."index" = t.i) ORDER BY t.i`,
        [job.id, pending],
      );
      if (redraw >= MAX_REDRAWS) {
        throw new DomainException('serial-space-exhausted', 'internal', `${missing.length} serials still collide with issued ones for GTIN ${job.gtin} after ${MAX_REDRAWS} redraws`);
      }
      this.logger.warn(`identity issuance ${job.id}: ${missing.length} serials already issued for GTIN ${job.gtin}, drawn again`);
      const fresh = this.options.newSerials(missing.length);
      missing.forEach((row, position) => {
        serials[row.i - start] = fresh[position]!;
        redrawn.add(row.i - start);
      });
      pending = missing.map((row) => row.i);
    }
  }

  /** Folds the serial tree's root from stored nodes and publishes the anchored issuance record. */
  private async finish(manager: EntityManager, job: IssuanceRow): Promise<WorkDone> {
    const root = await readRootHash(job.quantity, (ids) => readSerialNodes(manager, job.id, ids));
    const issuedAt = new Date();
    const record = identityIssuanceRecordSchema.parse({
      id: job.id,
      lotId: job.lot_id,
      lotVersion: job.lot_version,
      gtin: job.gtin,
      lotNumber: job.lot_number,
      ...(job.expiry_date === null ? {} : { expiryDate: job.expiry_date }),
      count: job.quantity,
      serialsRoot: toHex(root),
      algorithm: SERIALS_ROOT_ALGORITHM,
      issuedAt: issuedAt.toISOString(),
    });
    await manager.query(
      `UPDATE "data_service"."identity_issuances" SET "status" = 'succeeded', "serials_root" = $2, "record" = $3::jsonb, "finished_at" = $4,
              "started_at" = coalesce("started_at", $4) WHERE "id" = $1`,
      [job.id, Buffer.from(root), JSON.stringify(record), issuedAt],
    );
    const recordKey = issuanceRecordKey(job.id);
    const correlationId = currentCorrelationId();
    const event = createCloudEvent({
      type: identityIssuanceRecordedV1.type,
      source: '/traceport/data-service',
      subject: recordKey,
      data: identityIssuanceRecordedV1.schema.parse({ recordType: IdentityRecordTypes.issuance, recordKey, record }),
      ...(correlationId === undefined ? {} : { correlationId }),
    });
    await enqueueEvent(manager, identityIssuanceRecordedV1.topic, job.lot_id, event);
    this.logger.log(`identity issuance ${job.id} succeeded: ${job.quantity} identities, serials root ${record.serialsRoot}`);
    return { kind: 'finished', status: 'succeeded' };
  }

  private async fail(id: string, failure: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE "data_service"."identity_issuances" SET "status" = 'failed', "failure" = $2, "finished_at" = now() WHERE "id" = $1 AND "status" IN ('queued', 'running')`,
      [id, failure],
    );
    this.metrics.issuanceFinished('failed');
    this.logger.error(`identity issuance ${id} failed: ${failure}`);
  }
}
