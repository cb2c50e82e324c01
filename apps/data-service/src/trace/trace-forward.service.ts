import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type {
  AffectedItemMessage,
  AffectedItemsPageMessage,
  TraceForwardResponseMessage,
  TraceLotMessage,
  TraceProductMessage,
  TraceSubjectMessage,
} from '@traceport/contracts';
import { DataSource } from 'typeorm';
import type { ItemKey, LotKey } from '../epcis/captured-event.js';
import { pageOfItems, sectionsOf } from './affected-items.js';
import { factoryMessageOf, productMessageOf, TraceArchive, unregisteredProduct, type ArchiveLot } from './trace-archive.js';
import { subjectNotFound } from './trace-graph.exception.js';
import { DETAILED_GRAPH_CONTAINERS, DETAILED_GRAPH_ITEMS, GraphBuilder, labelOf, NodeId } from './trace-graph.builder.js';
import { locationKindOf } from './trace-graph.recorder.js';
import { ForwardReachFinder, type ForwardReach } from './trace-reach.js';
import { decodePageToken, encodePageToken, pageSizeOf, parseForwardScope, type ForwardScope, type ProductionWindow } from './trace-request.js';
import { locationsOf, type LotLocationRow } from './trace-locations.js';
import { lotKeyOf, tracing } from './trace-sql.js';

const SCHEMA = 'data_service';
/** Containers listed in a response; the count covers them all. */
export const MAX_LISTED_CONTAINERS = 1_000;

/** What holds and recalls act on: a trace forward's reach, the archive lots among it, items per whole lot (by lotKeyOf). */
export interface AffectedSet {
  readonly reach: ForwardReach;
  readonly archiveLots: readonly ArchiveLot[];
  readonly itemCounts: ReadonlyMap<string, number>;
}

interface ForwardOrigin {
  readonly subject: TraceSubjectMessage;
  readonly seeds: readonly LotKey[];
  readonly archiveLots: readonly ArchiveLot[];
}

const emptySubject = (kind: TraceSubjectMessage['kind']): TraceSubjectMessage => ({
  kind,
  identifier: '',
  gtin: '',
  lot: '',
  serial: '',
  factoryId: '',
  productId: '',
  from: '',
  to: '',
});

/**
 * Trace forward: from a factory, a product, a lot or a production window to every lot, item,
 * container and location reached (see ForwardReachFinder), with exact counts, the first page of
 * items, and a graph. The affected set is what holds and recalls act on; ListAffectedItems pages
 * through the same set.
 */
@Injectable()
export class TraceForwardService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async traceForward(request: { factoryId?: string; productId?: string; gtin?: string; lot?: string; from?: string; to?: string; pageSize?: number }): Promise<TraceForwardResponseMessage> {
    const scope = parseForwardScope(request);
    const pageSize = pageSizeOf(request.pageSize);
    const archive = new TraceArchive(this.db);
    const origin = await this.originOf(archive, scope);
    const finder = new ForwardReachFinder(this.db);
    const lotsMade = await finder.start(origin.seeds);
    // A lot's items are counted while its containers are followed: the two largest reads, side by side.
    const [reach, earlyCounts] = await Promise.all([finder.complete(MAX_LISTED_CONTAINERS), this.itemCounts(lotsMade)]);

    const known = new Map(origin.archiveLots.map((lot) => [lotKeyOf(lot), lot]));
    const unknownKeys = [...reach.lots, ...reach.copacked].filter((lot) => !known.has(lotKeyOf(lot)));
    const [lateCounts, moreArchiveLots, locationRows, page] = await Promise.all([
      this.itemCounts(reach.lots.filter((lot) => !earlyCounts.has(lotKeyOf(lot)))),
      archive.lotsByKey(unknownKeys),
      this.lotLocations(reach.lots, reach.looseItems),
      pageOfItems(this.db, sectionsOf(reach), null, pageSize),
    ]);
    const itemCounts = new Map([...earlyCounts, ...lateCounts]);
    for (const lot of moreArchiveLots) known.set(lotKeyOf(lot), lot);
    const archiveOf = (key: LotKey) => known.get(lotKeyOf(key));
    const issued = await archive.issuedIdentities(reach.lots.flatMap((lot) => archiveOf(lot)?.lotId ?? []));

    const gtins = [...new Set([...reach.lots, ...reach.copacked, ...reach.looseItems].map((key) => key.gtin))].sort();
    const productRows = await archive.productsByGtin(gtins);
    const productByGtin = new Map(productRows.map((row) => [String(row.record['gtin']), productMessageOf(row)]));
    const products: TraceProductMessage[] = gtins.map((gtin) => productByGtin.get(gtin) ?? unregisteredProduct(gtin));
    const firstProduced = new Map<string, string>();
    for (const lot of reach.lots) {
      const factoryId = productByGtin.get(lot.gtin)?.factoryId ?? '';
      const date = archiveOf(lot)?.productionDate ?? '';
      if (factoryId !== '' && date !== '' && (firstProduced.get(factoryId) ?? '9999') > date) firstProduced.set(factoryId, date);
    }
    const factories = (await archive.factories(products.map((product) => product.factoryId).filter((id) => id !== ''))).map((row) =>
      factoryMessageOf(row, firstProduced.get(row.id) ?? null),
    );

