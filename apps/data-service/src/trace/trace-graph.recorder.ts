import type { EpcisStoredEvent } from '@traceport/contracts';
import type { EntityManager } from 'typeorm';
import type { LotKey } from '../epcis/captured-event.js';
import { canonicalIdentifier } from '../epcis/gs1-identifier.js';

const SCHEMA = 'data_service';

/** What the trace graph needs of one stored event: its indexed values, its body and the lots it concerns. */
export interface TraceableEvent {
  readonly seq: string;
  readonly type: string;
  readonly action: string | null;
  readonly bizStep: string | null;
  readonly eventTime: Date;
  /** Canonical, as stored. */
  readonly readPoint: string | null;
  readonly bizLocation: string | null;
  /** The event as stored (normalised JSON-LD form). */
  readonly body: Readonly<Record<string, unknown>>;
  /** Every lot the event concerns, as the capture linked them (the captured event's facts). */
  readonly lots: readonly LotKey[];
}

interface StoredRow {
  seq: string;
  event_id: string;
  version: number;
  latest: boolean;
  event_type: string;
  action: string | null;
  biz_step: string | null;
  event_time: Date;
  read_point: string | null;
  biz_location: string | null;
}

interface Keys {
  readonly identifier: string;
  readonly gtin: string | null;
  readonly lot: string | null;
  readonly serial: string | null;
}

/** Business steps after which the goods are at the event's location as its new holder's. */
const ARRIVALS = new Set(['receiving', 'arriving', 'accepting'].map((step) => `https://ref.gs1.org/cbv/BizStep-${step}`));

export function locationKindOf(bizStep: string | null): 'shipped-to' | 'observed-at' {
  return bizStep !== null && ARRIVALS.has(bizStep) ? 'shipped-to' : 'observed-at';
}

/** The GS1 keys of an identifier; one that is not a GS1 key (or not a valid one) stays as written. */
export function keysOf(value: string): Keys {
  try {
    const id = canonicalIdentifier(value);
    return { identifier: id.canonical, gtin: id.gtin ?? null, lot: id.lot ?? null, serial: id.serial ?? null };
  } catch {
    return { identifier: value.trim(), gtin: null, lot: null, serial: null };
  }
}

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);

function classesOf(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((element: unknown) => {
    const epcClass = (element as { epcClass?: unknown } | null)?.epcClass;
    return typeof epcClass === 'string' ? [epcClass] : [];
  });
}

const isAggregation = (event: TraceableEvent) =>
  (event.type === 'AggregationEvent' || event.type === 'AssociationEvent') && typeof event.body['parentID'] === 'string';

/** An event declared erroneous (EPCIS 2.0 errorDeclaration) says nothing about where goods went. */
const isDeclaredErroneous = (event: TraceableEvent) => event.body['errorDeclaration'] !== undefined;

interface LocationRow {
  gtin: string;
  lot: string;
  location: string;
  kind: string;
  first: Date;
  last: Date;
}

/**
 * Builds the trace graph's own tables from captured events (see the CreateTraceGraph migration):
 * aggregation history, the containers and locations each lot reached, and transformations' inputs
 * and outputs. Every write is a set insert (or a min/max upsert), so recording an event twice, or
 * events out of order, leaves the same rows. Runs in the caller's transaction.
 */
export class TraceGraphRecorder {
  constructor(private readonly manager: EntityManager) {}

  /**
   * Records stored events as epcis.capture.stored.v1 carries them: each is read back by its seq (the
   * row's primary key); one that a newer version has superseded is left out, and what older versions
   * of an event recorded is forgotten when its new version arrives.
   */
  async recordCaptured(messages: readonly Pick<EpcisStoredEvent, 'record' | 'facts'>[]): Promise<void> {
    if (messages.length === 0) return;
    const rows: StoredRow[] = await this.manager.query(
      `SELECT "seq"::text AS "seq", "event_id", "version", "latest", "event_type", "action", "biz_step", "event_time", "read_point", "biz_location"
       FROM "${SCHEMA}"."epcis_events" WHERE "seq" = ANY($1::bigint[])`,
      [[...new Set(messages.map((message) => message.facts.seq))]],
    );
    const stored = new Map(rows.map((row) => [row.seq, row]));
    const events: TraceableEvent[] = [];
    for (const message of messages) {
      const row = stored.get(message.facts.seq);
      if (row === undefined || !row.latest) continue;
      events.push({
        seq: row.seq,
        type: row.event_type,
        action: row.action,
        bizStep: row.biz_step,
        eventTime: row.event_time,
        readPoint: row.read_point,
        bizLocation: row.biz_location,
        body: message.record,
        lots: message.facts.lots,
      });
    }
    const revised = rows.filter((row) => row.latest && row.version > 1);
    let stale: LotKey[] = [];
    if (revised.length > 0) {
      const superseded: { seq: string }[] = await this.manager.query(
        `SELECT "seq"::text AS "seq" FROM "${SCHEMA}"."epcis_events" WHERE "event_id" = ANY($1::text[]) AND NOT "latest"`,
        [revised.map((row) => row.event_id)],
      );
      stale = await this.forget(superseded.map((row) => row.seq));
    }
    await this.record(unique(events, (event) => event.seq));
    if (revised.length > 0) {
      const revisedSeqs = new Set(revised.map((row) => row.seq));
      await this.refreshLocations(unique([...stale, ...events.filter((event) => revisedSeqs.has(event.seq)).flatMap((event) => event.lots)], (lot) => `${lot.gtin}\u0000${lot.lot}`));
    }
  }

