import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { CreateSubscriptionRequestMessage, EpcisQueryParameterMessage, ListDeliveriesRequestMessage } from '@traceport/contracts';
import { SubscriptionService } from './subscription.service.js';

/** traceport.v1.EpcisSubscriptionService, as the gateway (and only the gateway) calls it. */
@Controller()
export class SubscriptionGrpcController {
  constructor(private readonly subscriptions: SubscriptionService) {}

  @GrpcMethod('EpcisSubscriptionService', 'CreateQuery')
  createQuery(request: { name?: string; parameters?: EpcisQueryParameterMessage[] }) {
    return this.subscriptions.createQuery(request);
  }

  @GrpcMethod('EpcisSubscriptionService', 'ListQueries')
  listQueries() {
    return this.subscriptions.listQueries();
  }

  @GrpcMethod('EpcisSubscriptionService', 'GetQuery')
  getQuery(request: { name?: string }) {
    return this.subscriptions.getQuery(request.name ?? '');
  }

  @GrpcMethod('EpcisSubscriptionService', 'DeleteQuery')
  deleteQuery(request: { name?: string }) {
    return this.subscriptions.deleteQuery(request.name ?? '');
  }

  @GrpcMethod('EpcisSubscriptionService', 'CreateSubscription')
  createSubscription(request: Partial<CreateSubscriptionRequestMessage>) {
    return this.subscriptions.createSubscription(request);
  }

  @GrpcMethod('EpcisSubscriptionService', 'ListSubscriptions')
  listSubscriptions(request: { name?: string }) {
    return this.subscriptions.listSubscriptions(request.name ?? '');
  }

  @GrpcMethod('EpcisSubscriptionService', 'GetSubscription')
  getSubscription(request: { queryName?: string; subscriptionId?: string }) {
    return this.subscriptions.getSubscription(request.queryName ?? '', request.subscriptionId ?? '');
  }

  @GrpcMethod('EpcisSubscriptionService', 'DeleteSubscription')
  deleteSubscription(request: { queryName?: string; subscriptionId?: string }) {
    return this.subscriptions.deleteSubscription(request.queryName ?? '', request.subscriptionId ?? '');
  }

  @GrpcMethod('EpcisSubscriptionService', 'ListDeliveries')
  listDeliveries(request: Partial<ListDeliveriesRequestMessage>) {
    return this.subscriptions.listDeliveries(request);
  }

  @GrpcMethod('EpcisSubscriptionService', 'RedriveDelivery')
  redriveDelivery(request: { id?: string }) {
    return this.subscriptions.redrive(request.id ?? '');
  }
}
