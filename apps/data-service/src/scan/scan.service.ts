import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { invalid } from '@traceport/errors';
import { Metrics } from '@traceport/observability';
import { Counter } from 'prom-client';
import { DataSource } from 'typeorm';
import { DATA_SERVICE_SCHEMA, type DataServiceConfig } from '../config.js';
import { cloningSignals, type CloningSignal, type CloningThresholds } from './cloning-signals.js';

export const SCAN_THRESHOLDS = Symbol('SCAN_THRESHOLDS');

export function scanThresholdsOf(config: DataServiceConfig): CloningThresholds {
  return { maxScans: config.SCAN_SIGNAL_MAX_SCANS, maxRegions: config.SCAN_SIGNAL_MAX_REGIONS, minHoursBetweenCountries: config.SCAN_SIGNAL_MIN_HOURS_BETWEEN_COUNTRIES };
}

export interface ScanSummary {
  readonly scans: number;
  readonly firstScanAt: string | null;
  readonly lastScanAt: string | null;
  readonly regions: string[];
  readonly signals: CloningSignal[];
}

/** The scans one summary reads: enough to judge, bounded so a hammered code stays cheap. */
const HISTORY_LIMIT = 1_000;

/**
 * Consumer scans of genuine codes: time and coarse region only. Each scan answers the code's
 * history and the cloning signals it raises, and signals are counted in metrics.
 */
@Injectable()
export class ScanService {
  private readonly signalsRaised: Counter<'signal'>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SCAN_THRESHOLDS) private readonly thresholds: CloningThresholds,
    metrics: Metrics,
  ) {
    this.signalsRaised = new Counter({ name: 'traceport_cloning_signals_total', help: 'Scans that raised a cloning signal, by signal', labelNames: ['signal'], registers: [metrics.registry] });
  }

  async record(gtin: string, serial: string, region: string): Promise<ScanSummary> {
    assertCode(gtin, serial);
    if (region !== '' && !/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/.test(region)) {
      throw invalid('invalid-scan', 'region must be an ISO 3166-1 alpha-2 code, optionally with an ISO 3166-2 subdivision (CN-SH)', [{ field: 'region', message: 'e.g. CN or CN-SH' }]);
    }
    await this.dataSource.query(`INSERT INTO "${DATA_SERVICE_SCHEMA}"."item_scans" ("gtin", "serial", "region") VALUES ($1, $2, $3)`, [gtin, serial, region]);
    const summary = await this.summary(gtin, serial);
    for (const signal of summary.signals) this.signalsRaised.inc({ signal: signal.kind });
    return summary;
  }

  async summary(gtin: string, serial: string): Promise<ScanSummary> {
    assertCode(gtin, serial);
    const [totals]: { scans: number; first: Date | null; last: Date | null }[] = await this.dataSource.query(
      `SELECT count(*)::int AS "scans", min("scanned_at") AS "first", max("scanned_at") AS "last" FROM "${DATA_SERVICE_SCHEMA}"."item_scans" WHERE "gtin" = $1 AND "serial" = $2`,
      [gtin, serial],
    );
    const history: { at: Date; region: string }[] = await this.dataSource.query(
      `SELECT "scanned_at" AS "at", "region" FROM (
         SELECT "scanned_at", "region", "seq" FROM "${DATA_SERVICE_SCHEMA}"."item_scans" WHERE "gtin" = $1 AND "serial" = $2 ORDER BY "scanned_at" DESC, "seq" DESC LIMIT ${HISTORY_LIMIT}
       ) recent ORDER BY "scanned_at", "seq"`,
      [gtin, serial],
    );
    const signals = cloningSignals(history, this.thresholds);
    // The count covers every scan, not only the recent history read for regions and travel.
    if (totals!.scans > this.thresholds.maxScans && !signals.some((signal) => signal.kind === 'too-many-scans')) {
      signals.unshift({ kind: 'too-many-scans', message: `scanned ${totals!.scans} times (more than ${this.thresholds.maxScans})` });
    }
    return {
      scans: totals!.scans,
      firstScanAt: totals!.first?.toISOString() ?? null,
      lastScanAt: totals!.last?.toISOString() ?? null,
      regions: [...new Set(history.map((scan) => scan.region).filter((region) => region !== ''))],
      signals,
    };
  }
}

function assertCode(gtin: string, serial: string): void {
  if (!/^\d{14}$/.test(gtin)) throw invalid('invalid-scan', 'gtin must be a GTIN-14', [{ field: 'gtin', message: '14 digits' }]);
  if (serial.length < 1 || serial.length > 20) throw invalid('invalid-scan', 'serial must be 1 to 20 characters', [{ field: 'serial', message: '1 to 20 characters' }]);
}
