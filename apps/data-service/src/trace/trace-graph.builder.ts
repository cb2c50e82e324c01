import type { TraceEdgeKind, TraceEdgeMessage, TraceGraphMessage, TraceNodeKind, TraceNodeMessage } from '@traceport/contracts';

/** Items and containers are drawn one by one up to these counts, and grouped per lot beyond. */
export const DETAILED_GRAPH_ITEMS = 100;
export const DETAILED_GRAPH_CONTAINERS = 100;

/** Stable node ids: the same record or identifier is the same node in every trace. */
export const NodeId = {
  factory: (id: string) => `factory:${id}`,
  product: (gtin: string) => `product:${gtin}`,
  lot: (key: { gtin: string; lot: string }) => `lot:${key.gtin}/${key.lot}`,
  items: (key: { gtin: string; lot: string }) => `items:${key.gtin}/${key.lot}`,
  item: (gtin: string, serial: string) => `item:${gtin}/${serial}`,
  containers: (key: { gtin: string; lot: string }) => `containers:${key.gtin}/${key.lot}`,
  container: (identifier: string) => `container:${identifier}`,
  location: (identifier: string) => `location:${identifier}`,
} as const;

/** A short label for a canonical identifier: SSCC 0…, GLN 9…, or the identifier itself. */
export function labelOf(identifier: string): string {
  const match = /^https:\/\/id\.gs1\.org\/(00|414|01|8003|8004)\/([^/]+)(?:\/(21|254|10)\/([^/]+))?$/.exec(identifier);
  if (match === null) return identifier;
  const [, ai, key, qualifierAi, qualifier] = match as unknown as [string, string, string, string | undefined, string | undefined];
  const name = { '00': 'SSCC', '414': 'GLN', '01': 'GTIN', '8003': 'GRAI', '8004': 'GIAI' }[ai]!;
  const value = decodeURIComponent(key);
  if (qualifier === undefined) return `${name} ${value}`;
  return `${name} ${value} ${qualifierAi === '21' ? 'serial' : qualifierAi === '10' ? 'lot' : 'ext'} ${decodeURIComponent(qualifier)}`;
}

/** One side of a transformation, as the graph needs it. */
export interface GraphPart {
  readonly gtin: string | null;
  readonly lot: string | null;
  readonly serial: string | null;
  readonly identifier: string;
}

/** Collects nodes and edges once each; an edge seen again keeps the larger count. */
export class GraphBuilder {
  private readonly nodes = new Map<string, TraceNodeMessage>();
  private readonly edges = new Map<string, TraceEdgeMessage>();

  node(id: string, kind: TraceNodeKind, label: string, ref: string, count = 1): string {
    if (!this.nodes.has(id)) this.nodes.set(id, { id, kind, label, count, ref });
    return id;
  }

  has(id: string): boolean {
    return this.nodes.has(id);
  }

  edge(source: string, target: string, kind: TraceEdgeKind, count = 1): void {
    if (source === target || !this.nodes.has(source) || !this.nodes.has(target)) return;
    const key = `${source}\u0000${target}\u0000${kind}`;
    const existing = this.edges.get(key);
    if (existing === undefined) this.edges.set(key, { source, target, kind, count });
    else existing.count = Math.max(existing.count, count);
  }

  /**
   * The spine both traces draw: factory → product → lot, and each transformation from its input to
   * its output (a lot when that lot is drawn, else an item or a container).
   */
  provenance(input: {
    readonly factories: readonly { readonly id: string; readonly name: string }[];
    readonly products: readonly { readonly gtin: string; readonly name: string; readonly id: string; readonly factoryId: string }[];
    readonly lots: readonly { readonly gtin: string; readonly lot: string; readonly lotId: string }[];
    readonly links: readonly { readonly input: GraphPart; readonly output: GraphPart }[];
  }): void {
    for (const factory of input.factories) this.node(NodeId.factory(factory.id), 'factory', factory.name, factory.id);
    for (const product of input.products) {
      this.node(NodeId.product(product.gtin), 'product', product.name || `GTIN ${product.gtin}`, product.id || product.gtin);
      if (product.factoryId !== '') this.edge(NodeId.factory(product.factoryId), NodeId.product(product.gtin), 'produced');
    }
    for (const lot of input.lots) {
      this.node(NodeId.lot(lot), 'lot', `lot ${lot.lot}`, lot.lotId || `${lot.gtin}/${lot.lot}`);
      this.edge(NodeId.product(lot.gtin), NodeId.lot(lot), 'produced');
    }
    const partNode = (part: GraphPart): string => {
      if (part.gtin !== null && part.lot !== null && this.has(NodeId.lot({ gtin: part.gtin, lot: part.lot }))) return NodeId.lot({ gtin: part.gtin, lot: part.lot });
      if (part.gtin !== null && part.serial !== null) return this.node(NodeId.item(part.gtin, part.serial), 'item', labelOf(part.identifier), part.identifier);
      return this.node(NodeId.container(part.identifier), 'container', labelOf(part.identifier), part.identifier);
    };
    for (const link of input.links) this.edge(partNode(link.input), partNode(link.output), 'transformed-into');
  }

  /** Nodes by id and edges by source, target and kind: the same trace always draws the same graph. */
  build(aggregated: boolean): TraceGraphMessage {
    const order = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    return {
      nodes: [...this.nodes.values()].sort((a, b) => order(a.id, b.id)),
      edges: [...this.edges.values()].sort((a, b) => order(a.source, b.source) || order(a.target, b.target) || order(a.kind, b.kind)),
      aggregated,
    };
  }
}