    const lotMessage = (key: LotKey, relation: TraceLotMessage['relation'], items: number): TraceLotMessage => {
      const lot = archiveOf(key);
      return {
        gtin: key.gtin,
        lot: key.lot,
        relation,
        lotId: lot?.lotId ?? '',
        productId: productByGtin.get(key.gtin)?.id ?? '',
        factoryId: productByGtin.get(key.gtin)?.factoryId ?? '',
        productionDate: lot?.productionDate ?? '',
        expiryDate: lot?.expiryDate ?? '',
        items,
        issuedIdentities: relation === 'co-packed' || lot === undefined ? 0 : (issued.get(lot.lotId) ?? 0),
        containers: reach.containersPerLot.get(lotKeyOf(key)) ?? 0,
        customsDeclarationIds: [],
        recordJson: lot === undefined ? '' : JSON.stringify(lot.record),
      };
    };
    const lots = [
      ...reach.lots.map((lot) => lotMessage(lot, lot.relation, itemCounts.get(lotKeyOf(lot)) ?? 0)),
      ...reach.copacked.map((lot) => lotMessage(lot, 'co-packed', lot.serials.length)),
    ].sort((a, b) => (a.gtin < b.gtin ? -1 : a.gtin > b.gtin ? 1 : a.lot < b.lot ? -1 : a.lot > b.lot ? 1 : 0));
    const locations = locationsOf(locationRows);
    const itemTotal = lots.reduce((sum, lot) => sum + lot.items, 0) + reach.looseItems.length;

