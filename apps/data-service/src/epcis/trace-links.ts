import { copyRows } from '@traceport/database';
import type { EntityManager } from 'typeorm';
import type { CapturedEvent, ItemKey, LotKey } from './captured-event.js';
import { canonicalIdentifier } from './gs1-identifier.js';

const SCHEMA = 'data_service';

export interface StoredEventRef {
  readonly seq: string;
  readonly event: CapturedEvent;
}

const itemId = (item: ItemKey) => `${item.gtin}\u0000${item.serial}`;
const lotId = (lot: LotKey) => `${lot.gtin}\u0000${lot.lot}`;

function keysOf(canonical: string): { item?: ItemKey; lot?: LotKey } {
  try {
    const id = canonicalIdentifier(canonical);
    if (id.gtin === undefined) return {};
    return {
      ...(id.serial === undefined ? {} : { item: { gtin: id.gtin, serial: id.serial } }),
      ...(id.lot === undefined ? {} : { lot: { gtin: id.gtin, lot: id.lot } }),
    };
  } catch {
    return {};
  }
}

/**
 * Links stored events to the lots and items they concern, so a trail is one indexed read. An event
 * concerns an item it names (an SGTIN), a lot it names (an LGTIN, or a Digital Link with AI 10), the
 * lot of any item whose lot is known (from commissioning ILMD or a Digital Link carrying both), and —
 * through aggregation — everything inside a container it names: shipping a pallet's SSCC reaches the
 * trail of every item packed on it. Runs inside the capture's transaction, in document order.
 */
export class TraceLinker {
  constructor(private readonly manager: EntityManager) {}

  /**
   * Links the events and answers, per stored event (by seq), the lots it concerns. The events are
   * those the capture has just stored: no link names their seqs yet.
   */
  async link(stored: readonly StoredEventRef[]): Promise<Map<string, LotKey[]>> {
    const lotsOfEvent = new Map<string, LotKey[]>();
    if (stored.length === 0) return lotsOfEvent;
    // What happened first is applied first, whatever order the document lists its events in.
    const inOrder = [...stored].sort((a, b) => a.event.eventTime.getTime() - b.event.eventTime.getTime());
    const contents = await this.loadContents(inOrder.flatMap(({ event }) => event.anyEpcs));
    const changes = new Map<string, { parent: string; child: string; present: boolean }>();
    const perEvent: { seq: string; items: Map<string, ItemKey>; lots: Map<string, LotKey> }[] = [];

    for (const { seq, event } of inOrder) {
      if (isAggregation(event)) this.applyAggregation(contents, event, changes);
      const items = new Map(event.items.map((item) => [itemId(item), item]));
      const lots = new Map(event.lots.map((lot) => [lotId(lot), lot]));
      addKeysOf(descendants(contents, event.anyEpcs), items, lots);
      perEvent.push({ seq, items, lots });
    }
    // An aggregation captured after its container's later events (shipping reported before packing)
    // still reaches them: those events get the new contents' keys too. One read for all of them.
    const aggregations = inOrder.map(({ event }) => event).filter((event) => isAggregation(event) && event.action !== 'DELETE');
    const laterOf = await this.laterEventsOf(aggregations);
    aggregations.forEach((event, position) => {
      const later = laterOf.get(position) ?? [];
      if (later.length === 0) return;
      const items = new Map<string, ItemKey>();
      const lots = new Map<string, LotKey>();
      addKeysOf(new Set([...event.childEpcs, ...descendants(contents, event.childEpcs)]), items, lots);
      for (const seq of later) perEvent.push({ seq, items, lots });
    });

    const knownLots = await this.loadItemLots(perEvent.flatMap(({ items }) => [...items.values()]));
    const newItemLots = new Map<string, ItemKey & { lot: string }>();
    for (const { event } of inOrder) {
      for (const itemLot of event.itemLots) {
        const key = itemId(itemLot);
        if (!knownLots.has(key)) {
          knownLots.set(key, itemLot.lot);
          newItemLots.set(key, itemLot);
        }
      }
    }
    for (const { items, lots } of perEvent) {
      for (const [key, item] of items) {
        const lot = knownLots.get(key);
        if (lot !== undefined) lots.set(lotId({ gtin: item.gtin, lot }), { gtin: item.gtin, lot });
      }
    }
    const storedSeqs = new Set(stored.map(({ seq }) => seq));
    await this.persist(perEvent, [...newItemLots.values()], [...changes.values()], storedSeqs);
    for (const { seq, lots } of perEvent) {
      if (storedSeqs.has(seq)) lotsOfEvent.set(seq, [...(lotsOfEvent.get(seq) ?? []), ...lots.values()]);
    }
    return lotsOfEvent;
  }

