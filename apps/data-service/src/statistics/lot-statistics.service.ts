import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { invalid } from '@traceport/errors';
import { DataSource } from 'typeorm';
import { wilsonLowerBound } from '@traceport/sampling';

export const STATISTICS_DIMENSIONS = ['factory', 'merchant', 'brand', 'category', 'origin'] as const;
export type StatisticsDimension = (typeof STATISTICS_DIMENSIONS)[number];

const RECEIVING = 'https://ref.gs1.org/cbv/BizStep-receiving';
const INSPECTING = 'https://ref.gs1.org/cbv/BizStep-inspecting';
const CONFORMANT = 'https://ref.gs1.org/cbv/Disp-conformant';
const NON_CONFORMANT = 'https://ref.gs1.org/cbv/Disp-non_conformant';
/** Dispositions that mean something went wrong with goods of the lot. */
const INCIDENTS = ['recalled', 'damaged', 'destroyed', 'stolen', 'expired', 'non_sellable_other'].map((value) => `https://ref.gs1.org/cbv/Disp-${value}`);

export interface LotOutcome {
  readonly lotId: string;
  readonly lotNumber: string;
  readonly gtin: string;
  readonly result: 'passed' | 'failed' | null;
  readonly inspectedAt: string | null;
}

export interface GroupStatistics {
  readonly key: string;
  readonly label: string;
  readonly lotsReceived: number;
  readonly lotsInspected: number;
  readonly passed: number;
  readonly failed: number;
  /** passed / (passed + failed); null before any result. */
  readonly passRate: number | null;
  /** Wilson 95% lower bound of the pass rate: what the decision engine compares with thresholds. */
  readonly passRateLowerBound: number;
  readonly incidents: number;
  /** The five most recent inspection results. */
  readonly lastResults: LotOutcome[];
}

interface OutcomeRow {
  lot_id: string;
  lot_number: string;
  gtin: string;
  factory: string | null;
  factory_label: string | null;
  merchant: string | null;
  merchant_label: string | null;
  brand: string | null;
  brand_label: string | null;
  category: string;
  origin: string;
  received: boolean;
  inspected: boolean;
  last_disposition: string | null;
  inspected_at: Date | null;
  incidents: number;
}

/**
 * Pass rates and incidents per factory, merchant, brand, category and origin country over a time
 * window, computed from the stored trace events of the archive's lots: a lot is received when a
 * receiving event names it, inspected when an inspecting event does, and its result is the
 * disposition of its latest inspection. Read straight from the event store, the figures are always
 * current and count every event once (events are deduplicated on capture).
 */