    const detailed = itemTotal <= DETAILED_GRAPH_ITEMS && reach.containerCount <= DETAILED_GRAPH_CONTAINERS;
    const graph = await this.graphOf({ reach, lots, products, factories: factories.map((factory) => ({ id: factory.id, name: factory.name })), locationRows, detailed, items: detailed ? (await pageOfItems(this.db, sectionsOf(reach), null, DETAILED_GRAPH_ITEMS)).items : [] });
    return {
      subject: origin.subject,
      counts: {
        lots: lots.length,
        items: itemTotal,
        containers: reach.containerCount,
        locations: locations.length,
        issuedIdentities: lots.reduce((sum, lot) => sum + lot.issuedIdentities, 0),
        products: products.length,
        factories: factories.length,
      },
      lots,
      products,
      factories,
      containers: [...reach.containers],
      locations,
      items: page.items,
      nextPageToken: page.more ? encodePageToken(scope, page.items.at(-1)!) : '',
      graph,
    };
  }

  async listAffectedItems(request: { factoryId?: string; productId?: string; gtin?: string; lot?: string; from?: string; to?: string; pageSize?: number; pageToken?: string }): Promise<AffectedItemsPageMessage> {
    const scope = parseForwardScope(request);
    const pageSize = pageSizeOf(request.pageSize);
    const after = decodePageToken(request.pageToken, scope);
    const origin = await this.originOf(new TraceArchive(this.db), scope);
    const reach = await new ForwardReachFinder(this.db).reach(origin.seeds, 0);
    const page = await pageOfItems(this.db, sectionsOf(reach), after, pageSize);
    return { items: page.items, nextPageToken: page.more ? encodePageToken(scope, page.items.at(-1)!) : '' };
  }

  /**
   * The affected set of a scope, for holds and recalls (apps/data-service/src/control): what a trace
   * forward reaches, each whole lot with its archive record where there is one and its item count.
   */
  async affectedSet(request: { factoryId?: string; productId?: string; gtin?: string; lot?: string; from?: string; to?: string } | { lots: readonly LotKey[] }): Promise<AffectedSet> {
    const archive = new TraceArchive(this.db);
    // Several lots of one product (a lot range) start one trace together.
    const origin = 'lots' in request ? { seeds: request.lots, archiveLots: await archive.lotsByKey(request.lots) } : await this.originOf(archive, parseForwardScope(request));
    const reach = await new ForwardReachFinder(this.db).reach(origin.seeds, 0);
    const known = new Set(origin.archiveLots.map((lot) => lotKeyOf(lot)));
    const [more, itemCounts] = await Promise.all([archive.lotsByKey(reach.lots.filter((lot) => !known.has(lotKeyOf(lot)))), this.itemCounts(reach.lots)]);
    return { reach, archiveLots: [...origin.archiveLots, ...more], itemCounts };
  }

  /** The lots a scope starts from: the archive's, and for a product (or a factory's products) every lot its trail names. */
  private async originOf(archive: TraceArchive, scope: ForwardScope): Promise<ForwardOrigin> {
    switch (scope.kind) {
      case 'factory': {
        if ((await archive.factory(scope.factoryId)) === null) throw subjectNotFound(`factory ${scope.factoryId}`);
        const products = (await archive.productsOfFactory(scope.factoryId)).map(productMessageOf);
        return {
          subject: { ...emptySubject('factory'), factoryId: scope.factoryId, from: scope.window?.from ?? '', to: scope.window?.to ?? '' },
          ...(await this.lotsOfProducts(archive, products, scope.window)),
        };
      }
      case 'product': {
        const rows = scope.productId === null ? await archive.productsByGtin([scope.gtin!]) : [await archive.product(scope.productId)].filter((row) => row !== null);
        const products = rows.map(productMessageOf);
        if (scope.productId !== null && products.length === 0) throw subjectNotFound(`product ${scope.productId}`);
        const found = await this.lotsOfProducts(archive, products.length > 0 ? products : [unregisteredProduct(scope.gtin!)], scope.window);
        if (products.length === 0 && found.seeds.length === 0) throw subjectNotFound(`GTIN ${scope.gtin}`);
        return {
          subject: { ...emptySubject('product'), productId: products[0]?.id ?? '', gtin: products[0]?.gtin ?? scope.gtin ?? '', from: scope.window?.from ?? '', to: scope.window?.to ?? '' },
          ...found,
        };
      }
      case 'lot': {
        const key = { gtin: scope.gtin, lot: scope.lot };
        const archiveLots = await archive.lotsByKey([key]);
        if (archiveLots.length === 0 && !(await archive.isTraced(key))) throw subjectNotFound(`lot ${scope.lot} of GTIN ${scope.gtin}`);
        return { subject: { ...emptySubject('lot'), gtin: scope.gtin, lot: scope.lot }, seeds: [key], archiveLots };
      }
      case 'production-window': {
        const archiveLots = await archive.lotsInWindow(scope.window);
        return { subject: { ...emptySubject('production-window'), from: scope.window.from, to: scope.window.to }, seeds: archiveLots, archiveLots };
      }
    }
  }

  private async lotsOfProducts(archive: TraceArchive, products: readonly TraceProductMessage[], window: ProductionWindow | null) {
    const archiveLots = await archive.lotsOfProducts(products.map((product) => product.id).filter((id) => id !== ''), window);
    // Lots only the trail knows (never declared) have no production date: a window leaves them out.
    const traced = window === null ? await archive.tracedLotsOf(products.map((product) => product.gtin)) : [];
    const seeds = new Map<string, LotKey>([...archiveLots, ...traced].map((lot) => [lotKeyOf(lot), { gtin: lot.gtin, lot: lot.lot }]));
    return { seeds: [...seeds.values()], archiveLots };
  }

  /** Traced items per whole lot: one index-only count per lot. */
  private async itemCounts(lots: readonly LotKey[]): Promise<Map<string, number>> {
    if (lots.length === 0) return new Map();
    const rows: { gtin: string; lot: string; items: number }[] = await tracing(this.db, (manager) =>
      manager.query(
        `SELECT s."gtin", s."lot", (SELECT count(*) FROM "${SCHEMA}"."epcis_item_lots" il WHERE il."gtin" = s."gtin" AND il."lot" = s."lot")::int AS "items"
         FROM unnest($1::bpchar[], $2::text[]) AS s ("gtin", "lot")`,
        [lots.map((lot) => lot.gtin), lots.map((lot) => lot.lot)],
      ),
    );
    return new Map(rows.map((row) => [lotKeyOf({ gtin: row.gtin.trim(), lot: row.lot }), row.items]));
  }

  /** Where each whole lot went (trace_lot_locations), and where the items of no known lot were seen. */
  private async lotLocations(lots: readonly LotKey[], looseItems: readonly ItemKey[]): Promise<LotLocationRow[]> {
    const fromLots: LotLocationRow[] =
      lots.length === 0
        ? []
        : await this.db.query(
            `SELECT t."gtin"::text AS "gtin", t."lot", t."location", t."kind", t."first_seen", t."last_seen"
             FROM unnest($1::bpchar[], $2::text[]) AS s ("gtin", "lot")
             JOIN "${SCHEMA}"."trace_lot_locations" t ON t."gtin" = s."gtin" AND t."lot" = s."lot"`,
            [lots.map((lot) => lot.gtin), lots.map((lot) => lot.lot)],
          );
    if (looseItems.length === 0) return fromLots;
    const fromItems: (Omit<LotLocationRow, 'kind'> & { biz_step: string | null })[] = await this.db.query(
      `SELECT i."gtin"::text AS "gtin", '' AS "lot", v."location", e."biz_step", min(e."event_time") AS "first_seen", max(e."event_time") AS "last_seen"
       FROM unnest($1::bpchar[], $2::text[]) AS i ("gtin", "serial")
       JOIN "${SCHEMA}"."epcis_item_links" x ON x."gtin" = i."gtin" AND x."serial" = i."serial"
       JOIN "${SCHEMA}"."epcis_events" e ON e."seq" = x."event_seq" AND e."latest" AND NOT (e."body" ? 'errorDeclaration')
       CROSS JOIN LATERAL (SELECT DISTINCT l FROM unnest(ARRAY[e."read_point", e."biz_location"]) AS l WHERE l IS NOT NULL) AS v ("location")
       GROUP BY 1, 2, 3, 4`,
      [looseItems.map((item) => item.gtin), looseItems.map((item) => item.serial)],
    );
    return [...fromLots, ...fromItems.map(({ biz_step, ...row }) => ({ ...row, kind: locationKindOf(biz_step) }))];
  }

  private async graphOf(input: {
    reach: ForwardReach;
    lots: readonly TraceLotMessage[];
    products: readonly TraceProductMessage[];
    factories: readonly { id: string; name: string }[];
    locationRows: readonly LotLocationRow[];
    detailed: boolean;
    items: readonly AffectedItemMessage[];
  }) {
    const graph = new GraphBuilder();
    graph.provenance({ factories: input.factories, products: input.products, lots: input.lots, links: input.reach.links });

    if (input.detailed) {
      for (const item of input.items) {
        const id = graph.node(NodeId.item(item.gtin, item.serial), 'item', `serial ${item.serial}`, item.digitalLink);
        if (item.lot !== '') graph.edge(NodeId.lot(item), id, 'produced');
      }
      for (const container of input.reach.containers) graph.node(NodeId.container(container.identifier), 'container', labelOf(container.identifier), container.identifier);
      await this.addContainerDetail(graph, input.reach.containers.map((container) => container.identifier));
    } else {
      for (const lot of input.lots) {
        if (lot.items > 0) {
          graph.node(NodeId.items(lot), 'item-group', `${lot.items.toLocaleString('en')} items`, `${lot.gtin}/${lot.lot}`, lot.items);
          graph.edge(NodeId.lot(lot), NodeId.items(lot), 'produced', lot.items);
        }
        if (lot.containers > 0) {
          graph.node(NodeId.containers(lot), 'container-group', `${lot.containers.toLocaleString('en')} containers`, `${lot.gtin}/${lot.lot}`, lot.containers);
          graph.edge(lot.items > 0 ? NodeId.items(lot) : NodeId.lot(lot), NodeId.containers(lot), 'packed-into', lot.containers);
        }
      }
    }
    for (const row of input.locationRows) {
      graph.node(NodeId.location(row.location), 'location', labelOf(row.location), row.location);
      graph.edge(row.lot === '' ? NodeId.product(row.gtin) : NodeId.lot(row), NodeId.location(row.location), row.kind);
    }
    return graph.build(!input.detailed);
  }

  /** For a graph drawn item by item: what each container held, and where each container was seen. */
  private async addContainerDetail(graph: GraphBuilder, containers: readonly string[]): Promise<void> {
    if (containers.length === 0) return;
    const edges: { parent: string; child: string; child_gtin: string | null; child_serial: string | null }[] = await this.db.query(
      `SELECT DISTINCT "parent", "child", "child_gtin"::text AS "child_gtin", "child_serial" FROM "${SCHEMA}"."trace_aggregations" WHERE "parent" = ANY($1::text[])`,
      [containers],
    );
    for (const edge of edges) {
      const child = edge.child_gtin !== null && edge.child_serial !== null ? NodeId.item(edge.child_gtin, edge.child_serial) : NodeId.container(edge.child);
      graph.edge(child, NodeId.container(edge.parent), 'packed-into');
    }
    const seen: { container: string; location: string; biz_step: string | null }[] = await this.db.query(
      `SELECT DISTINCT c."id" AS "container", v."location", e."biz_step"
       FROM unnest($1::text[]) AS c ("id")
       JOIN "${SCHEMA}"."epcis_events" e ON e."any_epcs" @> ARRAY[c."id"] AND e."latest" AND NOT (e."body" ? 'errorDeclaration')
       CROSS JOIN LATERAL (SELECT DISTINCT l FROM unnest(ARRAY[e."read_point", e."biz_location"]) AS l WHERE l IS NOT NULL) AS v ("location")`,
      [containers],
    );
    for (const row of seen) {
      graph.node(NodeId.location(row.location), 'location', labelOf(row.location), row.location);
      graph.edge(NodeId.container(row.container), NodeId.location(row.location), locationKindOf(row.biz_step));
    }
  }
}