  /** ADD and OBSERVE put children into the parent, DELETE takes them (or, naming none, all) out; the last word per pair wins. */
  private applyAggregation(contents: Map<string, Set<string>>, event: CapturedEvent, changes: Map<string, { parent: string; child: string; present: boolean }>): void {
    const parent = event.parentId!;
    const children = contents.get(parent) ?? new Set<string>();
    const present = event.action !== 'DELETE';
    const affected = present || event.childEpcs.length > 0 ? event.childEpcs : [...children];
    for (const child of affected) {
      if (present) children.add(child);
      else children.delete(child);
      changes.set(`${parent}\u0000${child}`, { parent, child, present });
    }
    contents.set(parent, children);
  }

  /** Per aggregation (by position), the stored events naming its parent at or after its time. */
  private async laterEventsOf(aggregations: readonly CapturedEvent[]): Promise<Map<number, string[]>> {
    const later = new Map<number, string[]>();
    if (aggregations.length === 0) return later;
    const rows: { position: string; seq: string }[] = await this.manager.query(
      `SELECT named."position"::text AS "position", e."seq"::text AS "seq"
       FROM unnest($1::text[], $2::timestamptz[]) WITH ORDINALITY AS named ("parent", "since", "position")
       JOIN "${SCHEMA}"."epcis_events" e ON e."any_epcs" @> ARRAY[named."parent"] AND e."event_time" >= named."since" AND e."latest"`,
      [aggregations.map((event) => event.parentId), aggregations.map((event) => event.eventTime.toISOString())],
    );
    for (const row of rows) {
      const position = Number(row.position) - 1;
      later.set(position, [...(later.get(position) ?? []), row.seq]);
    }
    return later;
  }

  /**
   * What every named identifier contains today, transitively (a pallet of cases of items). Most
   * identifiers contain nothing, so the containment walk only runs for those that hold something.
   */
  private async loadContents(ids: string[]): Promise<Map<string, Set<string>>> {
    const contents = new Map<string, Set<string>>();
    if (ids.length === 0) return contents;
    // One index probe per identifier (OFFSET 0 keeps each a probe): without statistics the planner
    // would otherwise cost "parent = ANY(...)" as a large part of the table and scan it all.
    const containers: { parent: string }[] = await this.manager.query(
      `SELECT DISTINCT named."id" AS "parent" FROM unnest($1::text[]) AS named ("id")
       CROSS JOIN LATERAL (SELECT 1 FROM "${SCHEMA}"."epcis_containment" c WHERE c."parent" = named."id" LIMIT 1 OFFSET 0) AS holds`,
      [[...new Set(ids)]],
    );
    if (containers.length === 0) return contents;
    const rows: { parent: string; child: string }[] = await this.manager.query(
      `WITH RECURSIVE inside ("parent", "child") AS (
         SELECT "parent", "child" FROM "${SCHEMA}"."epcis_containment" WHERE "parent" = ANY($1::text[])
         UNION
         SELECT c."parent", c."child" FROM "${SCHEMA}"."epcis_containment" c JOIN inside ON c."parent" = inside."child"
       ) SELECT "parent", "child" FROM inside`,
      [containers.map((row) => row.parent)],
    );
    for (const row of rows) {
      const children = contents.get(row.parent) ?? new Set<string>();
      children.add(row.child);
      contents.set(row.parent, children);
    }
    return contents;
  }

  private async loadItemLots(items: ItemKey[]): Promise<Map<string, string>> {
    const known = new Map<string, string>();
    if (items.length === 0) return known;
    const rows: { gtin: string; serial: string; lot: string }[] = await this.manager.query(
      // One primary-key probe per item, whatever the statistics (OFFSET 0 keeps it from becoming a
      // hash join over the whole table); bpchar[] keeps the comparison on the column's own type.
      `SELECT wanted."gtin", wanted."serial", known."lot" FROM unnest($1::bpchar[], $2::text[]) AS wanted ("gtin", "serial")
       CROSS JOIN LATERAL (SELECT l."lot" FROM "${SCHEMA}"."epcis_item_lots" l WHERE l."gtin" = wanted."gtin" AND l."serial" = wanted."serial" OFFSET 0) AS known`,
      [items.map((item) => item.gtin), items.map((item) => item.serial)],
    );
    for (const row of rows) known.set(itemId(row), row.lot);
    return known;
  }