@Injectable()
export class LotStatisticsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async statistics(dimension: string, window: { from?: string; to?: string; key?: string }): Promise<GroupStatistics[]> {
    if (!(STATISTICS_DIMENSIONS as readonly string[]).includes(dimension)) {
      throw invalid('invalid-statistics-query', `dimension must be one of ${STATISTICS_DIMENSIONS.join(', ')}`, [{ field: 'dimension', message: 'unknown' }]);
    }
    const from = window.from ?? '1970-01-01T00:00:00Z';
    const to = window.to ?? '9999-12-31T00:00:00Z';
    if (Number.isNaN(Date.parse(from)) || Number.isNaN(Date.parse(to)) || Date.parse(from) >= Date.parse(to)) {
      throw invalid('invalid-statistics-query', 'from and to must be RFC 3339 times with from before to', [{ field: 'from', message: 'a time before to' }]);
    }
    const rows: OutcomeRow[] = await this.dataSource.query(
      `WITH lots AS (
         SELECT l."id" AS lot_id, l."record"->>'lotNumber' AS lot_number, p."record"->>'gtin' AS gtin,
                p."record"->>'factoryId' AS factory, f."record"->>'name' AS factory_label,
                b."record"->>'ownerMerchantId' AS merchant, m."record"->>'legalName' AS merchant_label,
                p."record"->>'brandId' AS brand, b."record"->>'name' AS brand_label,
                p."record"->>'category' AS category, p."record"->>'originCountry' AS origin
         FROM "data_service"."archive_records" l
         JOIN "data_service"."archive_records" p ON p."record_type" = 'archive.product' AND p."superseded_at" IS NULL AND p."id"::text = l."record"->>'productId'
         LEFT JOIN "data_service"."archive_records" b ON b."record_type" = 'archive.brand' AND b."superseded_at" IS NULL AND b."id"::text = p."record"->>'brandId'
         LEFT JOIN "data_service"."archive_records" m ON m."record_type" = 'archive.merchant' AND m."superseded_at" IS NULL AND m."id"::text = b."record"->>'ownerMerchantId'
         LEFT JOIN "data_service"."archive_records" f ON f."record_type" = 'archive.factory' AND f."superseded_at" IS NULL AND f."id"::text = p."record"->>'factoryId'
         WHERE l."record_type" = 'archive.lot' AND l."superseded_at" IS NULL)
       SELECT lots.*,
              bool_or(e."biz_step" = $3) AS received,
              bool_or(e."biz_step" = $4) AS inspected,
              (array_agg(e."disposition" ORDER BY e."event_time" DESC) FILTER (WHERE e."biz_step" = $4))[1] AS last_disposition,
              max(e."event_time") FILTER (WHERE e."biz_step" = $4) AS inspected_at,
              (count(*) FILTER (WHERE e."disposition" = ANY($5::text[])))::int AS incidents
       FROM lots
       JOIN "data_service"."epcis_lot_links" k ON k."gtin" = lots.gtin AND k."lot" = lots.lot_number
       JOIN "data_service"."epcis_events" e ON e."seq" = k."event_seq" AND e."latest" AND e."event_time" >= $1 AND e."event_time" < $2
       GROUP BY lots.lot_id, lots.lot_number, lots.gtin, lots.factory, lots.factory_label, lots.merchant, lots.merchant_label,
                lots.brand, lots.brand_label, lots.category, lots.origin`,
      [from, to, RECEIVING, INSPECTING, INCIDENTS],
    );
    const groups = new Map<string, { label: string; rows: OutcomeRow[] }>();
    for (const row of rows) {
      const key = row[dimension as keyof OutcomeRow] as string | null;
      if (key === null || (window.key !== undefined && key !== window.key)) continue;
      const label = (dimension === 'category' || dimension === 'origin' ? key : (row[`${dimension}_label` as keyof OutcomeRow] as string | null)) ?? key;
      const group = groups.get(key) ?? { label, rows: [] };
      group.rows.push(row);
      groups.set(key, group);
    }
    return [...groups].map(([key, group]) => {
      const resultOf = (row: OutcomeRow): LotOutcome['result'] =>
        row.last_disposition === CONFORMANT ? 'passed' : row.last_disposition === NON_CONFORMANT ? 'failed' : null;
      const passed = group.rows.filter((row) => resultOf(row) === 'passed').length;
      const failed = group.rows.filter((row) => resultOf(row) === 'failed').length;
      const lastResults = group.rows
        .filter((row) => row.inspected_at !== null && resultOf(row) !== null)
        .sort((a, b) => b.inspected_at!.getTime() - a.inspected_at!.getTime())
        .slice(0, 5)
        .map((row) => ({ lotId: row.lot_id, lotNumber: row.lot_number, gtin: row.gtin, result: resultOf(row), inspectedAt: row.inspected_at!.toISOString() }));
      return {
        key,
        label: group.label,
        lotsReceived: group.rows.filter((row) => row.received).length,
        lotsInspected: group.rows.filter((row) => row.inspected).length,
        passed,
        failed,
        passRate: passed + failed === 0 ? null : passed / (passed + failed),
        passRateLowerBound: wilsonLowerBound(passed, passed + failed),
        incidents: group.rows.reduce((sum, row) => sum + row.incidents, 0),
        lastResults,
      };
    });
  }
}
