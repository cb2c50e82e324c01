import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type {
  AffectedItemMessage,
  TraceBackResponseMessage,
  TraceContainerMessage,
  TraceCustomsDeclarationMessage,
  TraceLotMessage,
  TraceLotRelation,
  TraceProductMessage,
  TraceSubjectMessage,
} from '@traceport/contracts';
import { DataSource } from 'typeorm';
import type { ItemKey, LotKey } from '../epcis/captured-event.js';
import { STORED_EVENT_COLUMNS, type StoredEventRow } from '../epcis/epcis-event.store.js';
import { traceEventMessageOf } from '../epcis/trace-event.message.js';
import { factoryMessageOf, productMessageOf, TraceArchive, unregisteredProduct } from './trace-archive.js';
import { subjectNotFound } from './trace-graph.exception.js';
import { DETAILED_GRAPH_CONTAINERS, DETAILED_GRAPH_ITEMS, GraphBuilder, labelOf, NodeId } from './trace-graph.builder.js';
import { locationKindOf } from './trace-graph.recorder.js';
import { locationsOf, type LocationRow } from './trace-locations.js';
import { itemIdentifier, parseBackSubject, type BackSubject } from './trace-request.js';
import { itemKeyOf, lotKeyOf, lotOfItem, tracing } from './trace-sql.js';
import { transformationLinks, type TransformationLink } from './trace-transformations.js';

const SCHEMA = 'data_service';
/** Events, containers and items listed in a trace back; counts cover them all. */
export const MAX_LISTED = 1_000;
const MAX_ROUNDS = 64;

interface Contents {
  itemCount: number;
  items: AffectedItemMessage[];
  /** Items inside, per lot. */
  lots: { gtin: string; lot: string; items: number }[];
  containerCount: number;
  containers: string[];
  /** Container → container and item → container edges, for the graph (the first few). */
  edges: { child: string; parent: string; gtin: string | null; serial: string | null }[];
}

const EMPTY_CONTENTS: Contents = { itemCount: 0, items: [], lots: [], containerCount: 0, containers: [], edges: [] };

/**
 * Trace back: from an item, a lot or a container to the lots it is (or holds), each with its
 * product, factory (certifications and their validity), customs declarations, the lots that went
 * into it through transformations (recursively), the containers it travelled in, and every event on
 * the way: the item's and the lots' trails and the containers' own events.
 */
@Injectable()
export class TraceBackService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async traceBack(request: { gtin?: string; serial?: string; lot?: string; container?: string }): Promise<TraceBackResponseMessage> {
    const subject = parseBackSubject(request);
    const archive = new TraceArchive(this.db);
    const start = await this.startOf(archive, subject);

    // Upstream: what the transformations that made the subject consumed, recursively.
    const lots = new Map<string, { key: LotKey; relation: TraceLotRelation; items: number | null }>();
    for (const lot of start.lots) lots.set(lotKeyOf(lot), { key: { gtin: lot.gtin, lot: lot.lot }, relation: lot.relation, items: lot.items });
    const links = await this.upstream(lots, start.items, start.identifiers);

