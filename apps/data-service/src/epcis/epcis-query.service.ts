import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { encodePageToken, parseEventQuery, type QueryParameter } from './epcis-event-query.js';
import { STORED_EVENT_COLUMNS, type StoredEventRow } from './epcis-event.store.js';
import { eventNotFound } from './epcis.exception.js';
import type { TraceEventMessage } from '@traceport/contracts';
import { traceEventMessageOf } from './trace-event.message.js';

/** Reads events back: standard queries (latest versions only) and single events by eventID. */
@Injectable()
export class EpcisQueryService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async query(parameters: readonly QueryParameter[]): Promise<{ events: TraceEventMessage[]; nextPageToken: string }> {
    const query = parseEventQuery(parameters);
    const rows: StoredEventRow[] = await this.dataSource.query(
      `SELECT ${STORED_EVENT_COLUMNS} FROM "data_service"."epcis_events" e WHERE ${query.where.join(' AND ')}
       ORDER BY e."event_time", e."seq" LIMIT ${query.perPage + 1}`,
      query.values,
    );
    const page = rows.slice(0, query.perPage);
    const last = page.at(-1);
    return {
      events: page.map(traceEventMessageOf),
      nextPageToken: rows.length > query.perPage && last !== undefined ? encodePageToken(last.event_time, last.seq, query.fingerprint) : '',
    };
  }

  /** The latest version, or the one asked for, with the list of all versions. */
  async get(eventId: string, version: number): Promise<{ event: TraceEventMessage; versions: number[] }> {
    const rows: (StoredEventRow & { latest: boolean })[] = await this.dataSource.query(
      // The latest version and the earlier ones are indexed apart (see EpcisEarlierVersions1764900000001),
      // so each half asks its own index.
      `SELECT * FROM (
         SELECT ${STORED_EVENT_COLUMNS}, e."latest" FROM "data_service"."epcis_events" e WHERE e."event_id" = $1 AND e."latest"
         UNION ALL
         SELECT ${STORED_EVENT_COLUMNS}, e."latest" FROM "data_service"."epcis_events" e WHERE e."event_id" = $1 AND NOT e."latest"
       ) AS versions ORDER BY "version"`,
      [eventId],
    );
    const wanted = version > 0 ? rows.find((row) => row.version === version) : rows.find((row) => row.latest);
    if (wanted === undefined) throw eventNotFound(eventId, version > 0 ? version : undefined);
    return { event: traceEventMessageOf(wanted), versions: rows.map((row) => row.version) };
  }
}