  /** Records events that are each the latest version of their eventID. */
  async record(events: readonly TraceableEvent[]): Promise<void> {
    const valid = events.filter((event) => !isDeclaredErroneous(event));
    await this.recordStructure(valid);
    await this.recordReach(valid);
  }

  /** Aggregation history and transformations: what an event's body says, whatever lots it concerns. */
  async recordStructure(events: readonly TraceableEvent[]): Promise<void> {
    const aggregations: { seq: string; parent: string; child: Keys }[] = [];
    const transformations: { transformation: string; seq: string; side: 'input' | 'output'; keys: Keys }[] = [];
    for (const event of events) {
      if (isAggregation(event)) {
        const parent = keysOf(event.body['parentID'] as string).identifier;
        const children = [...strings(event.body['childEPCs']), ...classesOf(event.body['childQuantityList'])].map(keysOf);
        for (const child of unique(children, (keys) => keys.identifier)) aggregations.push({ seq: event.seq, parent, child });
      } else if (event.type === 'TransformationEvent') {
        const id = event.body['transformationID'];
        // Events sharing a transformationID are one transformation (EPCIS 2.0 §7.4.6); otherwise it is the event itself.
        const transformation = typeof id === 'string' && id.trim() !== '' ? id.trim() : `event:${event.seq}`;
        const side = (name: 'input' | 'output') =>
          unique([...strings(event.body[`${name}EPCList`]), ...classesOf(event.body[`${name}QuantityList`])].map(keysOf), (keys) => keys.identifier).map((keys) => ({
            transformation,
            seq: event.seq,
            side: name,
            keys,
          }));
        transformations.push(...side('input'), ...side('output'));
      }
    }
    // Rows in key order, so that concurrent consumers lock shared keys in one order and never deadlock.
    aggregations.sort((a, b) => byText(a.parent, b.parent) || byText(a.child.identifier, b.child.identifier) || byText(a.seq, b.seq));
    transformations.sort((a, b) => byText(a.transformation, b.transformation) || byText(a.side, b.side) || byText(a.keys.identifier, b.keys.identifier) || byText(a.seq, b.seq));
    if (aggregations.length > 0) {
      await this.manager.query(
        `INSERT INTO "${SCHEMA}"."trace_aggregations" ("event_seq", "parent", "child", "child_gtin", "child_lot", "child_serial")
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bpchar[], $5::text[], $6::text[]) ON CONFLICT DO NOTHING`,
        [
          aggregations.map((row) => row.seq),
          aggregations.map((row) => row.parent),
          aggregations.map((row) => row.child.identifier),
          aggregations.map((row) => row.child.gtin),
          aggregations.map((row) => row.child.lot),
          aggregations.map((row) => row.child.serial),
        ],
      );
    }
    if (transformations.length > 0) {
      await this.manager.query(
        `INSERT INTO "${SCHEMA}"."trace_transformations" ("transformation", "event_seq", "side", "identifier", "gtin", "lot", "serial")
         SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::bpchar[], $6::text[], $7::text[]) ON CONFLICT DO NOTHING`,
        [
          transformations.map((row) => row.transformation),
          transformations.map((row) => row.seq),
          transformations.map((row) => row.side),
          transformations.map((row) => row.keys.identifier),
          transformations.map((row) => row.keys.gtin),
          transformations.map((row) => row.keys.lot),
          transformations.map((row) => row.keys.serial),
        ],
      );
    }
  }

