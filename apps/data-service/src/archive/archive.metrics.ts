import { Injectable } from '@nestjs/common';
import { Metrics } from '@traceport/observability';
import { Counter } from 'prom-client';

/** Archive writes and bulk-import rows as Prometheus counters, counted once their transaction has committed. */
@Injectable()
export class ArchiveMetrics {
  private readonly written: Counter<'record_type' | 'change'>;
  private readonly importRows: Counter<'outcome'>;

  constructor(metrics: Metrics) {
    this.written = new Counter({
      name: 'traceport_archive_records_written_total',
      help: 'Archive record versions written, by record type and change (created: a new record, versioned: a new version of one)',
      labelNames: ['record_type', 'change'],
      registers: [metrics.registry],
    });
    this.importRows = new Counter({
      name: 'traceport_archive_import_rows_total',
      help: 'Rows of archive imports processed, by outcome (created a record, or failed and was reported)',
      labelNames: ['outcome'],
      registers: [metrics.registry],
    });
  }

  recordsWritten(records: readonly { recordType: string }[], change: 'created' | 'versioned'): void {
    for (const { recordType } of records) this.written.inc({ record_type: recordType, change });
  }

  importRowsProcessed(created: number, failed: number): void {
    if (created > 0) this.importRows.inc({ outcome: 'created' }, created);
    if (failed > 0) this.importRows.inc({ outcome: 'failed' }, failed);
  }
}
