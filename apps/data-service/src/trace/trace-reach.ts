import type { DataSource, EntityManager } from 'typeorm';
import type { ItemKey, LotKey } from '../epcis/captured-event.js';
import { itemKeyOf, lotKeyOf, tracing } from './trace-sql.js';
import { transformationLinks, type TransformationLink } from './trace-transformations.js';

const SCHEMA = 'data_service';
/** Transformation chains longer than this are cut (a cycle cannot loop: every lot is visited once). */
const MAX_ROUNDS = 64;

export interface ReachedLot extends LotKey {
  /** origin: a lot traced from; transformed: made from something affected (the whole lot). */
  readonly relation: 'origin' | 'transformed';
}

/** A lot some of whose items shared a container with affected items: those items, in serial order. */
export interface CopackedLot extends LotKey {
  readonly serials: readonly string[];
}

/** Everything a trace forward reached; items of whole lots are counted and paged from the trail links. */
export interface ForwardReach {
  /** Whole lots, by GTIN then lot number. */
  readonly lots: readonly ReachedLot[];
  readonly copacked: readonly CopackedLot[];
  /** Transformation outputs whose lot is unknown. */
  readonly looseItems: readonly ItemKey[];
  readonly links: readonly TransformationLink[];
  readonly containerCount: number;
  /** The first containers by identifier, packed ones and co-packed ones. */
  readonly containers: readonly { identifier: string; relation: 'packed' | 'co-packed' }[];
  /** Containers each whole lot's items were packed into. */
  readonly containersPerLot: ReadonlyMap<string, number>;
}

interface Frontier {
  lots: LotKey[];
  items: ItemKey[];
  identifiers: string[];
}

interface ContainmentRow {
  packed_count: number;
  first_packed: string[];
  per_lot: [string, string, number][];
  copacked_lots: [string, string][];
  consumed: string[];
  loose_unpacked: string[];
}

const byKey = <T extends LotKey>(a: T, b: T) => (a.gtin < b.gtin ? -1 : a.gtin > b.gtin ? 1 : a.lot < b.lot ? -1 : a.lot > b.lot ? 1 : 0);

/**
 * Trace forward from lots: the lots made from them by transformations (recursively), the
 * containers their items were packed into, and what shared those containers with them at the time
 * (the aggregation events that packed them name every lot inside). Lot-level throughout: a lot's
 * containers and co-packed neighbours come from trace_lot_containers, never from its items one by one.
 */
export class ForwardReachFinder {
  private readonly lots = new Map<string, ReachedLot>();
  private readonly looseItems = new Map<string, ItemKey>();
  private readonly looseContainers = new Set<string>();
  private readonly consumedContainers = new Set<string>();
  private readonly links = new Map<string, TransformationLink>();

  constructor(private readonly db: DataSource) {}

  async reach(seeds: readonly LotKey[], listLimit: number): Promise<ForwardReach> {
    await this.start(seeds);
    return this.complete(listLimit);
  }

  /**
   * The first step: the seeds and the lots transformations made from them. What a caller needs per
   * lot can be read from here on while complete() follows the containers; a lot complete() adds
   * (made from a container consumed whole, rarely) is in its result, not in this one.
   */
  async start(seeds: readonly LotKey[]): Promise<ReachedLot[]> {
    for (const seed of seeds) this.lots.set(lotKeyOf(seed), { gtin: seed.gtin, lot: seed.lot, relation: 'origin' });
    await this.followTransformations({ lots: [...this.lots.values()], items: [], identifiers: [] });
    return [...this.lots.values()].sort(byKey);
  }