  /**
   * Where each lot went: the containers its aggregation events name as parent, and the locations of
   * every event concerning it. An aggregation captured after its container's later events (the
   * shipping reported before the packing) also reaches those events, as the capture's trail links do.
   */
  async recordReach(events: readonly TraceableEvent[]): Promise<void> {
    const containers = new Map<string, { gtin: string; lot: string; container: string; seq: string }>();
    const locations = new Map<string, LocationRow>();
    const addLocations = (lots: readonly LotKey[], event: { readPoint: string | null; bizLocation: string | null; bizStep: string | null; eventTime: Date }) => {
      const kind = locationKindOf(event.bizStep);
      for (const location of new Set([event.readPoint, event.bizLocation])) {
        if (location === null) continue;
        for (const lot of lots) {
          const key = `${lot.gtin}\u0000${lot.lot}\u0000${location}\u0000${kind}`;
          const row = locations.get(key);
          if (row === undefined) locations.set(key, { gtin: lot.gtin, lot: lot.lot, location, kind, first: event.eventTime, last: event.eventTime });
          else {
            if (event.eventTime < row.first) row.first = event.eventTime;
            if (event.eventTime > row.last) row.last = event.eventTime;
          }
        }
      }
    };
    const addContainers = (lots: readonly LotKey[], container: string, seq: string) => {
      for (const lot of lots) containers.set(`${lot.gtin}\u0000${lot.lot}\u0000${container}\u0000${seq}`, { gtin: lot.gtin, lot: lot.lot, container, seq });
    };

    const packed: { event: TraceableEvent; parent: string }[] = [];
    for (const event of events) {
      if (event.lots.length === 0) continue;
      addLocations(event.lots, event);
      if (!isAggregation(event)) continue;
      const parent = keysOf(event.body['parentID'] as string).identifier;
      addContainers(event.lots, parent, event.seq);
      if (event.action !== 'DELETE') packed.push({ event, parent });
    }
    if (packed.length > 0) {
      // Later events naming the container (and, for those that pack it further, their parent).
      const later: { index: number; seq: string; read_point: string | null; biz_location: string | null; biz_step: string | null; event_time: Date; parent: string | null }[] =
        await this.manager.query(
          `SELECT p."index", e."seq"::text AS "seq", e."read_point", e."biz_location", e."biz_step", e."event_time",
             (SELECT a."parent" FROM "${SCHEMA}"."trace_aggregations" a WHERE a."event_seq" = e."seq" LIMIT 1) AS "parent"
           FROM unnest($1::text[], $2::timestamptz[], $3::bigint[]) WITH ORDINALITY AS p ("container", "after", "seq", "index")
           CROSS JOIN LATERAL (
             SELECT e."seq", e."read_point", e."biz_location", e."biz_step", e."event_time" FROM "${SCHEMA}"."epcis_events" e
             WHERE e."any_epcs" @> ARRAY[p."container"] AND e."event_time" >= p."after" AND e."latest" AND e."seq" <> p."seq"
               AND NOT (e."body" ? 'errorDeclaration')
           ) e`,
          [packed.map(({ parent }) => parent), packed.map(({ event }) => event.eventTime), packed.map(({ event }) => event.seq)],
        );
      for (const row of later) {
        const { event, parent } = packed[Number(row.index) - 1]!;
        addLocations(event.lots, { readPoint: row.read_point, bizLocation: row.biz_location, bizStep: row.biz_step, eventTime: row.event_time });
        if (row.parent !== null && row.parent !== parent) addContainers(event.lots, row.parent, row.seq);
      }
    }

    if (containers.size > 0) {
      const rows = [...containers.values()].sort((a, b) => byText(`${a.gtin}\u0000${a.lot}\u0000${a.container}`, `${b.gtin}\u0000${b.lot}\u0000${b.container}`) || byText(a.seq, b.seq));
      await this.manager.query(
        `INSERT INTO "${SCHEMA}"."trace_lot_containers" ("gtin", "lot", "container", "event_seq")
         SELECT * FROM unnest($1::bpchar[], $2::text[], $3::text[], $4::bigint[]) ON CONFLICT DO NOTHING`,
        [rows.map((row) => row.gtin), rows.map((row) => row.lot), rows.map((row) => row.container), rows.map((row) => row.seq)],
      );
      await this.countEventLots([...new Set(rows.map((row) => row.seq))]);
    }
    if (locations.size > 0) {
      const rows = [...locations.entries()].sort(([a], [b]) => byText(a, b)).map(([, row]) => row);
      await this.manager.query(
        `INSERT INTO "${SCHEMA}"."trace_lot_locations" ("gtin", "lot", "location", "kind", "first_seen", "last_seen")
         SELECT * FROM unnest($1::bpchar[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[])
         ON CONFLICT ("gtin", "lot", "location", "kind") DO UPDATE
           SET "first_seen" = least("trace_lot_locations"."first_seen", excluded."first_seen"),
               "last_seen" = greatest("trace_lot_locations"."last_seen", excluded."last_seen")`,
        [rows.map((row) => row.gtin), rows.map((row) => row.lot), rows.map((row) => row.location), rows.map((row) => row.kind), rows.map((row) => row.first), rows.map((row) => row.last)],
      );
    }
  }

