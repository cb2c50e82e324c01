import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { CreateRecallRequestMessage, LiftHoldRequestMessage, ListHoldsRequestMessage } from '@traceport/contracts';
import { principalOf } from '../access/principal.js';
import { ControlGateway } from './control.gateway.js';

type Call = ServerUnaryCall<unknown, unknown>;

/** Who acts, for the record: the caller's organisation when it presented a key, else what it said. */
function actorOf(call: Call, stated: string): string {
  const principal = principalOf(call);
  return principal === null ? stated : `${principal.organisation.name} (key ${principal.keyPrefix})`;
}

/** The public traceport.v1.ProductControlService: the data-service's, with the caller's deadline and correlation id passed on. */
@Controller()
export class ControlGrpcController {
  constructor(private readonly control: ControlGateway) {}

  @GrpcMethod('ProductControlService', 'ListHolds')
  listHolds(request: ListHoldsRequestMessage, _metadata: Metadata, call: Call) {
    return this.control.listHolds(request, call);
  }

  @GrpcMethod('ProductControlService', 'GetHold')
  getHold(request: { id: string }, _metadata: Metadata, call: Call) {
    return this.control.getHold(request.id, call);
  }

  @GrpcMethod('ProductControlService', 'LiftHold')
  liftHold(request: LiftHoldRequestMessage, _metadata: Metadata, call: Call) {
    return this.control.liftHold({ ...request, actor: actorOf(call, request.actor) }, call);
  }

  @GrpcMethod('ProductControlService', 'CreateRecall')
  createRecall(request: CreateRecallRequestMessage, _metadata: Metadata, call: Call) {
    return this.control.createRecall({ ...request, actor: actorOf(call, request.actor) }, call);
  }

  @GrpcMethod('ProductControlService', 'ListRecalls')
  listRecalls(request: { pageSize: number; pageToken: string }, _metadata: Metadata, call: Call) {
    return this.control.listRecalls(request, call);
  }

  @GrpcMethod('ProductControlService', 'GetRecall')
  getRecall(request: { id: string }, _metadata: Metadata, call: Call) {
    return this.control.getRecall(request.id, call);
  }

  @GrpcMethod('ProductControlService', 'GetItemControl')
  getItemControl(request: { gtin: string; serial: string; lot: string }, _metadata: Metadata, call: Call) {
    return this.control.itemControl(request, call);
  }
}
