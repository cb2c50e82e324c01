import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Metadata } from '@grpc/grpc-js';
import type { Request } from 'express';
import { Observable } from 'rxjs';
import { CORRELATION_HEADER, runWithCorrelation } from './correlation.js';
import { Metrics } from './metrics.js';

/**
 * Times every HTTP and gRPC handler, and for gRPC adopts the caller's correlation id from metadata
 * (HTTP requests get theirs earlier, in correlationMiddleware, so even unrouted requests carry one).
 */
@Injectable()
export class CorrelationInterceptor implements NestInterceptor {
  constructor(private readonly metrics: Metrics) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const transport = context.getType<'http' | 'rpc'>();
    if (transport === 'http') {
      const request = context.switchToHttp().getRequest<Request>();
      const route = `${request.method} ${(request.route as { path?: string } | undefined)?.path ?? request.path}`;
      return this.timed(next, transport, route);
    }
    const metadata = context.switchToRpc().getContext<Metadata | undefined>();
    const incoming = typeof metadata?.get === 'function' ? metadata.get(CORRELATION_HEADER)[0]?.toString() : undefined;
    const route = `${context.getClass().name}.${context.getHandler().name}`;
    return new Observable((subscriber) =>
      runWithCorrelation(incoming, () => {
        const subscription = this.timed(next, transport, route).subscribe(subscriber);
        return () => subscription.unsubscribe();
      }),
    );
  }

  private timed(next: CallHandler, transport: string, route: string): Observable<unknown> {
    const stopTimer = this.metrics.requestDuration.startTimer({ transport, route });
    return new Observable((subscriber) => {
      const subscription = next.handle().subscribe({
        next: (value) => subscriber.next(value),
        error: (error: unknown) => {
          stopTimer({ outcome: 'error' });
          subscriber.error(error);
        },
        complete: () => {
          stopTimer({ outcome: 'ok' });
          subscriber.complete();
        },
      });
      return () => subscription.unsubscribe();
    });
  }
}