  /** The containers, co-packed lots and items, and transformations of containers consumed whole. */
  async complete(listLimit: number): Promise<ForwardReach> {
    // Inputs that are containers (a pallet consumed whole) are rare: known up front, checked against what was reached.
    const containerInputs: { identifier: string }[] = await this.db.query(
      `SELECT DISTINCT "identifier" FROM "${SCHEMA}"."trace_transformations" WHERE "side" = 'input' AND "gtin" IS NULL`,
    );
    let containment: ContainmentRow;
    for (;;) {
      containment = await tracing(this.db, (manager) => this.containment(manager, containerInputs.map((row) => row.identifier), listLimit));
      const consumed = containment.consumed.filter((identifier) => !this.consumedContainers.has(identifier));
      if (consumed.length === 0) break;
      for (const identifier of consumed) this.consumedContainers.add(identifier);
      await this.followTransformations({ lots: [], items: [], identifiers: consumed });
    }
    const lots = [...this.lots.values()].sort(byKey);
    const copacked = containment.copacked_lots.length === 0 ? { items: [], containers: [] } : await tracing(this.db, (manager) => this.copacked(manager, lots, containment.copacked_lots));
    const serialsOf = new Map<string, CopackedLot>();
    for (const [gtin, lot, serial] of copacked.items) {
      const key = lotKeyOf({ gtin, lot });
      const entry = serialsOf.get(key) ?? { gtin, lot, serials: [] as string[] };
      (entry.serials as string[]).push(serial);
      serialsOf.set(key, entry);
    }
    for (const entry of serialsOf.values()) (entry.serials as string[]).sort();

    const extra = [
      ...copacked.containers.map((identifier) => ({ identifier, relation: 'co-packed' as const })),
      ...containment.loose_unpacked.filter((identifier) => !copacked.containers.includes(identifier)).map((identifier) => ({ identifier, relation: 'packed' as const })),
    ];
    const containers = [...containment.first_packed.map((identifier) => ({ identifier, relation: 'packed' as const })), ...extra]
      .sort((a, b) => (a.identifier < b.identifier ? -1 : a.identifier > b.identifier ? 1 : 0))
      .slice(0, listLimit);
    return {
      lots,
      copacked: [...serialsOf.values()].sort(byKey),
      looseItems: [...this.looseItems.values()].sort((a, b) => itemKeyOf(a).localeCompare(itemKeyOf(b))),
      links: [...this.links.values()],
      containerCount: containment.packed_count + extra.length,
      containers,
      containersPerLot: new Map(containment.per_lot.map(([gtin, lot, count]) => [lotKeyOf({ gtin, lot }), count])),
    };
  }

  /** Outputs of transformations with affected inputs, until nothing new is made. */
  private async followTransformations(start: Frontier): Promise<void> {
    let frontier = start;
    for (let round = 0; round < MAX_ROUNDS && frontier.lots.length + frontier.items.length + frontier.identifiers.length > 0; round += 1) {
      const next: Frontier = { lots: [], items: [], identifiers: [] };
      for (const link of await transformationLinks(this.db, 'input', frontier)) {
        this.links.set(`${link.transformation}\u0000${link.input.identifier}\u0000${link.output.identifier}`, link);
        const { gtin, lot, serial, identifier } = link.output;
        if (gtin !== null && lot !== null) {
          const key = lotKeyOf({ gtin, lot });
          if (this.lots.has(key)) continue;
          this.lots.set(key, { gtin, lot, relation: 'transformed' });
          next.lots.push({ gtin, lot });
        } else if (gtin !== null && serial !== null) {
          const key = itemKeyOf({ gtin, serial });
          if (this.looseItems.has(key)) continue;
          this.looseItems.set(key, { gtin, serial });
          next.items.push({ gtin, serial });
        } else if (!this.looseContainers.has(identifier)) {
          this.looseContainers.add(identifier);
          next.identifiers.push(identifier);
        }
      }
      frontier = next;
    }
  }

  /**
   * One statement over the whole lots: the containers their aggregation events name (counted, the
   * first listed), per lot, the lots that shared those aggregation events (co-packed), and which
   * container inputs of transformations were reached.
   */
  private async containment(manager: EntityManager, containerInputs: readonly string[], listLimit: number): Promise<ContainmentRow> {
    const lots = [...this.lots.values()];
    const [row] = (await manager.query(
      `WITH s AS MATERIALIZED (SELECT * FROM unnest($1::bpchar[], $2::text[]) AS s ("gtin", "lot")),
       reached AS MATERIALIZED (
         SELECT lc."gtin", lc."lot", lc."container", lc."event_seq", lc."event_lots"
         FROM s JOIN "${SCHEMA}"."trace_lot_containers" lc ON lc."gtin" = s."gtin" AND lc."lot" = s."lot"),
       packed AS MATERIALIZED (SELECT DISTINCT "container" FROM reached),
       -- Aggregation events that packed more lots than the affected ones they packed: only those are looked up.
       mixed AS MATERIALIZED (SELECT "event_seq" FROM reached GROUP BY 1 HAVING count(*) < max("event_lots")),
       copacked AS MATERIALIZED (
         SELECT DISTINCT lc."gtin"::text AS "gtin", lc."lot" FROM mixed JOIN "${SCHEMA}"."trace_lot_containers" lc ON lc."event_seq" = mixed."event_seq"
         WHERE NOT EXISTS (SELECT 1 FROM s WHERE s."gtin" = lc."gtin" AND s."lot" = lc."lot"))
       SELECT
         (SELECT count(*) FROM packed)::int AS "packed_count",
         (SELECT coalesce(json_agg("container"), '[]') FROM (SELECT "container" FROM packed ORDER BY "container" LIMIT $3) x) AS "first_packed",
         (SELECT coalesce(json_agg(json_build_array("gtin", "lot", "n")), '[]')
            FROM (SELECT "gtin"::text AS "gtin", "lot", count(*)::int AS "n" FROM (SELECT DISTINCT "gtin", "lot", "container" FROM reached) d GROUP BY 1, 2) x) AS "per_lot",
         (SELECT coalesce(json_agg(json_build_array("gtin", "lot")), '[]') FROM copacked) AS "copacked_lots",
         (SELECT coalesce(json_agg(x."id"), '[]') FROM unnest($4::text[]) AS x ("id") WHERE EXISTS (SELECT 1 FROM packed WHERE packed."container" = x."id")) AS "consumed",
         (SELECT coalesce(json_agg(x."id"), '[]') FROM unnest($5::text[]) AS x ("id") WHERE NOT EXISTS (SELECT 1 FROM packed WHERE packed."container" = x."id")) AS "loose_unpacked"`,
      [lots.map((lot) => lot.gtin), lots.map((lot) => lot.lot), listLimit, [...containerInputs], [...this.looseContainers]],
    )) as [ContainmentRow];
    return row;
  }

