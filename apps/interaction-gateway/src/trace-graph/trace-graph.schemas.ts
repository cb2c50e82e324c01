import { z } from 'zod';

// The OpenAPI description of trace back and trace forward (named components, zod as JSON Schema).

const nullableText = z.string().nullable();

const TraceSubject = z
  .object({
    kind: z.enum(['item', 'lot', 'container', 'factory', 'product', 'production-window']),
    identifier: nullableText.meta({ description: 'The canonical GS1 Digital Link of an item or a container.' }),
    gtin: nullableText,
    lot: nullableText,
    serial: nullableText,
    factory_id: nullableText,
    product_id: nullableText,
    from: nullableText,
    to: nullableText,
  })
  .meta({ id: 'TraceSubject', description: 'What was traced, as resolved.' });

const TraceLot = z
  .object({
    gtin: z.string(),
    lot: z.string(),
    relation: z.enum(['origin', 'transformed', 'co-packed', 'subject', 'contained', 'input']).meta({
      description:
        'Forward: origin (a lot traced from), transformed (made from affected inputs: the whole lot), co-packed (some of its items shared a container with affected ones: those items only). Back: subject, contained (inside the container traced), input (went into a transformation that made a subject lot).',
    }),
    lot_id: nullableText.meta({ description: 'The archive lot; null for a lot seen only in trace events.' }),
    product_id: nullableText,
    factory_id: nullableText,
    production_date: nullableText,
    expiry_date: nullableText,
    items: z.number().int().meta({ description: 'Items of this lot in the result (traced items).' }),
    issued_identities: z.number().int().meta({ description: 'Identities (QR codes) issued for the lot, traced or not.' }),
    containers: z.number().int().meta({ description: 'Containers its items were packed into.' }),
    customs_declaration_ids: z.array(z.string()),
    record: z.unknown().meta({ description: 'The archive lot record, or null.' }),
  })
  .meta({ id: 'TraceLot' });

const TraceProduct = z
  .object({ id: nullableText, gtin: z.string(), name: nullableText, factory_id: nullableText, record: z.unknown() })
  .meta({ id: 'TraceProduct', description: 'A product; id and record are null for a GTIN only seen in trace events.' });

const TraceFactory = z
  .object({
    id: z.string(),
    name: z.string(),
    country: z.string(),
    gln: nullableText,
    certifications: z.array(
      z.object({
        type: z.string(),
        issuer: z.string(),
        number: z.string(),
        valid_from: z.string(),
        valid_to: z.string(),
        status: z.enum(['valid', 'expired', 'not-yet-valid']).meta({ description: 'Today.' }),
        status_at_production: z
          .enum(['valid', 'expired', 'not-yet-valid'])
          .nullable()
          .meta({ description: 'On the production date of the (earliest) lot traced; null when none is known.' }),
      }),
    ),
    record: z.unknown(),
  })
  .meta({ id: 'TraceFactory' });

const TraceContainer = z
  .object({ identifier: z.string(), relation: z.enum(['packed', 'co-packed', 'carried-in', 'contains']) })
  .meta({ id: 'TraceContainer', description: 'A case, pallet or shipment (SSCC) or any other container, by canonical identifier.' });

const TraceLocation = z
  .object({
    identifier: z.string().meta({ description: 'A GLN as canonical Digital Link (https://id.gs1.org/414/...), or as written.' }),
    kind: z.enum(['shipped-to', 'observed-at']).meta({ description: 'shipped-to: goods were received or arrived there.' }),
    first_seen: z.string(),
    last_seen: z.string(),
    lots: z.number().int(),
  })
  .meta({ id: 'TraceLocation' });

const AffectedItem = z
  .object({
    gtin: z.string(),
    lot: nullableText,
    serial: z.string(),
    relation: z.enum(['lot', 'co-packed', 'transformed']),
    digital_link: z.string(),
  })
  .meta({ id: 'AffectedItem' });

