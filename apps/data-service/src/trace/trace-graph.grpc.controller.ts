import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { ListAffectedItemsRequestMessage, TraceBackRequestMessage, TraceForwardRequestMessage } from '@traceport/contracts';
import { TraceBackService } from './trace-back.service.js';
import { TraceForwardService } from './trace-forward.service.js';

/** traceport.v1.TraceGraphService, as the gateway (and only the gateway) calls it. */
@Controller()
export class TraceGraphGrpcController {
  constructor(
    private readonly back: TraceBackService,
    private readonly forward: TraceForwardService,
  ) {}

  @GrpcMethod('TraceGraphService', 'TraceBack')
  traceBack(request: Partial<TraceBackRequestMessage>) {
    return this.back.traceBack(request);
  }

  @GrpcMethod('TraceGraphService', 'TraceForward')
  traceForward(request: Partial<TraceForwardRequestMessage>) {
    return this.forward.traceForward(request);
  }

  @GrpcMethod('TraceGraphService', 'ListAffectedItems')
  listAffectedItems(request: Partial<ListAffectedItemsRequestMessage>) {
    return this.forward.listAffectedItems(request);
  }
}
