import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { OrderPlan } from '../decision/decision-policy.js';
import { InspectionService, type DecisionView, type InspectionResultRecord, type OrderView, type SupplierStateView } from './inspection.service.js';

const planMessageOf = (plan: OrderPlan) => ({ ...plan, severity: plan.severity });
const resultMessageOf = (result: InspectionResultRecord, supplier: SupplierStateView | null = null) => ({
  id: result.id,
  orderId: result.orderId,
  lotId: result.lotId,
  agency: result.agency,
  inspector: result.inspector,
  critical: result.critical,
  major: result.major,
  minor: result.minor,
  verdict: result.verdict,
  reason: result.reason,
  recordedAt: result.recordedAt,
  recordJson: JSON.stringify(result),
  ...(supplier === null ? {} : { supplier: supplierMessageOf(supplier) }),
});
const orderMessageOf = (order: OrderView) => ({
  id: order.id,
  lotId: order.lotId,
  decisionId: order.decisionId,
  agency: order.agency,
  status: order.status,
  plan: planMessageOf(order.plan),
  seed: order.seed,
  sampleUnits: order.sampleUnits,
  createdAt: order.createdAt,
  ...(order.result === null ? {} : { result: resultMessageOf(order.result) }),
});
const decisionMessageOf = (decision: DecisionView) => ({
  id: decision.id,
  lotId: decision.lotId,
  outcome: decision.outcome,
  initialOutcome: decision.initialOutcome,
  decidedAt: decision.decidedAt,
  ruleSetVersion: decision.ruleSetVersion ?? 0,
  ruleId: decision.ruleId ?? '',
  recordJson: JSON.stringify(decision.record),
  ...(decision.order === null ? {} : { order: orderMessageOf(decision.order) }),
  heldBy: decision.heldBy,
});
function supplierMessageOf(supplier: SupplierStateView) {
  return {
    factoryId: supplier.factoryKey,
    category: supplier.category,
    state: supplier.state,
    detailJson: JSON.stringify(supplier.detail),
    updatedAt: supplier.updatedAt,
    changes: supplier.changes.map((change) => ({ from: change.from, to: change.to, reason: change.reason, lotId: change.lotId ?? '', at: change.at })),
  };
}

@Controller()
export class InspectionGrpcController {
  constructor(private readonly inspections: InspectionService) {}

  @GrpcMethod('InspectionService', 'GetLotDecision')
  async getLotDecision(request: { lotId: string }) {
    return decisionMessageOf(await this.inspections.lotDecision(request.lotId));
  }

  @GrpcMethod('InspectionService', 'ListDecisions')
  async listDecisions(request: { outcome: string; from: string; to: string; pageSize: number; pageToken: string }) {
    const page = await this.inspections.listDecisions(request);
    return { decisions: page.decisions.map(decisionMessageOf), nextPageToken: page.nextPageToken };
  }

  @GrpcMethod('InspectionService', 'ListOrders')
  async listOrders(request: { agency: string; status: string; pageSize: number; pageToken: string }) {
    const page = await this.inspections.listOrders(request);
    return { orders: page.orders.map(orderMessageOf), nextPageToken: page.nextPageToken };
  }

  @GrpcMethod('InspectionService', 'GetOrder')
  async getOrder(request: { id: string }) {
    return orderMessageOf(await this.inspections.order(request.id));
  }

  @GrpcMethod('InspectionService', 'SubmitResult')
  async submitResult(request: { orderId: string; agency: string; inspector: string; critical: number; major: number; minor: number; notes: string }) {
    const { result, supplier } = await this.inspections.submitResult(request);
    return resultMessageOf(result, supplier);
  }

  @GrpcMethod('InspectionService', 'GetSupplierState')
  async getSupplierState(request: { factoryId: string; category: string }) {
    return supplierMessageOf(await this.inspections.supplierState({ factoryKey: request.factoryId, category: request.category }));
  }

  @GrpcMethod('InspectionService', 'ListSupplierStates')
  async listSupplierStates(request: { state: string }) {
    return { suppliers: (await this.inspections.listSupplierStates(request.state)).map(supplierMessageOf) };
  }

  @GrpcMethod('InspectionService', 'ResumeSupplier')
  async resumeSupplier(request: { factoryId: string; category: string; reason: string; actor: string }) {
    return supplierMessageOf(await this.inspections.resumeSupplier({ factoryKey: request.factoryId, category: request.category }, request.reason, request.actor));
  }
}
