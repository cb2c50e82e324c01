import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { EpcisCaptureService } from './epcis-capture.service.js';
import type { QueryParameter } from './epcis-event-query.js';
import { EpcisQueryService } from './epcis-query.service.js';
import { TraceTrailService } from './trace-trail.service.js';

/** traceport.v1.TraceService, as the gateway (and only the gateway) calls it. */
@Controller()
export class TraceGrpcController {
  constructor(
    private readonly captures: EpcisCaptureService,
    private readonly queries: EpcisQueryService,
    private readonly trails: TraceTrailService,
  ) {}

  @GrpcMethod('TraceService', 'CaptureDocument')
  captureDocument(request: { documentJson?: string; captureErrorBehaviour?: string }) {
    return this.captures.capture(request.documentJson ?? '', request.captureErrorBehaviour ?? '');
  }

  @GrpcMethod('TraceService', 'GetCaptureJob')
  getCaptureJob(request: { captureId?: string }) {
    return this.captures.getJob(request.captureId ?? '');
  }

  @GrpcMethod('TraceService', 'QueryEvents')
  queryEvents(request: { parameters?: QueryParameter[] }) {
    return this.queries.query(request.parameters ?? []);
  }

  @GrpcMethod('TraceService', 'GetEvent')
  getEvent(request: { eventId?: string; version?: number }) {
    return this.queries.get(request.eventId ?? '', request.version ?? 0);
  }

  @GrpcMethod('TraceService', 'GetLotTrail')
  getLotTrail(request: { gtin?: string; lot?: string }) {
    return this.trails.lotTrail(request.gtin ?? '', request.lot ?? '');
  }

  @GrpcMethod('TraceService', 'GetItemTrail')
  getItemTrail(request: { gtin?: string; serial?: string }) {
    return this.trails.itemTrail(request.gtin ?? '', request.serial ?? '');
  }
}
