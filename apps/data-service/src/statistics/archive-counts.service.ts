import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { RecordTypes } from '@traceport/contracts';
import { DataSource } from 'typeorm';

/** traceport.v1.ArchiveCounts. */
export interface ArchiveCountsMessage {
  merchants: number;
  factories: number;
  products: number;
  lots: number;
  events: number;
  identities: number;
}

/** How much the platform holds, for the operations console's dashboard: exact counts in one query. */
@Injectable()
export class ArchiveCountsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async counts(): Promise<ArchiveCountsMessage> {
    const rows: Record<keyof ArchiveCountsMessage, string>[] = await this.dataSource.query(
      `SELECT
         count(*) FILTER (WHERE "record_type" = $1)::text AS "merchants",
         count(*) FILTER (WHERE "record_type" = $2)::text AS "factories",
         count(*) FILTER (WHERE "record_type" = $3)::text AS "products",
         count(*) FILTER (WHERE "record_type" = $4)::text AS "lots",
         (SELECT count(*) FROM "data_service"."epcis_events" WHERE "latest")::text AS "events",
         (SELECT count(*) FROM "data_service"."identities")::text AS "identities"
       FROM "data_service"."archive_records"
       WHERE "superseded_at" IS NULL AND "record_type" IN ($1, $2, $3, $4)`,
      [RecordTypes.merchant, RecordTypes.factory, RecordTypes.product, RecordTypes.lot],
    );
    const row = rows[0]!;
    return {
      merchants: Number(row.merchants),
      factories: Number(row.factories),
      products: Number(row.products),
      lots: Number(row.lots),
      events: Number(row.events),
      identities: Number(row.identities),
    };
  }
}
