import type { TraceEventMessage } from '@traceport/contracts';
import type { StoredEventRow } from './epcis-event.store.js';

export function traceEventMessageOf(row: StoredEventRow): TraceEventMessage {
  return {
    eventId: row.event_id,
    version: row.version,
    eventHash: row.event_hash,
    eventType: row.event_type,
    eventTime: row.event_time.toISOString(),
    recordTime: row.record_time.toISOString(),
    recordKey: row.record_key,
    eventJson: row.body_json,
    bizStep: row.biz_step ?? '',
    disposition: row.disposition ?? '',
    readPoint: row.read_point ?? '',
    bizLocation: row.biz_location ?? '',
  };
}
