import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import { ApiDoc } from '../openapi/api-doc.decorator.js';
import { InspectionOrder, InspectionOrderPage, InspectionResult, LotDecision, LotDecisionPage, SupplierState, SupplierStateList } from '../openapi/schemas/decision.schemas.js';
import { inspectionOrderJson, inspectionResultJson, lotDecisionJson, supplierStateJson } from './decision-json.js';
import type {
  GetSupplierStateRequest,
  ListDecisionsRequest,
  ListInspectionOrdersRequest,
  ResumeSupplierRequest,
  SubmitInspectionResultRequest,
} from './decision-messages.js';
import { actorOf, optionalText, parseBody, parseQuery, queryCount, queryText, requiredText, rfc3339 } from './decision-request.js';
import { InspectionGateway } from './inspection.gateway.js';

const page = {
  page_size: queryCount('the page size, a positive integer', 1).optional(),
  page_token: queryText('the next_page_token of the previous page').optional(),
};
const decisionsQuery = z.strictObject({
  outcome: queryText('the outcome').pipe(z.enum(['released', 'inspection-ordered', 'held'], { error: 'released, inspection-ordered or held' })).optional(),
  from: queryText('the start of the window').pipe(rfc3339).optional(),
  to: queryText('the end of the window').pipe(rfc3339).optional(),
  ...page,
});
const ordersQuery = z.strictObject({
  agency: queryText('an agency').optional(),
  status: queryText('the order status').pipe(z.enum(['open', 'accepted', 'rejected'], { error: 'open, accepted or rejected' })).optional(),
  ...page,
});
const suppliersQuery = z.strictObject({
  state: queryText('the switching state').pipe(z.enum(['normal', 'tightened', 'reduced', 'discontinued'], { error: 'normal, tightened, reduced or discontinued' })).optional(),
});
const units = () => z.number({ error: 'a count of nonconforming units' }).int('a whole number of units').min(0, 'not negative').max(4_294_967_295, 'at most 4294967295');
const resultBody = z.strictObject({
  agency: requiredText('the agency submitting, the order\'s', 200),
  inspector: requiredText('who inspected', 200),
  critical: units(),
  major: units(),
  minor: units(),
  notes: optionalText('notes', 10_000),
});
const resumeBody = z.strictObject({ reason: requiredText("the supplier's corrective action", 2_000) });
const pageDescriptions = { page_size: 'Items per page.', page_token: 'The next_page_token of the previous page.' };
const supplierParams = { factoryId: "The factory's archive id.", category: 'The product category.' };

/**
 * Decisions on received lots, inspection orders and agencies' results, and the suppliers' ISO
 * 2859-1 switching states (REST and gRPC).
 */
@ApiTags('Decisions and inspections')
@Controller('v1')
export class InspectionController {
  constructor(private readonly inspection: InspectionGateway) {}

  /** The decision on a lot, its anchored record as JSON; 404 until the lot is received and decided. */
  @Get('lots/:lotId/decision')
  @ApiDoc({
    summary: 'The decision on a lot',
    description: 'Which rule fired and why, as anchored; 404 until the lot is received and decided.',
    params: { lotId: "The lot's archive id." },
    response: { status: 200, description: 'The decision, with its inspection order if any.', schema: LotDecision },
    problems: [404],
  })
  async lotDecision(@Param('lotId') lotId: string) {
    return lotDecisionJson(await this.inspection.lotDecision(lotId));
  }

  /** Decisions, newest first. */
  @Get('decisions')
  @ApiDoc({
    summary: 'Decisions, newest first',
    query: { schema: decisionsQuery, describe: { outcome: 'Only this outcome.', from: 'Decided from (inclusive).', to: 'Decided before.', ...pageDescriptions } },
    response: { status: 200, description: 'A page of decisions.', schema: LotDecisionPage },
    problems: [400],
  })
  async decisions(@Query() query: unknown) {
    const { outcome, from, to, page_size: pageSize, page_token: pageToken } = parseQuery(decisionsQuery, query);
    const found = await this.inspection.decisions({ outcome: outcome ?? '', from: from ?? '', to: to ?? '', pageSize: pageSize ?? 0, pageToken: pageToken ?? '' });
    return { decisions: found.decisions.map(lotDecisionJson), next_page_token: found.nextPageToken || null };
  }

  /** Inspection orders, newest first: an agency's, or by status. */
  @Get('inspection-orders')
  @ApiDoc({
    summary: 'Inspection orders, newest first',
    query: { schema: ordersQuery, describe: { agency: "Only this agency's orders.", status: 'Only orders in this status.', ...pageDescriptions } },
    response: { status: 200, description: 'A page of orders.', schema: InspectionOrderPage },
    problems: [400],
  })
  async orders(@Query() query: unknown) {
    const { agency, status, page_size: pageSize, page_token: pageToken } = parseQuery(ordersQuery, query);
    const found = await this.inspection.orders({ agency: agency ?? '', status: status ?? '', pageSize: pageSize ?? 0, pageToken: pageToken ?? '' });
    return { orders: found.orders.map(inspectionOrderJson), next_page_token: found.nextPageToken || null };
  }

