import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ControlRecordTypes, type HoldCauseKind, type HoldMessage, type HoldPageMessage, type HoldRecord } from '@traceport/contracts';
import { OutboxRelay } from '@traceport/messaging';
import { DataSource, type EntityManager } from 'typeorm';
import { z } from 'zod';
import { EpcisDocumentValidator } from '../epcis/epcis-document.validator.js';
import { lotKeyOf } from '../trace/trace-sql.js';
import { ControlDisposition, publishControlRecord, recordControlEvents, type ControlEvent } from './control-records.js';
import { ControlErrorCode, holdAlreadyLifted, holdNotFound, invalidControlRequest } from './control.exception.js';
import type { WarehouseStatus } from './warehouse-status.js';

const S = '"data_service"';

export interface HoldCause {
  readonly kind: HoldCauseKind;
  readonly reason: string;
  readonly reference: string;
}

/** A lot to hold: its trail key, its archive id where it has one, and where it is. */
export interface HoldTarget {
  readonly gtin: string;
  readonly lot: string;
  readonly lotId: string;
  readonly warehouseStatus: WarehouseStatus;
}

interface HoldRow {
  id: string;
  version: number;
  status: 'open' | 'lifted';
  held_at: Date;
  record: HoldRecord;
}

export function holdMessageOf(record: HoldRecord): HoldMessage {
  return {
    id: record.id,
    lotId: record.lotId,
    gtin: record.gtin,
    lot: record.lot,
    cause: record.cause,
    status: record.status,
    heldAt: record.heldAt,
    liftedAt: record.liftedAt ?? '',
    liftedBy: record.liftedBy ?? '',
    liftReason: record.liftReason ?? '',
    warehouseStatus: record.warehouseStatus,
    recordKey: `${ControlRecordTypes.hold}/${record.id}/v${record.version}`,
    recordJson: JSON.stringify(record),
    version: record.version,
  };
}

const tokenOf = (at: string, id: string) => Buffer.from(JSON.stringify([at, id])).toString('base64url');
function parseToken(token: string): [string, string] | null {
  if (token === '') return null;
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString()) as unknown;
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[0] === 'string' && typeof parsed[1] === 'string' && !Number.isNaN(Date.parse(parsed[0]))) return [parsed[0], parsed[1]];
  } catch {
    // fall through
  }
  throw invalidControlRequest(ControlErrorCode.invalidPageToken, [{ field: 'page_token', message: 'not a token this API gave out' }]);
}
export const pageSizeOf = (size: number | undefined) => (size === undefined || size <= 0 ? 50 : Math.min(size, 500));

/**
 * Holds on lots: placed by a cause (an inspection failure, a certification, a recall) inside the
 * cause's transaction, lifted by an operator. Every version of a hold is anchored
 * (control.record.versioned.v1, which the decision engine also reads to refuse releasing a held
 * lot), and placing or lifting one is recorded as an EPCIS event on the lot.
 */
