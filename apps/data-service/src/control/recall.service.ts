import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ControlRecordTypes, type CreateRecallRequestMessage, type RecallMessage, type RecallPageMessage, type RecallScopeMessage } from '@traceport/contracts';
import { DomainException, type FieldViolation } from '@traceport/errors';
import { OutboxRelay } from '@traceport/messaging';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { EpcisDocumentValidator } from '../epcis/epcis-document.validator.js';
import { TraceForwardService } from '../trace/trace-forward.service.js';
import { parseForwardScope } from '../trace/trace-request.js';
import { affectedLotsOf, type AffectedLots } from './affected-lots.js';
import { ControlDisposition, publishControlRecord, recordControlEvents } from './control-records.js';
import { ControlErrorCode, invalidControlRequest, recallNotFound } from './control.exception.js';
import { HoldService, pageSizeOf } from './hold.service.js';

const S = '"data_service"';
/** Items of no known lot named one by one in a recall's EPCIS event; the recall record counts them all. */
const MAX_EVENT_ITEMS = 10_000;

export interface RecallRecord {
  readonly id: string;
  readonly version: 1;
  readonly scope: RecallScopeMessage;
  readonly reason: string;
  readonly recalledBy: string;
  readonly recalledAt: string;
  readonly affected: { readonly lots: number; readonly items: number; readonly containers: number; readonly heldLots: number };
  readonly lots: readonly { gtin: string; lot: string; lotId: string; warehouseStatus: string; holdId: string; items: number }[];
}

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

function scopeOf(raw: Partial<RecallScopeMessage> | null | undefined): RecallScopeMessage {
  return {
    factoryId: text(raw?.factoryId),
    productId: text(raw?.productId),
    gtin: text(raw?.gtin),
    lots: Array.isArray(raw?.lots) ? raw.lots.map(text).filter((lot) => lot !== '') : [],
    from: text(raw?.from),
    to: text(raw?.to),
  };
}

function recallMessageOf(record: RecallRecord): RecallMessage {
  return {
    id: record.id,
    scope: record.scope,
    reason: record.reason,
    recalledBy: record.recalledBy,
    recalledAt: record.recalledAt,
    affected: record.affected,
    lots: record.lots.map((lot) => ({ ...lot })),
    recordKey: `${ControlRecordTypes.recall}/${record.id}/v1`,
    recordJson: JSON.stringify(record),
  };
}

/** A trace's refusal of a scope, as the recall's own problem (fields under scope.). */
function asRecallProblem(error: unknown): unknown {
  if (!(error instanceof DomainException) || error.kind !== 'invalid') return error;
  const violations = error.violations.map((violation) => ({ ...violation, field: `scope.${violation.field}` }));
  return invalidControlRequest(ControlErrorCode.invalidRecall, violations.length > 0 ? violations : [{ field: 'scope', message: error.message }]);
}

/**
 * An operator's recall of a factory, a product, lots of one GTIN, or a production window (alone or
 * within a factory or product): the trace forward's affected set, every lot not shipped out held,
 * every affected item flagged (the scan page shows the recall), one EPCIS event (disposition
 * recalled) naming the lots, and the recall anchored with what it reached.
 */
