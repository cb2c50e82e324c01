import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { invalid } from '@traceport/errors';
import { parseGtin } from '@traceport/identity';
import { DataSource } from 'typeorm';
import { STORED_EVENT_COLUMNS, type StoredEventRow } from './epcis-event.store.js';
import { EpcisErrorCode } from './epcis.exception.js';
import type { TraceEventMessage } from '@traceport/contracts';
import { traceEventMessageOf } from './trace-event.message.js';

export interface TrailView {
  gtin: string;
  lot: string;
  serial: string;
  events: TraceEventMessage[];
  truncated: boolean;
}

/** The longest trail returned at once; a lot's trail is its events, not its items' every scan. */
export const MAX_TRAIL_EVENTS = 1_000;

function gtinOrFail(gtin: string): string {
  const parsed = parseGtin(gtin.trim());
  if (!parsed.ok) throw invalid(EpcisErrorCode.invalidTrailKey, `gtin: ${parsed.message}`, [{ field: 'gtin', message: parsed.message }]);
  return parsed.gtin14;
}

function required(field: string, value: string): string {
  const trimmed = value.trim();
  if (trimmed === '') throw invalid(EpcisErrorCode.invalidTrailKey, `${field} is required`, [{ field, message: 'required' }]);
  return trimmed;
}

/**
 * A lot's or an item's trail: every event linked to it (see TraceLinker), latest versions, in the
 * order things happened — eventTime, then recordTime for events stamped with the same time.
 */
@Injectable()
export class TraceTrailService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async lotTrail(gtin: string, lot: string): Promise<TrailView> {
    const key = { gtin: gtinOrFail(gtin), lot: required('lot', lot) };
    const rows = await this.read('epcis_lot_links', 'lot', key.gtin, key.lot);
    return { gtin: key.gtin, lot: key.lot, serial: '', ...rows };
  }

  async itemTrail(gtin: string, serial: string): Promise<TrailView> {
    const key = { gtin: gtinOrFail(gtin), serial: required('serial', serial) };
    const rows = await this.read('epcis_item_links', 'serial', key.gtin, key.serial);
    return { gtin: key.gtin, lot: '', serial: key.serial, ...rows };
  }

  private async read(table: 'epcis_lot_links' | 'epcis_item_links', column: 'lot' | 'serial', gtin: string, value: string) {
    const rows: StoredEventRow[] = await this.dataSource.query(
      `SELECT ${STORED_EVENT_COLUMNS} FROM "data_service"."${table}" l JOIN "data_service"."epcis_events" e ON e."seq" = l."event_seq"
       WHERE l."gtin" = $1 AND l."${column}" = $2 AND e."latest"
       ORDER BY e."event_time", e."record_time", e."seq" LIMIT ${MAX_TRAIL_EVENTS + 1}`,
      [gtin, value],
    );
    return { events: rows.slice(0, MAX_TRAIL_EVENTS).map(traceEventMessageOf), truncated: rows.length > MAX_TRAIL_EVENTS };
  }
}