    const allLots = [...lots.values()];
    const keys = allLots.map((lot) => lot.key);
    const containerIdentifiers = subject.kind === 'container' ? [subject.identifier, ...start.contents.containers] : [];
    const [archiveLots, events, ownLocations, lotLocations, itemCounts, containersPerLot] = await Promise.all([
      archive.lotsByKey(keys),
      this.events(subject.kind === 'item' ? subject : null, keys, containerIdentifiers),
      subject.kind === 'lot' ? Promise.resolve([]) : this.ownLocations(subject.kind === 'item' ? subject : null, containerIdentifiers),
      this.lotLocations(keys),
      this.itemCounts(allLots.filter((lot) => lot.items === null).map((lot) => lot.key)),
      this.containersPerLot(keys),
    ]);
    const archiveOf = new Map(archiveLots.map((lot) => [lotKeyOf(lot), lot]));
    const [issued, customs, productRows] = await Promise.all([
      archive.issuedIdentities(archiveLots.map((lot) => lot.lotId)),
      archive.customsDeclarationsOf(archiveLots.map((lot) => lot.lotId)),
      archive.productsByGtin([...new Set(keys.map((key) => key.gtin))]),
    ]);
    const productByGtin = new Map(productRows.map((row) => [String(row.record['gtin']), productMessageOf(row)]));
    const products: TraceProductMessage[] = [...new Set(keys.map((key) => key.gtin))].sort().map((gtin) => productByGtin.get(gtin) ?? unregisteredProduct(gtin));
    const earliest = new Map<string, string>();
    for (const lot of archiveLots) {
      const factoryId = productByGtin.get(lot.gtin)?.factoryId ?? '';
      if (factoryId !== '' && lot.productionDate !== '' && (earliest.get(factoryId) ?? '9999') > lot.productionDate) earliest.set(factoryId, lot.productionDate);
    }
    const factories = (await archive.factories(products.map((product) => product.factoryId).filter((id) => id !== ''))).map((row) => factoryMessageOf(row, earliest.get(row.id) ?? null));

