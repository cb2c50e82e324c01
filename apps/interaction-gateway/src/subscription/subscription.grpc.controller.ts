import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { CreateSubscriptionRequestMessage, EpcisQueryParameterMessage, ListDeliveriesRequestMessage } from '@traceport/contracts';
import { SubscriptionGateway } from './subscription.gateway.js';

type Call = ServerUnaryCall<unknown, unknown>;
type SubscriptionKey = { queryName: string; subscriptionId: string };

/** The public traceport.v1.EpcisSubscriptionService: the data-service's, with the caller's deadline and correlation id passed on. */
@Controller()
export class SubscriptionGrpcController {
  constructor(private readonly subscriptions: SubscriptionGateway) {}

  @GrpcMethod('EpcisSubscriptionService', 'CreateQuery')
  createQuery(request: { name: string; parameters: EpcisQueryParameterMessage[] }, _metadata: Metadata, call: Call) {
    return this.subscriptions.createQuery({ name: request.name, parameters: request.parameters ?? [] }, call);
  }

  @GrpcMethod('EpcisSubscriptionService', 'ListQueries')
  listQueries(_request: unknown, _metadata: Metadata, call: Call) {
    return this.subscriptions.listQueries(call);
  }

  @GrpcMethod('EpcisSubscriptionService', 'GetQuery')
  getQuery(request: { name: string }, _metadata: Metadata, call: Call) {
    return this.subscriptions.getQuery(request.name, call);
  }

  @GrpcMethod('EpcisSubscriptionService', 'DeleteQuery')
  deleteQuery(request: { name: string }, _metadata: Metadata, call: Call) {
    return this.subscriptions.deleteQuery(request.name, call);
  }

  @GrpcMethod('EpcisSubscriptionService', 'CreateSubscription')
  createSubscription(request: CreateSubscriptionRequestMessage, _metadata: Metadata, call: Call) {
    return this.subscriptions.createSubscription(request, call);
  }

  @GrpcMethod('EpcisSubscriptionService', 'ListSubscriptions')
  listSubscriptions(request: { name: string }, _metadata: Metadata, call: Call) {
    return this.subscriptions.listSubscriptions(request.name, call);
  }

  @GrpcMethod('EpcisSubscriptionService', 'GetSubscription')
  getSubscription(request: SubscriptionKey, _metadata: Metadata, call: Call) {
    return this.subscriptions.getSubscription(request, call);
  }

  @GrpcMethod('EpcisSubscriptionService', 'DeleteSubscription')
  deleteSubscription(request: SubscriptionKey, _metadata: Metadata, call: Call) {
    return this.subscriptions.deleteSubscription(request, call);
  }

  @GrpcMethod('EpcisSubscriptionService', 'ListDeliveries')
  listDeliveries(request: ListDeliveriesRequestMessage, _metadata: Metadata, call: Call) {
    return this.subscriptions.listDeliveries(request, call);
  }

  @GrpcMethod('EpcisSubscriptionService', 'RedriveDelivery')
  redriveDelivery(request: { id: string }, _metadata: Metadata, call: Call) {
    return this.subscriptions.redrive(request.id, call);
  }
}
