import { Injectable } from '@nestjs/common';
import { Metrics } from '@traceport/observability';
import { Counter } from 'prom-client';

/** Bulk issuance as Prometheus counters, counted once their transaction has committed. */
@Injectable()
export class IdentityMetrics {
  private readonly issued: Counter;
  private readonly collisions: Counter;
  private readonly finished: Counter<'status'>;

  constructor(metrics: Metrics) {
    this.issued = new Counter({ name: 'traceport_identities_issued_total', help: 'Item identities issued (committed)', registers: [metrics.registry] });
    this.collisions = new Counter({
      name: 'traceport_identity_serial_collisions_total',
      help: 'Drawn serials already taken for their GTIN, drawn again (expected to stay at 0 with 80-bit serials)',
      registers: [metrics.registry],
    });
    this.finished = new Counter({ name: 'traceport_identity_issuances_finished_total', help: 'Identity issuances finished, by status', labelNames: ['status'], registers: [metrics.registry] });
  }

  chunkCommitted(identities: number, collisions: number): void {
    this.issued.inc(identities);
    if (collisions > 0) this.collisions.inc(collisions);
  }

  issuanceFinished(status: 'succeeded' | 'failed'): void {
    this.finished.inc({ status });
  }
}
