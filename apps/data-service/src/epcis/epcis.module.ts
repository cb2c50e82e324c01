import { Module } from '@nestjs/common';
import { EpcisCaptureService } from './epcis-capture.service.js';
import { EpcisDocumentValidator } from './epcis-document.validator.js';
import { EpcisQueryService } from './epcis-query.service.js';
import { EpcisMetrics } from './epcis.metrics.js';
import { TraceTrailService } from './trace-trail.service.js';
import { TraceGrpcController } from './trace.grpc.controller.js';

/** EPCIS 2.0 trace events: capture, query, lot and item trails (traceport.v1.TraceService). */
@Module({
  controllers: [TraceGrpcController],
  providers: [EpcisDocumentValidator, EpcisMetrics, EpcisCaptureService, EpcisQueryService, TraceTrailService],
  // Product control records its holds and recalls as EPCIS events, validated like any capture.
  exports: [EpcisDocumentValidator],
})
export class EpcisModule {}
