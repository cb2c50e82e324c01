import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { TraceGateway, type QueryParameterMessage } from './trace.gateway.js';

type Call = ServerUnaryCall<unknown, unknown>;

/** The public traceport.v1.TraceService for the supply-chain middle platform. */
@Controller()
export class TraceGrpcController {
  constructor(private readonly trace: TraceGateway) {}

  @GrpcMethod('TraceService', 'CaptureDocument')
  captureDocument(request: { documentJson?: string; captureErrorBehaviour?: string }, _metadata: Metadata, call: Call) {
    return this.trace.capture(request.documentJson ?? '', request.captureErrorBehaviour ?? '', call);
  }

  @GrpcMethod('TraceService', 'GetCaptureJob')
  getCaptureJob(request: { captureId?: string }, _metadata: Metadata, call: Call) {
    return this.trace.captureJob(request.captureId ?? '', call);
  }

  @GrpcMethod('TraceService', 'QueryEvents')
  queryEvents(request: { parameters?: QueryParameterMessage[] }, _metadata: Metadata, call: Call) {
    return this.trace.query(request.parameters ?? [], call);
  }

  @GrpcMethod('TraceService', 'GetEvent')
  getEvent(request: { eventId?: string; version?: number }, _metadata: Metadata, call: Call) {
    return this.trace.event(request.eventId ?? '', request.version ?? 0, call);
  }

  @GrpcMethod('TraceService', 'GetLotTrail')
  getLotTrail(request: { gtin?: string; lot?: string }, _metadata: Metadata, call: Call) {
    return this.trace.lotTrail(request.gtin ?? '', request.lot ?? '', call);
  }

  @GrpcMethod('TraceService', 'GetItemTrail')
  getItemTrail(request: { gtin?: string; serial?: string }, _metadata: Metadata, call: Call) {
    return this.trace.itemTrail(request.gtin ?? '', request.serial ?? '', call);
  }
}
