import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { CONTROL_LOGGER, ControlCauseService } from './control-cause.service.js';

export const CERTIFICATION_CHECK_INTERVAL_MS = Symbol('CERTIFICATION_CHECK_INTERVAL_MS');

/**
 * Certificates lapse with no event to say so: every interval, the factories' current records are
 * checked for a certification past its validTo (or a revocation whose date has come), and each
 * such cause not yet acted on holds the factory's lots.
 */
@Injectable()
export class CertificationCheckScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly causes: ControlCauseService,
    @Inject(CERTIFICATION_CHECK_INTERVAL_MS) private readonly intervalMs: number,
    @Inject(CONTROL_LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      if (this.running !== undefined) return;
      this.running = this.causes
        .checkCertifications()
        .then((held) => {
          if (held > 0) this.logger.info({ held }, 'certification check: lots held');
        })
        .catch((error: unknown) => this.logger.warn({ err: error }, 'certification check failed; tried again next interval'))
        .finally(() => {
          this.running = undefined;
        });
    }, this.intervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