  /**
   * Sets event_lots, the number of lots each aggregation event packed, on its rows. Rows of one event
   * may come from two transactions (its own, and a later-captured packing of what it moved), so the
   * count is taken under a lock per event, after any other writer of the event has committed.
   */
  private async countEventLots(seqs: readonly string[]): Promise<void> {
    const sorted = [...seqs].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
    await this.manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('trace_lot_containers:' || s, 0)) FROM unnest($1::text[]) AS s`, [sorted]);
    await this.manager.query(
      `UPDATE "${SCHEMA}"."trace_lot_containers" t SET "event_lots" = c."n"
       FROM (SELECT "event_seq", count(*)::int AS "n" FROM "${SCHEMA}"."trace_lot_containers" WHERE "event_seq" = ANY($1::bigint[]) GROUP BY 1) c
       WHERE t."event_seq" = c."event_seq" AND t."event_lots" <> c."n"`,
      [sorted],
    );
  }

  /**
   * Forgets what superseded versions of events recorded (a new version replaces an event's content;
   * an error declaration withdraws it) and answers the lots whose containers they named.
   */
  async forget(seqs: readonly string[]): Promise<LotKey[]> {
    if (seqs.length === 0) return [];
    await this.manager.query(`DELETE FROM "${SCHEMA}"."trace_aggregations" WHERE "event_seq" = ANY($1::bigint[])`, [seqs]);
    await this.manager.query(`DELETE FROM "${SCHEMA}"."trace_transformations" WHERE "event_seq" = ANY($1::bigint[])`, [seqs]);
    const lots: LotKey[] = await this.manager.query(
      `DELETE FROM "${SCHEMA}"."trace_lot_containers" WHERE "event_seq" = ANY($1::bigint[]) RETURNING "gtin", "lot"`,
      [seqs],
    );
    return unique(lots, (lot) => `${lot.gtin}\u0000${lot.lot}`);
  }

  /** Recomputes the locations of these lots from their trails, leaving out withdrawn events. */
  async refreshLocations(lots: readonly LotKey[]): Promise<void> {
    if (lots.length === 0) return;
    const gtins = lots.map((lot) => lot.gtin);
    const numbers = lots.map((lot) => lot.lot);
    await this.manager.query(
      `DELETE FROM "${SCHEMA}"."trace_lot_locations" t USING unnest($1::bpchar[], $2::text[]) AS l ("gtin", "lot") WHERE t."gtin" = l."gtin" AND t."lot" = l."lot"`,
      [gtins, numbers],
    );
    await this.manager.query(`${LOCATIONS_FROM_TRAILS} WHERE (ll."gtin", ll."lot") IN (SELECT * FROM unnest($1::bpchar[], $2::text[])) ${LOCATIONS_GROUPING}`, [gtins, numbers]);
  }
}

/** The locations of lots as their trails (epcis_lot_links) show them; completed by a WHERE and LOCATIONS_GROUPING. */
export const LOCATIONS_FROM_TRAILS = `
  INSERT INTO "${SCHEMA}"."trace_lot_locations" ("gtin", "lot", "location", "kind", "first_seen", "last_seen")
  SELECT ll."gtin", ll."lot", v."location",
    CASE WHEN e."biz_step" IN (${[...ARRIVALS].map((step) => `'${step}'`).join(', ')}) THEN 'shipped-to' ELSE 'observed-at' END,
    min(e."event_time"), max(e."event_time")
  FROM "${SCHEMA}"."epcis_lot_links" ll
  JOIN "${SCHEMA}"."epcis_events" e ON e."seq" = ll."event_seq" AND e."latest" AND NOT (e."body" ? 'errorDeclaration')
  CROSS JOIN LATERAL (SELECT DISTINCT x FROM unnest(ARRAY[e."read_point", e."biz_location"]) AS x WHERE x IS NOT NULL) AS v ("location")`;
export const LOCATIONS_GROUPING = `GROUP BY 1, 2, 3, 4 ON CONFLICT DO NOTHING`;

/** The containers of lots, from their trails and the aggregation history (for a backfill). */
export const CONTAINERS_FROM_TRAILS = `
  INSERT INTO "${SCHEMA}"."trace_lot_containers" ("gtin", "lot", "container", "event_seq", "event_lots")
  SELECT r."gtin", r."lot", r."parent", r."event_seq", count(*) OVER (PARTITION BY r."event_seq")
  FROM (
    SELECT DISTINCT ll."gtin", ll."lot", a."parent", ll."event_seq"
    FROM "${SCHEMA}"."epcis_lot_links" ll
    JOIN (SELECT DISTINCT "event_seq", "parent" FROM "${SCHEMA}"."trace_aggregations") a ON a."event_seq" = ll."event_seq"
  ) r
  ON CONFLICT DO NOTHING`;

function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function unique<T>(values: readonly T[], key: (value: T) => string): T[] {
  return [...new Map(values.map((value) => [key(value), value])).values()];
}