  /**
   * The co-packed lots' items that shared an aggregation event with the affected lots (their trail
   * links say so), and the containers they were in below the shared ones (the cases on a pallet).
   */
  private async copacked(manager: EntityManager, lots: readonly LotKey[], copackedLots: readonly [string, string][]): Promise<{ items: [string, string, string][]; containers: string[] }> {
    const [row] = (await manager.query(
      `WITH RECURSIVE s AS MATERIALIZED (SELECT * FROM unnest($1::bpchar[], $2::text[]) AS s ("gtin", "lot")),
       reached AS MATERIALIZED (
         SELECT lc."container", lc."event_seq", lc."event_lots" FROM s JOIN "${SCHEMA}"."trace_lot_containers" lc ON lc."gtin" = s."gtin" AND lc."lot" = s."lot"),
       packed AS MATERIALIZED (SELECT DISTINCT "container" FROM reached),
       shared AS MATERIALIZED (SELECT "event_seq" FROM reached GROUP BY 1 HAVING count(*) < max("event_lots")),
       items AS MATERIALIZED (
         SELECT il."gtin", il."lot", il."serial" FROM unnest($3::bpchar[], $4::text[]) AS cl ("gtin", "lot")
         JOIN "${SCHEMA}"."epcis_item_lots" il ON il."gtin" = cl."gtin" AND il."lot" = cl."lot"
         WHERE EXISTS (SELECT 1 FROM "${SCHEMA}"."epcis_item_links" x JOIN shared ON shared."event_seq" = x."event_seq" WHERE x."gtin" = il."gtin" AND x."serial" = il."serial")),
       up ("container") AS (
         SELECT a."parent" FROM items JOIN "${SCHEMA}"."trace_aggregations" a ON a."child_gtin" = items."gtin" AND a."child_serial" = items."serial"
         UNION
         SELECT a."parent" FROM up JOIN "${SCHEMA}"."trace_aggregations" a ON a."child" = up."container"
         WHERE NOT EXISTS (SELECT 1 FROM packed WHERE packed."container" = up."container")),
       inside ("container") AS (
         SELECT a."child" FROM up JOIN "${SCHEMA}"."trace_aggregations" a ON a."child" = up."container"
         WHERE a."parent" IN (SELECT "container" FROM packed)
         UNION
         SELECT a."child" FROM inside JOIN "${SCHEMA}"."trace_aggregations" a ON a."parent" = inside."container"
         WHERE a."child" IN (SELECT "container" FROM up))
       SELECT
         (SELECT coalesce(json_agg(json_build_array("gtin"::text, "lot", "serial")), '[]') FROM items) AS "items",
         (SELECT coalesce(json_agg(DISTINCT "container"), '[]') FROM inside WHERE NOT EXISTS (SELECT 1 FROM packed WHERE packed."container" = inside."container")) AS "containers"`,
      [lots.map((lot) => lot.gtin), lots.map((lot) => lot.lot), copackedLots.map(([gtin]) => gtin), copackedLots.map(([, lot]) => lot)],
    )) as [{ items: [string, string, string][]; containers: string[] }];
    return row;
  }
}
