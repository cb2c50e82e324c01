import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { CreateRecallRequestMessage, ListHoldsRequestMessage, LiftHoldRequestMessage } from '@traceport/contracts';
import { HoldService } from './hold.service.js';
import { ItemControlService } from './item-control.service.js';
import { RecallService } from './recall.service.js';

/** traceport.v1.ProductControlService, as the gateway (and only the gateway) calls it. */
@Controller()
export class ControlGrpcController {
  constructor(
    private readonly holds: HoldService,
    private readonly recalls: RecallService,
    private readonly items: ItemControlService,
  ) {}

  @GrpcMethod('ProductControlService', 'ListHolds')
  listHolds(request: Partial<ListHoldsRequestMessage>) {
    return this.holds.list(request);
  }

  @GrpcMethod('ProductControlService', 'GetHold')
  getHold(request: { id?: string }) {
    return this.holds.get(request.id ?? '');
  }

  @GrpcMethod('ProductControlService', 'LiftHold')
  liftHold(request: Partial<LiftHoldRequestMessage>) {
    return this.holds.lift(request);
  }

  @GrpcMethod('ProductControlService', 'CreateRecall')
  createRecall(request: Partial<CreateRecallRequestMessage>) {
    return this.recalls.create(request);
  }

  @GrpcMethod('ProductControlService', 'ListRecalls')
  listRecalls(request: { pageSize?: number; pageToken?: string }) {
    return this.recalls.list(request);
  }

  @GrpcMethod('ProductControlService', 'GetRecall')
  getRecall(request: { id?: string }) {
    return this.recalls.get(request.id ?? '');
  }

  @GrpcMethod('ProductControlService', 'GetItemControl')
  getItemControl(request: { gtin?: string; serial?: string; lot?: string }) {
    return this.items.flagsOf(request);
  }
}
