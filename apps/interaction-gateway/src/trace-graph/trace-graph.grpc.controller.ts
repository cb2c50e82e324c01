import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { ListAffectedItemsRequestMessage, TraceBackRequestMessage, TraceForwardRequestMessage } from '@traceport/contracts';
import { TraceGraphGateway } from './trace-graph.gateway.js';

type Call = ServerUnaryCall<unknown, unknown>;

/** The public traceport.v1.TraceGraphService: the data-service's, with the caller's deadline and correlation id passed on. */
@Controller()
export class TraceGraphGrpcController {
  constructor(private readonly traces: TraceGraphGateway) {}

  @GrpcMethod('TraceGraphService', 'TraceBack')
  traceBack(request: TraceBackRequestMessage, _metadata: Metadata, call: Call) {
    return this.traces.traceBack(request, call);
  }

  @GrpcMethod('TraceGraphService', 'TraceForward')
  traceForward(request: TraceForwardRequestMessage, _metadata: Metadata, call: Call) {
    return this.traces.traceForward(request, call);
  }

  @GrpcMethod('TraceGraphService', 'ListAffectedItems')
  listAffectedItems(request: ListAffectedItemsRequestMessage, _metadata: Metadata, call: Call) {
    return this.traces.listAffectedItems(request, call);
  }
}