@Injectable()
export class HoldService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly validator: EpcisDocumentValidator,
    private readonly relay: OutboxRelay,
  ) {}

  /**
   * Holds each target not shipped out, once per cause: a lot already held for this cause is left
   * as it is (so a redelivered cause changes nothing). Answers the holds placed now.
   * `recordEvents` false leaves the EPCIS event to the caller (a recall records one for all its lots).
   */
  async placeHolds(manager: EntityManager, cause: HoldCause, targets: readonly HoldTarget[], options: { recallId?: string; recordEvents?: boolean } = {}): Promise<HoldRecord[]> {
    const heldAt = new Date();
    const placed: HoldRecord[] = [];
    for (const target of targets) {
      if (target.warehouseStatus === 'shipped-out') continue;
      const record: HoldRecord = {
        id: crypto.randomUUID(),
        version: 1,
        lotId: target.lotId,
        gtin: target.gtin,
        lot: target.lot,
        cause: { kind: cause.kind, reason: cause.reason, reference: cause.reference },
        status: 'open',
        heldAt: heldAt.toISOString(),
        liftedAt: null,
        liftedBy: null,
        liftReason: null,
        warehouseStatus: target.warehouseStatus,
      };
      const inserted: unknown[] = await manager.query(
        `INSERT INTO ${S}."control_holds" ("id", "version", "lot_id", "gtin", "lot", "cause_kind", "cause_reference", "recall_id", "status", "held_at", "record")
         VALUES ($1, 1, $2, $3, $4, $5, $6, $7, 'open', $8, $9) ON CONFLICT ("gtin", "lot", "cause_kind", "cause_reference") DO NOTHING RETURNING "id"`,
        [record.id, record.lotId, record.gtin, record.lot, cause.kind, cause.reference, options.recallId ?? null, heldAt, JSON.stringify(record)],
      );
      if (inserted.length === 0) continue;
      await publishControlRecord(manager, ControlRecordTypes.hold, { ...record }, lotKeyOf(record));
      placed.push(record);
    }
    if (options.recordEvents !== false) {
      await recordControlEvents(
        manager,
        this.validator,
        placed.map((record): ControlEvent => ({
          eventId: `urn:uuid:${crypto.randomUUID()}`,
          time: heldAt,
          disposition: cause.kind === 'recall' ? ControlDisposition.recalled : ControlDisposition.held,
          lots: [{ gtin: record.gtin, lot: record.lot }],
          recordKey: `${ControlRecordTypes.hold}/${record.id}/v1`,
          reason: `${cause.kind}: ${cause.reason}`,
        })),
      );
    }
    return placed;
  }

  async lift(request: { id?: string; reason?: string; actor?: string }): Promise<HoldMessage> {
    const id = (request.id ?? '').trim();
    const reason = (request.reason ?? '').trim();
    const actor = (request.actor ?? '').trim();
    const violations = [
      ...(z.uuid().safeParse(id).success ? [] : [{ field: 'id', message: 'a hold id (a UUID)' }]),
      ...(reason === '' ? [{ field: 'reason', message: 'required: why the hold is lifted' }] : reason.length > 2000 ? [{ field: 'reason', message: 'at most 2,000 characters' }] : []),
    ];
    if (violations.length > 0) throw invalidControlRequest(ControlErrorCode.invalidLift, violations);
    const lifted = await this.db.transaction(async (manager) => {
      const rows: HoldRow[] = await manager.query(`SELECT "id", "version", "status", "held_at", "record" FROM ${S}."control_holds" WHERE "id" = $1 FOR UPDATE`, [id]);
      const row = rows[0];
      if (row === undefined) throw holdNotFound(id);
      if (row.status === 'lifted') throw holdAlreadyLifted(id, row.record.liftedAt ?? '');
      const liftedAt = new Date();
      const record: HoldRecord = { ...row.record, version: row.version + 1, status: 'lifted', liftedAt: liftedAt.toISOString(), liftedBy: actor === '' ? 'unknown' : actor.slice(0, 200), liftReason: reason };
      await manager.query(`UPDATE ${S}."control_holds" SET "version" = $2, "status" = 'lifted', "lifted_at" = $3, "record" = $4 WHERE "id" = $1`, [id, record.version, liftedAt, JSON.stringify(record)]);
      const recordKey = await publishControlRecord(manager, ControlRecordTypes.hold, { ...record }, lotKeyOf(record));
      await recordControlEvents(manager, this.validator, [
        { eventId: `urn:uuid:${crypto.randomUUID()}`, time: liftedAt, disposition: ControlDisposition.lifted, lots: [{ gtin: record.gtin, lot: record.lot }], recordKey, reason: `hold lifted: ${reason}` },
      ]);
      return record;
    });
    this.relay.nudge();
    return holdMessageOf(lifted);
  }

  async get(id: string): Promise<HoldMessage> {
    const rows: HoldRow[] = z.uuid().safeParse(id).success ? await this.db.query(`SELECT "record" FROM ${S}."control_holds" WHERE "id" = $1`, [id]) : [];
    if (rows[0] === undefined) throw holdNotFound(id);
    return holdMessageOf(rows[0].record);
  }

  async list(request: { status?: string; lotId?: string; pageSize?: number; pageToken?: string }): Promise<HoldPageMessage> {
    const status = (request.status ?? '').trim();
    if (!['', 'open', 'lifted'].includes(status)) throw invalidControlRequest(ControlErrorCode.invalidHoldQuery, [{ field: 'status', message: 'open or lifted' }]);
    const after = parseToken(request.pageToken ?? '');
    const size = pageSizeOf(request.pageSize);
    const rows: { held_at: Date; id: string; record: HoldRecord }[] = await this.db.query(
      `SELECT "held_at", "id", "record" FROM ${S}."control_holds"
       WHERE ($1 = '' OR "status" = $1) AND ($2 = '' OR "lot_id" = $2)
         AND ($3::timestamptz IS NULL OR ("held_at", "id") < ($3::timestamptz, $4::uuid))
       ORDER BY "held_at" DESC, "id" DESC LIMIT ${size + 1}`,
      [status, (request.lotId ?? '').trim(), after?.[0] ?? null, after?.[1] ?? null],
    );
    const page = rows.slice(0, size);
    const last = page.at(-1);
    return { items: page.map((row) => holdMessageOf(row.record)), nextPageToken: rows.length > size && last !== undefined ? tokenOf(last.held_at.toISOString(), last.id) : '' };
  }
}