@Injectable()
export class RecallService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly forward: TraceForwardService,
    private readonly holds: HoldService,
    private readonly validator: EpcisDocumentValidator,
    private readonly relay: OutboxRelay,
  ) {}

  async create(request: Partial<CreateRecallRequestMessage>): Promise<RecallMessage> {
    const scope = scopeOf(request.scope);
    const reason = text(request.reason);
    const violations: FieldViolation[] = [];
    if (reason === '') violations.push({ field: 'reason', message: 'required: why the products are recalled' });
    else if (reason.length > 2000) violations.push({ field: 'reason', message: 'at most 2,000 characters' });
    if (scope.lots.length > 0 && (scope.gtin === '' || scope.factoryId !== '' || scope.productId !== '' || scope.from !== '' || scope.to !== '')) {
      violations.push({ field: 'scope.lots', message: 'lots are named with their gtin alone (no factory, product or window)' });
    }
    if (scope.lots.length > 1_000) violations.push({ field: 'scope.lots', message: 'at most 1,000 lots' });
    if (violations.length > 0) throw invalidControlRequest(ControlErrorCode.invalidRecall, violations);

    let affected: AffectedLots;
    try {
      if (scope.lots.length > 0) {
        const keys = scope.lots.map((lot) => {
          const parsed = parseForwardScope({ gtin: scope.gtin, lot });
          return parsed.kind === 'lot' ? { gtin: parsed.gtin, lot: parsed.lot } : { gtin: scope.gtin, lot };
        });
        affected = await affectedLotsOf(this.db, await this.forward.affectedSet({ lots: keys }));
      } else {
        affected = await affectedLotsOf(this.db, await this.forward.affectedSet({ factoryId: scope.factoryId, productId: scope.productId, gtin: scope.gtin, from: scope.from, to: scope.to }));
      }
    } catch (error) {
      throw asRecallProblem(error);
    }

    const id = crypto.randomUUID();
    const recalledAt = new Date();
    const recalledBy = text(request.actor).slice(0, 200) || 'unknown';
    const record = await this.db.transaction(async (manager) => {
      const placed = await this.holds.placeHolds(manager, { kind: 'recall', reason, reference: id }, affected.lots, { recallId: id, recordEvents: false });
      const holdOf = new Map(placed.map((hold) => [`${hold.gtin}/${hold.lot}`, hold.id]));
      const recall: RecallRecord = {
        id,
        version: 1,
        scope,
        reason,
        recalledBy,
        recalledAt: recalledAt.toISOString(),
        affected: { lots: affected.lots.length, items: affected.items, containers: affected.containers, heldLots: placed.length },
        lots: affected.lots.map((lot) => ({ gtin: lot.gtin, lot: lot.lot, lotId: lot.lotId, warehouseStatus: lot.warehouseStatus, holdId: holdOf.get(`${lot.gtin}/${lot.lot}`) ?? '', items: lot.items })),
      };
      await manager.query(`INSERT INTO ${S}."control_recalls" ("id", "recalled_at", "record") VALUES ($1, $2, $3)`, [id, recalledAt, JSON.stringify(recall)]);
      if (recall.lots.length > 0) {
        await manager.query(
          `INSERT INTO ${S}."control_recall_lots" ("recall_id", "gtin", "lot", "lot_id", "warehouse_status", "hold_id", "items")
           SELECT $1, r."gtin", r."lot", r."lot_id", r."warehouse_status", nullif(r."hold_id", '')::uuid, r."items"
           FROM json_to_recordset($2::json) AS r ("gtin" text, "lot" text, "lot_id" text, "warehouse_status" text, "hold_id" text, "items" bigint)`,
          [id, JSON.stringify(recall.lots.map((lot) => ({ gtin: lot.gtin, lot: lot.lot, lot_id: lot.lotId, warehouse_status: lot.warehouseStatus, hold_id: lot.holdId, items: lot.items })))],
        );
      }
      if (affected.looseItems.length > 0) {
        await manager.query(
          `INSERT INTO ${S}."control_recall_items" ("recall_id", "gtin", "serial") SELECT $1, i."gtin", i."serial" FROM unnest($2::bpchar[], $3::text[]) AS i ("gtin", "serial") ON CONFLICT DO NOTHING`,
          [id, affected.looseItems.map((item) => item.gtin), affected.looseItems.map((item) => item.serial)],
        );
      }
      const recordKey = await publishControlRecord(manager, ControlRecordTypes.recall, { ...recall }, id);
      if (recall.lots.length > 0 || affected.looseItems.length > 0) {
        await recordControlEvents(manager, this.validator, [
          {
            eventId: `urn:uuid:${crypto.randomUUID()}`,
            time: recalledAt,
            disposition: ControlDisposition.recalled,
            lots: recall.lots.map((lot) => ({ gtin: lot.gtin, lot: lot.lot })),
            items: affected.looseItems.slice(0, MAX_EVENT_ITEMS),
            recordKey,
            reason: `recall: ${reason}`,
          },
        ]);
      }
      return recall;
    });
    this.relay.nudge();
    return recallMessageOf(record);
  }

  async get(id: string): Promise<RecallMessage> {
    const rows: { record: RecallRecord }[] = z.uuid().safeParse(id).success ? await this.db.query(`SELECT "record" FROM ${S}."control_recalls" WHERE "id" = $1`, [id]) : [];
    if (rows[0] === undefined) throw recallNotFound(id);
    return recallMessageOf(rows[0].record);
  }

  async list(request: { pageSize?: number; pageToken?: string }): Promise<RecallPageMessage> {
    const size = pageSizeOf(request.pageSize);
    const token = text(request.pageToken);
    let after: [string, string] | null = null;
    if (token !== '') {
      try {
        const parsed = JSON.parse(Buffer.from(token, 'base64url').toString()) as unknown;
        if (Array.isArray(parsed) && typeof parsed[0] === 'string' && typeof parsed[1] === 'string' && !Number.isNaN(Date.parse(parsed[0]))) after = [parsed[0], parsed[1]];
      } catch {
        // refused below
      }
      if (after === null) throw invalidControlRequest(ControlErrorCode.invalidPageToken, [{ field: 'page_token', message: 'not a token this API gave out' }]);
    }
    const rows: { recalled_at: Date; id: string; record: RecallRecord }[] = await this.db.query(
      `SELECT "recalled_at", "id", "record" FROM ${S}."control_recalls"
       WHERE ($1::timestamptz IS NULL OR ("recalled_at", "id") < ($1::timestamptz, $2::uuid))
       ORDER BY "recalled_at" DESC, "id" DESC LIMIT ${size + 1}`,
      [after?.[0] ?? null, after?.[1] ?? null],
    );
    const page = rows.slice(0, size);
    const last = page.at(-1);
    return {
      items: page.map((row) => recallMessageOf(row.record)),
      nextPageToken: rows.length > size && last !== undefined ? Buffer.from(JSON.stringify([last.recalled_at.toISOString(), last.id])).toString('base64url') : '',
    };
  }
}
