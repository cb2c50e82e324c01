import type {
  AffectedItemMessage,
  AffectedItemsPageMessage,
  TraceBackResponseMessage,
  TraceEventMessage,
  TraceFactoryMessage,
  TraceForwardResponseMessage,
  TraceGraphMessage,
  TraceLocationMessage,
  TraceLotMessage,
  TraceProductMessage,
  TraceSubjectMessage,
} from '@traceport/contracts';

// Trace back and trace forward as REST shows them: snake_case, absent values as null, archive
// records and EPCIS events as the JSON they are rather than JSON text.

const orNull = (value: string) => (value === '' ? null : value);
const parsed = (json: string): unknown => (json === '' ? null : (JSON.parse(json) as unknown));

function subjectJson(subject: TraceSubjectMessage) {
  return {
    kind: subject.kind,
    identifier: orNull(subject.identifier),
    gtin: orNull(subject.gtin),
    lot: orNull(subject.lot),
    serial: orNull(subject.serial),
    factory_id: orNull(subject.factoryId),
    product_id: orNull(subject.productId),
    from: orNull(subject.from),
    to: orNull(subject.to),
  };
}

function lotJson(lot: TraceLotMessage) {
  return {
    gtin: lot.gtin,
    lot: lot.lot,
    relation: lot.relation,
    lot_id: orNull(lot.lotId),
    product_id: orNull(lot.productId),
    factory_id: orNull(lot.factoryId),
    production_date: orNull(lot.productionDate),
    expiry_date: orNull(lot.expiryDate),
    items: lot.items,
    issued_identities: lot.issuedIdentities,
    containers: lot.containers,
    customs_declaration_ids: lot.customsDeclarationIds,
    record: parsed(lot.recordJson),
  };
}

function productJson(product: TraceProductMessage) {
  return { id: orNull(product.id), gtin: product.gtin, name: orNull(product.name), factory_id: orNull(product.factoryId), record: parsed(product.recordJson) };
}

function factoryJson(factory: TraceFactoryMessage) {
  return {
    id: factory.id,
    name: factory.name,
    country: factory.country,
    gln: orNull(factory.gln),
    certifications: factory.certifications.map((certification) => ({
      type: certification.type,
      issuer: certification.issuer,
      number: certification.number,
      valid_from: certification.validFrom,
      valid_to: certification.validTo,
      status: certification.status,
      status_at_production: orNull(certification.statusAtProduction),
    })),
    record: parsed(factory.recordJson),
  };
}

function locationJson(location: TraceLocationMessage) {
  return { identifier: location.identifier, kind: location.kind, first_seen: location.firstSeen, last_seen: location.lastSeen, lots: location.lots };
}

function itemJson(item: AffectedItemMessage) {
  return { gtin: item.gtin, lot: orNull(item.lot), serial: item.serial, relation: item.relation, digital_link: item.digitalLink };
}

function eventJson(event: TraceEventMessage) {
  return {
    event_id: event.eventId,
    version: event.version,
    event_hash: event.eventHash,
    event_type: event.eventType,
    event_time: event.eventTime,
    record_time: event.recordTime,
    biz_step: orNull(event.bizStep),
    disposition: orNull(event.disposition),
    read_point: orNull(event.readPoint),
    biz_location: orNull(event.bizLocation),
    record_key: event.recordKey,
    event: JSON.parse(event.eventJson) as unknown,
  };
}

function graphJson(graph: TraceGraphMessage) {
  return { aggregated: graph.aggregated, nodes: graph.nodes, edges: graph.edges };
}

export function traceBackJson(trace: TraceBackResponseMessage) {
  return {
    subject: subjectJson(trace.subject),
    lots: trace.lots.map(lotJson),
    products: trace.products.map(productJson),
    factories: trace.factories.map(factoryJson),
    customs_declarations: trace.customsDeclarations.map((declaration) => ({
      id: declaration.id,
      direction: declaration.direction,
      declaration_number: declaration.declarationNumber,
      port: declaration.port,
      date: declaration.date,
      status: declaration.status,
      lot_ids: declaration.lotIds,
      record: parsed(declaration.recordJson),
    })),
    containers: trace.containers,
    container_count: trace.containerCount,
    items: trace.items.map(itemJson),
    item_count: trace.itemCount,
    locations: trace.locations.map(locationJson),
    events: trace.events.map(eventJson),
    event_count: trace.eventCount,
    graph: graphJson(trace.graph),
  };
}

export function traceForwardJson(trace: TraceForwardResponseMessage) {
  return {
    subject: subjectJson(trace.subject),
    counts: {
      lots: trace.counts.lots,
      items: trace.counts.items,
      containers: trace.counts.containers,
      locations: trace.counts.locations,
      issued_identities: trace.counts.issuedIdentities,
      products: trace.counts.products,
      factories: trace.counts.factories,
    },
    lots: trace.lots.map(lotJson),
    products: trace.products.map(productJson),
    factories: trace.factories.map(factoryJson),
    containers: trace.containers,
    locations: trace.locations.map(locationJson),
    items: trace.items.map(itemJson),
    next_page_token: orNull(trace.nextPageToken),
    graph: graphJson(trace.graph),
  };
}

export function affectedItemsJson(page: AffectedItemsPageMessage) {
  return { items: page.items.map(itemJson), next_page_token: orNull(page.nextPageToken) };
}
