import { Injectable } from '@nestjs/common';
import { Metrics } from '@traceport/observability';
import { Counter } from 'prom-client';

/** What became of one event of an accepted document. */
export type CapturedEventOutcome = 'stored' | 'new_version' | 'duplicate';

/**
 * EPCIS capture as Prometheus counters. Documents the gateway refuses itself (wrong media type,
 * larger than 10 MB) never reach the data-service; they show in the gateway's request metrics.
 */
@Injectable()
export class EpcisMetrics {
  private readonly events: Counter<'event_type' | 'outcome'>;
  private readonly documents: Counter<'outcome' | 'reason'>;

  constructor(metrics: Metrics) {
    this.events = new Counter({
      name: 'traceport_epcis_events_captured_total',
      help: 'EPCIS events in accepted capture documents, by event type and outcome (stored, new_version of a reused eventID, duplicate already stored)',
      labelNames: ['event_type', 'outcome'],
      registers: [metrics.registry],
    });
    this.documents = new Counter({
      name: 'traceport_epcis_capture_documents_total',
      help: 'EPCIS capture documents accepted, or refused with the problem type as reason',
      labelNames: ['outcome', 'reason'],
      registers: [metrics.registry],
    });
  }

  accepted(events: readonly { eventType: string; outcome: CapturedEventOutcome }[]): void {
    this.documents.inc({ outcome: 'accepted' });
    // One increment per label pair, not per event: a document carries thousands of events of a few kinds.
    const counts = new Map<string, { eventType: string; outcome: CapturedEventOutcome; count: number }>();
    for (const { eventType, outcome } of events) {
      const key = `${eventType}\u0000${outcome}`;
      const entry = counts.get(key);
      if (entry === undefined) counts.set(key, { eventType, outcome, count: 1 });
      else entry.count += 1;
    }
    for (const { eventType, outcome, count } of counts.values()) this.events.inc({ event_type: eventType, outcome }, count);
  }

  /** `reason` is the problem type the client receives, a short fixed list (epcis.exception.ts). */
  refused(reason: string): void {
    this.documents.inc({ outcome: 'refused', reason });
  }
}
