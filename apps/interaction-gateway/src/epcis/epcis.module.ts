import { Module } from '@nestjs/common';
import { TraceGateway } from './trace.gateway.js';

/**
 * Trace events at the gateway. The controllers (EpcisController, TrailController,
 * TraceGrpcController) are listed in AppModule, ahead of the archive's generic /v1/:collection
 * routes, so /v1/lots/trail is not taken for a lot id; this module provides what they use.
 */
@Module({
  providers: [TraceGateway],
  exports: [TraceGateway],
})
export class EpcisModule {}
