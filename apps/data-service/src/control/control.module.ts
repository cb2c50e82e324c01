import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import { EpcisModule } from '../epcis/epcis.module.js';
import { TraceForwardService } from '../trace/trace-forward.service.js';
import { CERTIFICATION_CHECK_INTERVAL_MS, CertificationCheckScheduler } from './certification-check.scheduler.js';
import { ControlCauseConsumer } from './control-cause.consumer.js';
import { CONTROL_LOGGER, ControlCauseService } from './control-cause.service.js';
import { ControlGrpcController } from './control.grpc.controller.js';
import { HoldService } from './hold.service.js';
import { ItemControlService } from './item-control.service.js';
import { RecallService } from './recall.service.js';

/**
 * Product control (traceport.v1.ProductControlService): holds placed by inspection failures,
 * certification lapses and revocations, and recalls; lifted by operators. It lives beside the lots,
 * items and trace graph it acts on, in the data-service (docs/product-control.md).
 */
@Module({})
export class ControlModule {
  static forRoot(options: { logger: Logger; certificationCheckIntervalMs: number }): DynamicModule {
    return {
      module: ControlModule,
      imports: [EpcisModule],
      controllers: [ControlGrpcController],
      providers: [
        { provide: CONTROL_LOGGER, useValue: options.logger.child({ component: 'product-control' }) },
        { provide: CERTIFICATION_CHECK_INTERVAL_MS, useValue: options.certificationCheckIntervalMs },
        // Stateless over the database: the trace forward whose affected set holds and recalls act on.
        TraceForwardService,
        HoldService,
        RecallService,
        ItemControlService,
        ControlCauseService,
        ControlCauseConsumer,
        CertificationCheckScheduler,
      ],
    };
  }
}
