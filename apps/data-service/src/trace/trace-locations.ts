import type { TraceLocationKind, TraceLocationMessage } from '@traceport/contracts';
import type { LotKey } from '../epcis/captured-event.js';
import { lotKeyOf } from './trace-sql.js';

/** Where something was seen, as the trace graph's queries read it: when first and last, and how. */
export interface LocationRow {
  location: string;
  kind: TraceLocationKind;
  first_seen: Date;
  last_seen: Date;
  /** The lot that reached it, when the row is a lot's. */
  gtin?: string;
  lot?: string;
}

export type LotLocationRow = LocationRow & LotKey;

/**
 * One entry per location: shipped-to when goods were received there (observed-at otherwise), first
 * and last seen over the lots, and how many lots reached it.
 */
export function locationsOf(rows: readonly LocationRow[]): TraceLocationMessage[] {
  const byLocation = new Map<string, { message: TraceLocationMessage; lots: Set<string> }>();
  for (const row of rows) {
    const first = new Date(row.first_seen).toISOString();
    const last = new Date(row.last_seen).toISOString();
    const entry = byLocation.get(row.location) ?? { message: { identifier: row.location, kind: row.kind, firstSeen: first, lastSeen: last, lots: 0 }, lots: new Set<string>() };
    if (row.kind === 'shipped-to') entry.message.kind = 'shipped-to';
    if (first < entry.message.firstSeen) entry.message.firstSeen = first;
    if (last > entry.message.lastSeen) entry.message.lastSeen = last;
    if (row.gtin !== undefined && row.lot !== undefined && row.lot !== '') entry.lots.add(lotKeyOf({ gtin: row.gtin, lot: row.lot }));
    byLocation.set(row.location, entry);
  }
  return [...byLocation.values()]
    .map(({ message, lots }) => ({ ...message, lots: lots.size }))
    .sort((a, b) => (a.identifier < b.identifier ? -1 : a.identifier > b.identifier ? 1 : 0));
}
