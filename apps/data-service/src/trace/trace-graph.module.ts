import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import { TraceBackService } from './trace-back.service.js';
import { TRACE_GRAPH_LOGGER, TraceGraphConsumer } from './trace-graph.consumer.js';
import { TraceGraphGrpcController } from './trace-graph.grpc.controller.js';
import { TraceForwardService } from './trace-forward.service.js';

/** Trace back and trace forward (traceport.v1.TraceGraphService), and the consumer that keeps their graph current. */
@Module({})
export class TraceGraphModule {
  static forRoot(options: { logger: Logger }): DynamicModule {
    return {
      module: TraceGraphModule,
      controllers: [TraceGraphGrpcController],
      providers: [{ provide: TRACE_GRAPH_LOGGER, useValue: options.logger }, TraceBackService, TraceForwardService, TraceGraphConsumer],
    };
  }
}
