import type { StoredEventRow } from './epcis-event.store.js';

/** traceport.v1.TraceEvent: the indexed values beside the event as anchored (JSON text). */
export interface TraceEventMessage {
  eventId: string;
  version: number;
  eventHash: string;
  eventType: string;
  eventTime: string;
  recordTime: string;
  recordKey: string;
  eventJson: string;
  bizStep: string;
  disposition: string;
  readPoint: string;
  bizLocation: string;
}

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