const TraceGraph = z
  .object({
    aggregated: z.boolean().meta({ description: 'Items and containers grouped per lot (with counts) rather than drawn one by one.' }),
    nodes: z.array(
      z.object({
        id: z.string().meta({ description: 'factory:<id>, product:<gtin>, lot:<gtin>/<lot>, items:<gtin>/<lot>, item:<gtin>/<serial>, container:<identifier>, containers:<gtin>/<lot>, location:<identifier>' }),
        kind: z.enum(['factory', 'product', 'lot', 'item-group', 'item', 'container-group', 'container', 'location']),
        label: z.string(),
        count: z.number().int(),
        ref: z.string().meta({ description: 'The record id or identifier the node stands for.' }),
      }),
    ),
    edges: z.array(
      z.object({
        source: z.string(),
        target: z.string(),
        kind: z.enum(['produced', 'packed-into', 'transformed-into', 'shipped-to', 'observed-at']),
        count: z.number().int(),
      }),
    ),
  })
  .meta({ id: 'TraceGraph', description: 'Nodes and edges a console can draw.' });

const TraceEvent = z.object({
  event_id: z.string(),
  version: z.number().int(),
  event_hash: z.string(),
  event_type: z.string(),
  event_time: z.string(),
  record_time: z.string(),
  biz_step: nullableText,
  disposition: nullableText,
  read_point: nullableText,
  biz_location: nullableText,
  record_key: z.string(),
  event: z.unknown().meta({ description: 'The EPCIS event as anchored.' }),
});

export const TraceBack = z
  .object({
    subject: TraceSubject,
    lots: z.array(TraceLot),
    products: z.array(TraceProduct),
    factories: z.array(TraceFactory),
    customs_declarations: z.array(
      z.object({
        id: z.string(),
        direction: z.string(),
        declaration_number: z.string(),
        port: z.string(),
        date: z.string(),
        status: z.string(),
        lot_ids: z.array(z.string()),
        record: z.unknown(),
      }),
    ),
    containers: z.array(TraceContainer).meta({ description: 'The first 1,000 by identifier.' }),
    container_count: z.number().int(),
    items: z.array(AffectedItem).meta({ description: 'For a container: the items inside it (the first 1,000).' }),
    item_count: z.number().int(),
    locations: z.array(TraceLocation),
    events: z.array(TraceEvent).meta({ description: 'Every event on the way in eventTime order (the first 1,000).' }),
    event_count: z.number().int(),
    graph: TraceGraph,
  })
  .meta({ id: 'TraceBack', description: 'Where an item, a lot or a container came from.' });

export const TraceForward = z
  .object({
    subject: TraceSubject,
    counts: z.object({
      lots: z.number().int(),
      items: z.number().int(),
      containers: z.number().int(),
      locations: z.number().int(),
      issued_identities: z.number().int(),
      products: z.number().int(),
      factories: z.number().int(),
    }),
    lots: z.array(TraceLot),
    products: z.array(TraceProduct),
    factories: z.array(TraceFactory),
    containers: z.array(TraceContainer).meta({ description: 'The first 1,000 by identifier; counts.containers has them all.' }),
    locations: z.array(TraceLocation),
    items: z.array(AffectedItem).meta({ description: 'The first page of affected items.' }),
    next_page_token: nullableText.meta({ description: 'For GET /v1/trace/forward/items; null when the first page holds every item.' }),
    graph: TraceGraph,
  })
  .meta({ id: 'TraceForward', description: 'Everything a factory, a product, a lot or a production window reached, with exact counts.' });

export const AffectedItemsPage = z
  .object({ items: z.array(AffectedItem), next_page_token: nullableText.meta({ description: 'Null on the last page.' }) })
  .meta({ id: 'AffectedItemsPage' });

const gtin = z.string().regex(/^\d{8}$|^\d{12,14}$/);
const date = z.iso.date();

export const TraceBackQuery = z.object({
  gtin: gtin.optional(),
  serial: z.string().optional(),
  lot: z.string().optional(),
  container: z.string().optional(),
});

export const TraceForwardQuery = z.object({
  factory_id: z.uuid().optional(),
  product_id: z.uuid().optional(),
  gtin: gtin.optional(),
  lot: z.string().optional(),
  from: date.optional(),
  to: date.optional(),
  page_size: z.coerce.number().int().min(1).max(1_000).optional(),
});

export const AffectedItemsQuery = TraceForwardQuery.extend({ page_token: z.string().optional() });