  @Get('inspection-orders/:id')
  @ApiDoc({ summary: 'An inspection order', params: { id: 'The order id.' }, response: { status: 200, description: 'The order, with its result once submitted.', schema: InspectionOrder }, problems: [404] })
  async order(@Param('id') id: string) {
    return inspectionOrderJson(await this.inspection.order(id));
  }

  /** An agency's result for an open order; the lot is released or held by the order's plan. */
  @Post('inspection-orders/:id/result')
  @HttpCode(201)
  @ApiDoc({
    summary: "Submit an agency's result for an open order",
    description: "Counts of nonconforming units by class; the lot is released or held by the order's plan, and the supplier's switching state moves on.",
    params: { id: 'The order id.' },
    body: { schema: resultBody },
    response: { status: 201, description: 'The result, as anchored.', schema: InspectionResult, headers: { Location: 'The order.' } },
    problems: [400, 404, 409, 413],
  })
  async submitResult(@Param('id') orderId: string, @Body() body: unknown, @Res({ passthrough: true }) response: Response) {
    const fields = parseBody(resultBody, body);
    const result = await this.inspection.submitResult({ orderId, ...fields, notes: fields.notes ?? '' });
    response.location(`/v1/inspection-orders/${orderId}`);
    return inspectionResultJson(result);
  }

  /** Suppliers (factory × product category) and their switching states; `state` filters. */
  @Get('suppliers')
  @ApiDoc({
    summary: "Suppliers and their ISO 2859-1 switching states",
    query: { schema: suppliersQuery, describe: { state: 'Only suppliers in this state.' } },
    response: { status: 200, description: 'Factory × product category, each with its state.', schema: SupplierStateList },
    problems: [400],
  })
  async suppliers(@Query() query: unknown) {
    const { state } = parseQuery(suppliersQuery, query);
    return { suppliers: (await this.inspection.suppliers(state ?? '')).suppliers.map(supplierStateJson) };
  }

  @Get('suppliers/:factoryId/:category')
  @ApiDoc({ summary: "A supplier's switching state", params: supplierParams, response: { status: 200, description: 'The state and its history.', schema: SupplierState }, problems: [404] })
  async supplier(@Param('factoryId') factoryId: string, @Param('category') category: string) {
    return supplierStateJson(await this.inspection.supplier({ factoryId, category }));
  }

  /** Ends a discontinuation after the supplier's corrective action: inspection resumes, tightened. */
  @Post('suppliers/:factoryId/:category/resume')
  @HttpCode(200)
  @ApiDoc({
    summary: 'End a discontinuation',
    description: "After the supplier's corrective action: inspection resumes, tightened.",
    params: supplierParams,
    headers: [{ name: 'X-Traceport-Actor', description: 'Who makes the change, for the history (operations when absent).' }],
    body: { schema: resumeBody },
    response: { status: 200, description: 'The new state.', schema: SupplierState },
    problems: [400, 404, 409],
  })
  async resume(
    @Param('factoryId') factoryId: string,
    @Param('category') category: string,
    @Body() body: unknown,
    @Headers('x-traceport-actor') actor: string | undefined,
  ) {
    const { reason } = parseBody(resumeBody, body);
    return supplierStateJson(await this.inspection.resumeSupplier({ factoryId, category, reason, actor: actorOf(actor) }));
  }

  @GrpcMethod('InspectionService', 'GetLotDecision')
  getLotDecision(request: { lotId: string }, _metadata: Metadata, call: ServerUnaryCall<unknown, unknown>) {
    return this.inspection.lotDecision(request.lotId, call);
  }

  @GrpcMethod('InspectionService', 'ListDecisions')
  listDecisions(request: ListDecisionsRequest, _metadata: Metadata, call: ServerUnaryCall<unknown, unknown>) {
    return this.inspection.decisions(request, call);
  }

  @GrpcMethod('InspectionService', 'ListOrders')
  listOrders(request: ListInspectionOrdersRequest, _metadata: Metadata, call: ServerUnaryCall<unknown, unknown>) {
    return this.inspection.orders(request, call);
  }

  @GrpcMethod('InspectionService', 'GetOrder')
  getOrder(request: { id: string }, _metadata: Metadata, call: ServerUnaryCall<unknown, unknown>) {
    return this.inspection.order(request.id, call);
  }

  @GrpcMethod('InspectionService', 'SubmitResult')
  submitInspectionResult(request: SubmitInspectionResultRequest, _metadata: Metadata, call: ServerUnaryCall<unknown, unknown>) {
    return this.inspection.submitResult(request, call);
  }

  @GrpcMethod('InspectionService', 'GetSupplierState')
  getSupplierState(request: GetSupplierStateRequest, _metadata: Metadata, call: ServerUnaryCall<unknown, unknown>) {
    return this.inspection.supplier(request, call);
  }

  @GrpcMethod('InspectionService', 'ListSupplierStates')
  listSupplierStates(request: { state: string }, _metadata: Metadata, call: ServerUnaryCall<unknown, unknown>) {
    return this.inspection.suppliers(request.state, call);
  }

  @GrpcMethod('InspectionService', 'ResumeSupplier')
  resumeSupplier(request: ResumeSupplierRequest, _metadata: Metadata, call: ServerUnaryCall<unknown, unknown>) {
    return this.inspection.resumeSupplier(request, call);
  }
}