  private async persist(
    perEvent: { seq: string; items: Map<string, ItemKey>; lots: Map<string, LotKey> }[],
    itemLots: (ItemKey & { lot: string })[],
    containment: { parent: string; child: string; present: boolean }[],
    freshSeqs: ReadonlySet<string>,
  ): Promise<void> {
    const added = containment.filter((change) => change.present).map((change) => [change.parent, change.child] as const);
    const removed = containment.filter((change) => !change.present).map((change) => [change.parent, change.child] as const);
    const itemRows = perEvent.flatMap(({ seq, items }) => [...items.values()].map((item) => [item.gtin, item.serial, seq] as const));
    const lotRows = perEvent.flatMap(({ seq, lots }) => [...lots.values()].map((lot) => [lot.gtin, lot.lot, seq] as const));
    await this.writeLinks('epcis_item_links', 'serial', itemRows, freshSeqs);
    await this.writeLinks('epcis_lot_links', 'lot', lotRows, freshSeqs);
    if (itemLots.length > 0) {
      await this.manager.query(
        `INSERT INTO "${SCHEMA}"."epcis_item_lots" ("gtin", "serial", "lot")
         SELECT * FROM unnest($1::bpchar[], $2::text[], $3::text[]) ON CONFLICT DO NOTHING`,
        [itemLots.map((row) => row.gtin), itemLots.map((row) => row.serial), itemLots.map((row) => row.lot)],
      );
    }
    if (removed.length > 0) {
      await this.manager.query(
        `DELETE FROM "${SCHEMA}"."epcis_containment" c USING unnest($1::text[], $2::text[]) AS gone ("parent", "child")
         WHERE c."parent" = gone."parent" AND c."child" = gone."child"`,
        [removed.map((pair) => pair[0]), removed.map((pair) => pair[1])],
      );
    }
    if (added.length > 0) {
      await this.manager.query(
        `INSERT INTO "${SCHEMA}"."epcis_containment" ("parent", "child")
         SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING`,
        [added.map((pair) => pair[0]), added.map((pair) => pair[1])],
      );
    }
  }

  /**
   * Links (gtin, serial or lot, event seq). Those of the events this capture stored are new (their
   * seqs were drawn for it), so once repeats are dropped they go in with COPY; those of events stored
   * earlier (the later events of a container whose contents this capture changed) may exist already.
   */
  private async writeLinks(table: string, keyColumn: string, rows: readonly (readonly [string, string, string])[], freshSeqs: ReadonlySet<string>): Promise<void> {
    const unique = [...new Map(rows.map((row) => [row.join('\u0000'), row])).values()];
    const fresh = unique.filter((row) => freshSeqs.has(row[2]));
    const earlier = unique.filter((row) => !freshSeqs.has(row[2]));
    await copyRows(this.manager, `"${SCHEMA}"."${table}"`, ['gtin', keyColumn, 'event_seq'], fresh);
    if (earlier.length > 0) {
      await this.manager.query(
        `INSERT INTO "${SCHEMA}"."${table}" ("gtin", "${keyColumn}", "event_seq")
         SELECT * FROM unnest($1::bpchar[], $2::text[], $3::bigint[]) ON CONFLICT DO NOTHING`,
        [earlier.map((row) => row[0]), earlier.map((row) => row[1]), earlier.map((row) => row[2])],
      );
    }
  }
}

function isAggregation(event: CapturedEvent): boolean {
  return (event.type === 'AggregationEvent' || event.type === 'AssociationEvent') && event.parentId !== null;
}

function addKeysOf(identifiers: Iterable<string>, items: Map<string, ItemKey>, lots: Map<string, LotKey>): void {
  for (const identifier of identifiers) {
    const keys = keysOf(identifier);
    if (keys.item) items.set(itemId(keys.item), keys.item);
    if (keys.lot) lots.set(lotId(keys.lot), keys.lot);
  }
}

/** Everything inside the given identifiers, following containment down. */
function descendants(contents: Map<string, Set<string>>, roots: readonly string[]): Set<string> {
  const found = new Set<string>();
  const queue = [...roots];
  while (queue.length > 0) {
    const next = queue.pop()!;
    for (const child of contents.get(next) ?? []) {
      if (found.has(child)) continue;
      found.add(child);
      queue.push(child);
    }
  }
  return found;
}
