import { Injectable } from '@nestjs/common';
import { Metrics } from '@traceport/observability';
import { Counter, Histogram } from 'prom-client';

/** Decisions and inspection results as Prometheus series, counted once their transaction commits. */
@Injectable()
export class DecisionMetrics {
  private readonly decisions: Counter<'outcome'>;
  private readonly latency: Histogram;
  private readonly results: Counter<'verdict'>;
  private readonly switches: Counter<'to'>;

  constructor(metrics: Metrics) {
    this.decisions = new Counter({ name: 'traceport_lot_decisions_total', help: 'Lots decided on receipt, by outcome (released, inspection-ordered, held)', labelNames: ['outcome'], registers: [metrics.registry] });
    this.latency = new Histogram({
      name: 'traceport_lot_decision_seconds',
      help: 'Time to decide a received lot inside its transaction: facts, statistics, rules, whitelists, plan and draw',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [metrics.registry],
    });
    this.results = new Counter({ name: 'traceport_inspection_results_total', help: 'Inspection results recorded, by verdict', labelNames: ['verdict'], registers: [metrics.registry] });
    this.switches = new Counter({ name: 'traceport_supplier_state_changes_total', help: 'ISO 2859-1 switching-state changes, by the state switched to', labelNames: ['to'], registers: [metrics.registry] });
  }

  decided(outcome: string, seconds: number): void {
    this.decisions.inc({ outcome });
    this.latency.observe(seconds);
  }

  resultRecorded(verdict: string, switchedTo: string | null): void {
    this.results.inc({ verdict });
    if (switchedTo !== null) this.switches.inc({ to: switchedTo });
  }
}