    const lotMessages: TraceLotMessage[] = allLots.map(({ key, relation, items }) => {
      const lot = archiveOf.get(lotKeyOf(key));
      return {
        gtin: key.gtin,
        lot: key.lot,
        relation,
        lotId: lot?.lotId ?? '',
        productId: productByGtin.get(key.gtin)?.id ?? '',
        factoryId: productByGtin.get(key.gtin)?.factoryId ?? '',
        productionDate: lot?.productionDate ?? '',
        expiryDate: lot?.expiryDate ?? '',
        items: items ?? itemCounts.get(lotKeyOf(key)) ?? 0,
        issuedIdentities: lot === undefined ? 0 : (issued.get(lot.lotId) ?? 0),
        containers: containersPerLot.get(lotKeyOf(key)) ?? 0,
        customsDeclarationIds: lot === undefined ? [] : customs.filter((declaration: TraceCustomsDeclarationMessage) => declaration.lotIds.includes(lot.lotId)).map((declaration) => declaration.id),
        recordJson: lot === undefined ? '' : JSON.stringify(lot.record),
      };
    });
    const subjectLocations = subject.kind === 'lot' ? lotLocations.filter((row) => row.gtin === subject.gtin && row.lot === subject.lot) : ownLocations;
    const graph = this.graphOf({ subject, start, lots: lotMessages, products, factories, links, subjectLocations, lotLocations });
    return {
      subject: start.subject,
      lots: lotMessages,
      products,
      factories,
      customsDeclarations: customs,
      containers: start.containers,
      containerCount: start.containerCount,
      items: start.contents.items,
      itemCount: start.contents.itemCount,
      locations: locationsOf(subjectLocations),
      events: events.rows.map(traceEventMessageOf),
      eventCount: events.total,
      graph,
    };
  }

  /** The subject's own lots, containers and (for a container) contents; NOT_FOUND when nothing is known of it. */
  private async startOf(archive: TraceArchive, subject: BackSubject) {
    const subjectMessage: TraceSubjectMessage = { kind: subject.kind, identifier: '', gtin: '', lot: '', serial: '', factoryId: '', productId: '', from: '', to: '' };
    switch (subject.kind) {
      case 'item': {
        const [row] = (await this.db.query(
          `SELECT ${lotOfItem('k')} AS "lot",
             EXISTS (SELECT 1 FROM "${SCHEMA}"."epcis_item_links" x WHERE x."gtin" = k."gtin" AND x."serial" = k."serial") AS "traced"
           FROM (SELECT $1::bpchar AS "gtin", $2::text AS "serial", NULL::text AS "lot") AS k`,
          [subject.gtin, subject.serial],
        )) as [{ lot: string | null; traced: boolean }];
        if (row.lot === null && !row.traced) throw subjectNotFound(`the item with GTIN ${subject.gtin} and serial ${subject.serial}`);
        const carriers = await this.ancestors([subject.identifier]);
        return {
          subject: { ...subjectMessage, identifier: subject.identifier, gtin: subject.gtin, serial: subject.serial, lot: row.lot ?? '' },
          lots: row.lot === null ? [] : [{ gtin: subject.gtin, lot: row.lot, relation: 'subject' as const, items: null }],
          items: [{ gtin: subject.gtin, serial: subject.serial }] as ItemKey[],
          identifiers: [] as string[],
          containers: carriers.containers.map((identifier): TraceContainerMessage => ({ identifier, relation: 'carried-in' })),
          containerCount: carriers.containers.length,
          carrierEdges: carriers.edges,
          contents: EMPTY_CONTENTS,
        };
      }
      case 'lot': {
        const key = { gtin: subject.gtin, lot: subject.lot };
        if ((await archive.lotsByKey([key])).length === 0 && !(await archive.isTraced(key))) throw subjectNotFound(`lot ${subject.lot} of GTIN ${subject.gtin}`);
        const [row] = (await this.db.query(
          `SELECT count(DISTINCT "container")::int AS "count",
             coalesce((SELECT json_agg("container") FROM (SELECT DISTINCT "container" FROM "${SCHEMA}"."trace_lot_containers" WHERE "gtin" = $1 AND "lot" = $2 ORDER BY 1 LIMIT ${MAX_LISTED}) x), '[]') AS "first"
           FROM "${SCHEMA}"."trace_lot_containers" WHERE "gtin" = $1 AND "lot" = $2`,
          [key.gtin, key.lot],
        )) as [{ count: number; first: string[] }];
        return {
          subject: { ...subjectMessage, gtin: subject.gtin, lot: subject.lot },
          lots: [{ ...key, relation: 'subject' as const, items: null }],
          items: [] as ItemKey[],
          identifiers: [] as string[],
          containers: row.first.map((identifier): TraceContainerMessage => ({ identifier, relation: 'carried-in' })),
          containerCount: row.count,
          carrierEdges: [] as { child: string; parent: string }[],
          contents: EMPTY_CONTENTS,
        };
      }
      case 'container': {
        const [contents, carriers] = await Promise.all([this.contents(subject.identifier), this.ancestors([subject.identifier])]);
        if (contents === null && carriers.containers.length === 0 && !(await this.isNamed(subject.identifier))) throw subjectNotFound(`container ${subject.identifier}`);
        const inside = contents ?? EMPTY_CONTENTS;
        return {
          subject: { ...subjectMessage, identifier: subject.identifier },
          lots: inside.lots.map((lot) => ({ gtin: lot.gtin, lot: lot.lot, relation: 'contained' as const, items: lot.items })),
          items: [] as ItemKey[],
          identifiers: [subject.identifier],
          containers: [
            ...carriers.containers.map((identifier): TraceContainerMessage => ({ identifier, relation: 'carried-in' })),
            ...inside.containers.map((identifier): TraceContainerMessage => ({ identifier, relation: 'contains' })),
          ]
            .sort((a, b) => (a.identifier < b.identifier ? -1 : a.identifier > b.identifier ? 1 : 0))
            .slice(0, MAX_LISTED),
          containerCount: carriers.containers.length + inside.containerCount,
          carrierEdges: carriers.edges,
          contents: inside,
        };
      }
    }
  }

  /** Inputs of the transformations that made these lots (and items, and the container), recursively, as lots marked input. */
  private async upstream(
    lots: Map<string, { key: LotKey; relation: TraceLotRelation; items: number | null }>,
    items: readonly ItemKey[],
    identifiers: readonly string[],
  ): Promise<TransformationLink[]> {
    const links = new Map<string, TransformationLink>();
    const seenItems = new Set(items.map(itemKeyOf));
    const seenIdentifiers = new Set(identifiers);
    let frontier = { lots: [...lots.values()].map((lot) => lot.key), items: [...items], identifiers: [...identifiers] };
    for (let round = 0; round < MAX_ROUNDS && frontier.lots.length + frontier.items.length + frontier.identifiers.length > 0; round += 1) {
      const next = { lots: [] as LotKey[], items: [] as ItemKey[], identifiers: [] as string[] };
      for (const link of await transformationLinks(this.db, 'output', frontier)) {
        links.set(`${link.transformation}\u0000${link.input.identifier}\u0000${link.output.identifier}`, link);
        const { gtin, lot, serial, identifier } = link.input;
        if (gtin !== null && lot !== null) {
          const key = lotKeyOf({ gtin, lot });
          if (lots.has(key)) continue;
          lots.set(key, { key: { gtin, lot }, relation: 'input', items: null });
          next.lots.push({ gtin, lot });
        } else if (gtin !== null && serial !== null) {
          if (seenItems.has(itemKeyOf({ gtin, serial }))) continue;
          seenItems.add(itemKeyOf({ gtin, serial }));
          next.items.push({ gtin, serial });
        } else if (!seenIdentifiers.has(identifier)) {
          seenIdentifiers.add(identifier);
          next.identifiers.push(identifier);
        }
      }
      frontier = next;
    }
    return [...links.values()];
  }

  /** Every container the identifiers were ever packed into, up to the outermost, with the packing edges. */
  private async ancestors(identifiers: readonly string[]): Promise<{ containers: string[]; edges: { child: string; parent: string }[] }> {
    const edges: { child: string; parent: string }[] = await this.db.query(
      `WITH RECURSIVE up ("child", "parent") AS (
         SELECT a."child", a."parent" FROM "${SCHEMA}"."trace_aggregations" a WHERE a."child" = ANY($1::text[])
         UNION
         SELECT a."child", a."parent" FROM up JOIN "${SCHEMA}"."trace_aggregations" a ON a."child" = up."parent"
       ) SELECT DISTINCT "child", "parent" FROM up ORDER BY "parent", "child" LIMIT ${MAX_LISTED * 10}`,
      [[...identifiers]],
    );
    return { containers: [...new Set(edges.map((edge) => edge.parent))].sort(), edges };
  }

  /** What a container ever held, all the way down: items (with their lots), lots by quantity, inner containers. Null when it held nothing. */
  private async contents(container: string): Promise<Contents | null> {
    const [row] = (await tracing(this.db, (manager) =>
      manager.query(
        `WITH RECURSIVE down ("parent", "child", "gtin", "lot", "serial") AS (
           SELECT a."parent", a."child", a."child_gtin", a."child_lot", a."child_serial" FROM "${SCHEMA}"."trace_aggregations" a WHERE a."parent" = $1
           UNION
           SELECT a."parent", a."child", a."child_gtin", a."child_lot", a."child_serial" FROM down JOIN "${SCHEMA}"."trace_aggregations" a ON a."parent" = down."child"
         ),
         edges AS MATERIALIZED (SELECT * FROM down),
         holders AS MATERIALIZED (SELECT DISTINCT "parent" AS "container" FROM edges),
         leaves AS MATERIALIZED (
           SELECT DISTINCT e."gtin"::text AS "gtin", ${lotOfItem('e')} AS "lot", e."serial" FROM edges e
           WHERE e."serial" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM holders h WHERE h."container" = e."child")),
         inner_containers AS MATERIALIZED (
           SELECT DISTINCT e."child" AS "container" FROM edges e
           WHERE (e."gtin" IS NULL OR EXISTS (SELECT 1 FROM holders h WHERE h."container" = e."child")))
         SELECT
           (SELECT count(*) FROM edges)::int AS "edge_count",
           (SELECT count(*) FROM leaves)::int AS "item_count",
           (SELECT coalesce(json_agg(json_build_array("gtin", coalesce("lot", ''), "serial")), '[]')
              FROM (SELECT * FROM leaves ORDER BY "gtin", "lot", "serial" LIMIT ${MAX_LISTED}) x) AS "items",
           (SELECT coalesce(json_agg(json_build_array("gtin", "lot", "n")), '[]') FROM (
              SELECT "gtin", "lot", count(*)::int AS "n" FROM leaves WHERE "lot" IS NOT NULL GROUP BY 1, 2
              UNION ALL
              SELECT DISTINCT e."gtin"::text, e."lot", 0 FROM edges e WHERE e."serial" IS NULL AND e."lot" IS NOT NULL
                AND NOT EXISTS (SELECT 1 FROM leaves l WHERE l."gtin" = e."gtin" AND l."lot" = e."lot")) x) AS "lots",
           (SELECT count(*) FROM inner_containers)::int AS "container_count",
           (SELECT coalesce(json_agg("container"), '[]') FROM (SELECT "container" FROM inner_containers ORDER BY 1 LIMIT ${MAX_LISTED}) x) AS "containers",
           (SELECT coalesce(json_agg(json_build_array("child", "parent", "gtin", "serial")), '[]')
              FROM (SELECT DISTINCT "child", "parent", "gtin"::text AS "gtin", "serial" FROM edges ORDER BY 2, 1 LIMIT ${(DETAILED_GRAPH_ITEMS + DETAILED_GRAPH_CONTAINERS) * 2}) x) AS "edges"`,
        [container],
      ),
    )) as [
      {
        edge_count: number;
        item_count: number;
        items: [string, string, string][];
        lots: [string, string, number][];
        container_count: number;
        containers: string[];
        edges: [string, string, string | null, string | null][];
      },
    ];
    if (row.edge_count === 0) return null;
    return {
      itemCount: row.item_count,
      items: row.items.map(([gtin, lot, serial]) => ({ gtin, lot, serial, relation: 'lot', digitalLink: itemIdentifier(gtin, serial) })),
      lots: row.lots.map(([gtin, lot, items]) => ({ gtin, lot, items })),
      containerCount: row.container_count,
      containers: row.containers,
      edges: row.edges.map(([child, parent, gtin, serial]) => ({ child, parent, gtin, serial })),
    };
  }

  private async isNamed(identifier: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query(`SELECT 1 FROM "${SCHEMA}"."epcis_events" WHERE "any_epcs" @> ARRAY[$1]::text[] LIMIT 1`, [identifier]);
    return rows.length > 0;
  }

  /** Every event on the way, in the order things happened: the first MAX_LISTED, and how many there are. */
  private async events(item: ItemKey | null, lots: readonly LotKey[], containers: readonly string[]): Promise<{ rows: StoredEventRow[]; total: number }> {
    const rows: (StoredEventRow & { total: string })[] = await tracing(this.db, (manager) =>
      manager.query(
        `WITH seqs AS (
           SELECT x."event_seq" AS "seq" FROM "${SCHEMA}"."epcis_item_links" x WHERE x."gtin" = $1::bpchar AND x."serial" = $2::text
           UNION
           SELECT ll."event_seq" FROM unnest($3::bpchar[], $4::text[]) AS l ("gtin", "lot") JOIN "${SCHEMA}"."epcis_lot_links" ll ON ll."gtin" = l."gtin" AND ll."lot" = l."lot"
           UNION
           SELECT e."seq" FROM "${SCHEMA}"."epcis_events" e WHERE cardinality($5::text[]) > 0 AND e."any_epcs" && $5::text[])
         SELECT ${STORED_EVENT_COLUMNS}, count(*) OVER () AS "total"
         FROM seqs JOIN "${SCHEMA}"."epcis_events" e ON e."seq" = seqs."seq" WHERE e."latest"
         ORDER BY e."event_time", e."record_time", e."seq" LIMIT ${MAX_LISTED}`,
        [item?.gtin ?? null, item?.serial ?? null, lots.map((lot) => lot.gtin), lots.map((lot) => lot.lot), [...containers]],
      ),
    );
    return { rows, total: Number(rows[0]?.total ?? 0) };
  }

  /** Where the item itself, or the container (and what was inside it), was seen. */
  private async ownLocations(item: ItemKey | null, containers: readonly string[]): Promise<LocationRow[]> {
    const source = `SELECT x."event_seq" AS "seq" FROM "${SCHEMA}"."epcis_item_links" x WHERE x."gtin" = $1::bpchar AND x."serial" = $2::text
       UNION SELECT e."seq" FROM "${SCHEMA}"."epcis_events" e WHERE cardinality($3::text[]) > 0 AND e."any_epcs" && $3::text[]`;
    const rows: (Omit<LocationRow, 'kind'> & { biz_step: string | null })[] = await this.db.query(
      `SELECT v."location", e."biz_step", min(e."event_time") AS "first_seen", max(e."event_time") AS "last_seen"
       FROM (${source}) AS seqs
       JOIN "${SCHEMA}"."epcis_events" e ON e."seq" = seqs."seq" AND e."latest" AND NOT (e."body" ? 'errorDeclaration')
       CROSS JOIN LATERAL (SELECT DISTINCT l FROM unnest(ARRAY[e."read_point", e."biz_location"]) AS l WHERE l IS NOT NULL) AS v ("location")
       GROUP BY 1, 2`,
      [item?.gtin ?? null, item?.serial ?? null, [...containers]],
    );
    return rows.map(({ biz_step, ...row }) => ({ ...row, kind: locationKindOf(biz_step) }));
  }

  private async lotLocations(lots: readonly LotKey[]): Promise<(LocationRow & LotKey)[]> {
    if (lots.length === 0) return [];
    return this.db.query(
      `SELECT t."gtin"::text AS "gtin", t."lot", t."location", t."kind", t."first_seen", t."last_seen"
       FROM unnest($1::bpchar[], $2::text[]) AS s ("gtin", "lot") JOIN "${SCHEMA}"."trace_lot_locations" t ON t."gtin" = s."gtin" AND t."lot" = s."lot"`,
      [lots.map((lot) => lot.gtin), lots.map((lot) => lot.lot)],
    );
  }

  private async itemCounts(lots: readonly LotKey[]): Promise<Map<string, number>> {
    if (lots.length === 0) return new Map();
    const rows: { gtin: string; lot: string; items: number }[] = await tracing(this.db, (manager) =>
      manager.query(
        `SELECT s."gtin"::text AS "gtin", s."lot", (SELECT count(*) FROM "${SCHEMA}"."epcis_item_lots" il WHERE il."gtin" = s."gtin" AND il."lot" = s."lot")::int AS "items"
         FROM unnest($1::bpchar[], $2::text[]) AS s ("gtin", "lot")`,
        [lots.map((lot) => lot.gtin), lots.map((lot) => lot.lot)],
      ),
    );
    return new Map(rows.map((row) => [lotKeyOf(row), row.items]));
  }

  private async containersPerLot(lots: readonly LotKey[]): Promise<Map<string, number>> {
    if (lots.length === 0) return new Map();
    const rows: { gtin: string; lot: string; n: number }[] = await this.db.query(
      `SELECT lc."gtin"::text AS "gtin", lc."lot", count(DISTINCT lc."container")::int AS "n"
       FROM unnest($1::bpchar[], $2::text[]) AS s ("gtin", "lot") JOIN "${SCHEMA}"."trace_lot_containers" lc ON lc."gtin" = s."gtin" AND lc."lot" = s."lot"
       GROUP BY 1, 2`,
      [lots.map((lot) => lot.gtin), lots.map((lot) => lot.lot)],
    );
    return new Map(rows.map((row) => [lotKeyOf(row), row.n]));
  }

  private graphOf(input: {
    subject: BackSubject;
    start: Awaited<ReturnType<TraceBackService['startOf']>>;
    lots: readonly TraceLotMessage[];
    products: readonly TraceProductMessage[];
    factories: readonly { id: string; name: string }[];
    links: readonly TransformationLink[];
    subjectLocations: readonly LocationRow[];
    lotLocations: readonly (LocationRow & LotKey)[];
  }) {
    const graph = new GraphBuilder();
    const { subject, start } = input;
    graph.provenance({ factories: input.factories, products: input.products, lots: input.lots, links: input.links });

    let subjectNode: string;
    switch (subject.kind) {
      case 'item':
        subjectNode = graph.node(NodeId.item(subject.gtin, subject.serial), 'item', `serial ${subject.serial}`, subject.identifier);
        if (start.subject.lot !== '') graph.edge(NodeId.lot({ gtin: subject.gtin, lot: start.subject.lot }), subjectNode, 'produced');
        break;
      case 'lot':
        subjectNode = NodeId.lot(subject);
        break;
      case 'container': {
        subjectNode = graph.node(NodeId.container(subject.identifier), 'container', labelOf(subject.identifier), subject.identifier);
        const contents = start.contents;
        const detailed = contents.itemCount <= DETAILED_GRAPH_ITEMS && contents.containerCount <= DETAILED_GRAPH_CONTAINERS;
        if (detailed) {
          for (const edge of contents.edges) {
            const child =
              edge.gtin !== null && edge.serial !== null
                ? graph.node(NodeId.item(edge.gtin, edge.serial), 'item', `serial ${edge.serial}`, edge.child)
                : graph.node(NodeId.container(edge.child), 'container', labelOf(edge.child), edge.child);
            graph.node(NodeId.container(edge.parent), 'container', labelOf(edge.parent), edge.parent);
            graph.edge(child, NodeId.container(edge.parent), 'packed-into');
          }
          for (const item of contents.items) if (item.lot !== '') graph.edge(NodeId.lot(item), NodeId.item(item.gtin, item.serial), 'produced');
        } else {
          for (const lot of contents.lots) {
            if (lot.items === 0) continue;
            graph.node(NodeId.items(lot), 'item-group', `${lot.items.toLocaleString('en')} items`, `${lot.gtin}/${lot.lot}`, lot.items);
            graph.edge(NodeId.lot(lot), NodeId.items(lot), 'produced', lot.items);
            graph.edge(NodeId.items(lot), subjectNode, 'packed-into', lot.items);
          }
        }
        break;
      }
    }
    const subjectIdentifier = subject.kind === 'lot' ? null : subject.identifier;
    for (const edge of start.carrierEdges) {
      const child = edge.child === subjectIdentifier ? subjectNode : graph.node(NodeId.container(edge.child), 'container', labelOf(edge.child), edge.child);
      graph.node(NodeId.container(edge.parent), 'container', labelOf(edge.parent), edge.parent);
      graph.edge(child, NodeId.container(edge.parent), 'packed-into');
    }
    if (subject.kind === 'lot' && start.containerCount > 0) {
      graph.node(NodeId.containers(subject), 'container-group', `${start.containerCount.toLocaleString('en')} containers`, `${subject.gtin}/${subject.lot}`, start.containerCount);
      graph.edge(subjectNode, NodeId.containers(subject), 'packed-into', start.containerCount);
    }
    for (const row of input.subjectLocations) {
      graph.node(NodeId.location(row.location), 'location', labelOf(row.location), row.location);
      graph.edge(subjectNode, NodeId.location(row.location), row.kind);
    }
    // Where the lots that went into the subject were (the subject lot's own are the subject's).
    for (const row of input.lotLocations) {
      if (subject.kind === 'lot' && row.gtin === subject.gtin && row.lot === subject.lot) continue;
      if (input.lots.find((lot) => lot.gtin === row.gtin && lot.lot === row.lot)?.relation !== 'input') continue;
      graph.node(NodeId.location(row.location), 'location', labelOf(row.location), row.location);
      graph.edge(NodeId.lot(row), NodeId.location(row.location), row.kind);
    }
    const detailedContents = subject.kind !== 'container' || (start.contents.itemCount <= DETAILED_GRAPH_ITEMS && start.contents.containerCount <= DETAILED_GRAPH_CONTAINERS);
    return graph.build(!detailedContents || subject.kind === 'lot');
  }
}
