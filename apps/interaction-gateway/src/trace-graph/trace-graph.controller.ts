import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { invalid } from '@traceport/errors';
import { ApiDoc } from '../openapi/api-doc.decorator.js';
import { TraceGraphGateway } from './trace-graph.gateway.js';
import { affectedItemsJson, traceBackJson, traceForwardJson } from './trace-graph.json.js';
import { AffectedItemsPage, AffectedItemsQuery, TraceBack, TraceBackQuery, TraceForward, TraceForwardQuery } from './trace-graph.schemas.js';

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** page_size as a number for the data-service, which checks its range; 0 when absent (its default). */
function pageSizeOf(value: unknown): number {
  const raw = text(value).trim();
  if (raw === '') return 0;
  if (!/^\d{1,7}$/.test(raw)) throw invalid('trace-invalid-page', 'page_size: a whole number from 1 to 1000', [{ field: 'page_size', message: 'a whole number from 1 to 1000' }]);
  return Number(raw);
}

type ScopeQuery = Record<'factory_id' | 'product_id' | 'gtin' | 'lot' | 'from' | 'to' | 'page_size', unknown>;

function scopeOf(query: ScopeQuery) {
  return {
    factoryId: text(query.factory_id),
    productId: text(query.product_id),
    gtin: text(query.gtin),
    lot: text(query.lot),
    from: text(query.from),
    to: text(query.to),
    pageSize: pageSizeOf(query.page_size),
  };
}

const SCOPE_DESCRIPTIONS = {
  factory_id: 'Everything a factory made (its products’ lots).',
  product_id: 'Everything of one product.',
  gtin: 'A product by its GTIN; with lot, one lot.',
  lot: 'The lot number (with gtin).',
  from: 'Production window start (inclusive), alone or with factory_id, product_id or gtin.',
  to: 'Production window end (inclusive).',
  page_size: 'Items per page: 1 to 1,000 (100 by default).',
};

/** Trace back and trace forward (REST); the same through gRPC is TraceGraphGrpcController. */
@ApiTags('Trails')
@Controller('v1/trace')
export class TraceGraphController {
  constructor(private readonly traces: TraceGraphGateway) {}

  /** `GET /v1/trace/back?gtin=&serial=` | `?gtin=&lot=` | `?container=<SSCC or URI>` */
  @Get('back')
  @ApiDoc({
    summary: 'Trace back an item, a lot or a container',
    description:
      'To its lot(s), product, factory and the factory’s certifications (valid today, and on the production date), customs declarations, the containers it travelled in, the lots that went into it through transformations (recursively), and every event on the way.',
    query: {
      schema: TraceBackQuery,
      describe: { gtin: 'With serial: an item; with lot: a lot.', serial: 'The item’s serial.', lot: 'The lot number.', container: 'Instead: an SSCC (18 digits) or any identifier URI.' },
    },
    response: { status: 200, description: 'The trace back.', schema: TraceBack },
    problems: [400, 404],
  })
  async back(@Query('gtin') gtin: unknown, @Query('serial') serial: unknown, @Query('lot') lot: unknown, @Query('container') container: unknown) {
    return traceBackJson(await this.traces.traceBack({ gtin: text(gtin), serial: text(serial), lot: text(lot), container: text(container) }));
  }

  /** `GET /v1/trace/forward?factory_id=` | `?product_id=` | `?gtin=&lot=` | `?from=&to=[&factory_id=]` */
  @Get('forward')
  @ApiDoc({
    summary: 'Trace forward a factory, a product, a lot or a production window',
    description:
      'To every lot, item, container and location reached, following aggregation (items packed into cases and pallets, and what shared them) and transformation. Counts are exact; items come a page at a time (the rest through GET /v1/trace/forward/items).',
    query: { schema: TraceForwardQuery, describe: SCOPE_DESCRIPTIONS },
    response: { status: 200, description: 'The affected set, the first page of items and a graph.', schema: TraceForward },
    problems: [400, 404],
  })
  async forward(@Query() query: ScopeQuery) {
    return traceForwardJson(await this.traces.traceForward(scopeOf(query)));
  }

  /** `GET /v1/trace/forward/items?<the same scope>&page_token=` */
  @Get('forward/items')
  @ApiDoc({
    summary: 'The affected items of a trace forward, a page at a time',
    description: 'Ordered by GTIN, lot and serial. Give the same scope as the trace forward and its next_page_token.',
    query: { schema: AffectedItemsQuery, describe: { ...SCOPE_DESCRIPTIONS, page_token: 'next_page_token of the trace forward or of the previous page.' } },
    response: { status: 200, description: 'One page of items.', schema: AffectedItemsPage },
    problems: [400, 404],
  })
  async items(@Query() query: ScopeQuery & { page_token?: unknown }) {
    return affectedItemsJson(await this.traces.listAffectedItems({ ...scopeOf(query), pageToken: text(query.page_token) }));
  }
}
