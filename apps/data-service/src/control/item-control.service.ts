import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ControlRecordTypes, type ControlFlagMessage, type HoldRecord, type ItemControlMessage } from '@traceport/contracts';
import { DataSource } from 'typeorm';
import type { RecallRecord } from './recall.service.js';

const S = '"data_service"';

/**
 * What the scan page flags on one item: the recalls that reached it (through its lot, or the item
 * itself when it belongs to no known lot) and the open holds on its lot that no recall shown
 * already explains. Each flag carries its anchored record.
 */
@Injectable()
export class ItemControlService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async flagsOf(request: { gtin?: string; serial?: string; lot?: string }): Promise<ItemControlMessage> {
    const gtin = (request.gtin ?? '').trim().padStart(14, '0');
    const serial = (request.serial ?? '').trim();
    if (!/^\d{14}$/.test(gtin) || serial === '') return { flags: [] };
    const given = (request.lot ?? '').trim();
    const lotRows: { lot: string }[] =
      given !== '' ? [{ lot: given }] : await this.db.query(`SELECT "lot" FROM ${S}."epcis_item_lots" WHERE "gtin" = $1 AND "serial" = $2`, [gtin, serial]);
    const lot = lotRows[0]?.lot ?? null;
    const [recalls, holds]: [{ record: RecallRecord }[], { record: HoldRecord }[]] = await Promise.all([
      this.db.query(
        `SELECT r."record" FROM ${S}."control_recalls" r
         WHERE r."id" IN (SELECT "recall_id" FROM ${S}."control_recall_lots" WHERE "gtin" = $1 AND "lot" = $2
                          UNION SELECT "recall_id" FROM ${S}."control_recall_items" WHERE "gtin" = $1 AND "serial" = $3)
         ORDER BY r."recalled_at" DESC`,
        [gtin, lot ?? '', serial],
      ),
      lot === null ? Promise.resolve([]) : this.db.query(`SELECT "record" FROM ${S}."control_holds" WHERE "gtin" = $1 AND "lot" = $2 AND "status" = 'open' ORDER BY "held_at" DESC`, [gtin, lot]),
    ]);
    const recallIds = new Set(recalls.map((row) => row.record.id));
    const flags: ControlFlagMessage[] = [
      ...recalls.map(({ record }): ControlFlagMessage => ({
        kind: 'recall',
        id: record.id,
        causeKind: 'recall',
        reason: record.reason,
        since: record.recalledAt,
        recordType: ControlRecordTypes.recall,
        recordKey: `${ControlRecordTypes.recall}/${record.id}/v1`,
        recordJson: JSON.stringify(record),
      })),
      ...holds
        .filter(({ record }) => !(record.cause.kind === 'recall' && recallIds.has(record.cause.reference)))
        .map(({ record }): ControlFlagMessage => ({
          kind: 'hold',
          id: record.id,
          causeKind: record.cause.kind,
          reason: record.cause.reason,
          since: record.heldAt,
          recordType: ControlRecordTypes.hold,
          recordKey: `${ControlRecordTypes.hold}/${record.id}/v${record.version}`,
          recordJson: JSON.stringify(record),
        })),
    ];
    return { flags };
  }
}
