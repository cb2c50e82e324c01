import {
  Controller,
  Get,
  Header,
  HttpCode,
  Inject,
  Module,
  Res,
  type DynamicModule,
  type InjectionToken,
} from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Response } from 'express';
import { runReadinessChecks, type ReadinessCheck } from './health.js';
import { Metrics } from './metrics.js';

export const READINESS_CHECKS = Symbol('READINESS_CHECKS');

@Controller()
export class HealthController {
  constructor(
    @Inject(READINESS_CHECKS) private readonly tokens: InjectionToken[],
    private readonly moduleRef: ModuleRef,
  ) {}

  /** The process is up and its event loop answers. */
  @Get('health/live')
  @HttpCode(200)
  live(): { status: 'live' } {
    return { status: 'live' };
  }

  /** Every dependency answers; 503 with the failing ones otherwise. */
  @Get('health/ready')
  async ready(@Res({ passthrough: true }) response: Response): Promise<unknown> {
    // Checks live in whichever module owns the dependency, so they are looked up app-wide.
    const checks = this.tokens.map((token) => this.moduleRef.get<ReadinessCheck>(token, { strict: false }));
    const report = await runReadinessChecks(checks);
    response.status(report.status === 'ready' ? 200 : 503);
    return report;
  }
}

@Controller()
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  async scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}

export interface ObservabilityOptions {
  readonly metrics: Metrics;
  /** Providers (by token) that implement ReadinessCheck. */
  readonly checks: readonly InjectionToken[];
  readonly imports?: DynamicModule['imports'];
}

@Module({})
export class ObservabilityModule {
  static forRoot(options: ObservabilityOptions): DynamicModule {
    return {
      module: ObservabilityModule,
      global: true,
      imports: options.imports ?? [],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: Metrics, useValue: options.metrics },
        { provide: READINESS_CHECKS, useValue: options.checks },
      ],
      exports: [Metrics],
    };
  }
}
