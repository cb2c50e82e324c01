import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { Controller, Get, Param, Query } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ApiDoc } from '../openapi/api-doc.decorator.js';
import { StatisticsReport } from '../openapi/schemas/statistics.schemas.js';
import { StatisticsGateway, type StatisticsRequest } from './statistics.gateway.js';

const text = (value: unknown) => (typeof value === 'string' ? value : '');

/** Lot statistics per factory, merchant, brand, category or origin country (REST and gRPC). */
@ApiTags('Statistics')
@Controller('v1/statistics')
export class StatisticsController {
  constructor(private readonly statistics: StatisticsGateway) {}

  /** `GET /v1/statistics/factory?from=2026-01-01T00:00:00Z&to=...&key=<factory id>` */
  @Get(':dimension')
  @ApiDoc({
    summary: 'Lot statistics per factory, merchant, brand, category or origin',
    params: { dimension: ['What to group by.', z.enum(['factory', 'merchant', 'brand', 'category', 'origin'])] },
    query: {
      schema: z.object({ key: z.string().optional(), from: z.iso.datetime({ offset: true }).optional(), to: z.iso.datetime({ offset: true }).optional() }),
      describe: { key: 'Only this group (an id, a category, a country code).', from: 'Lots received from (inclusive).', to: 'Lots received before.' },
    },
    response: { status: 200, description: 'One entry per group.', schema: StatisticsReport },
    problems: [400],
  })
  async get(@Param('dimension') dimension: string, @Query('key') key: unknown, @Query('from') from: unknown, @Query('to') to: unknown) {
    const report = await this.statistics.get({ dimension, key: text(key), from: text(from), to: text(to) });
    return {
      dimension,
      groups: report.groups.map((group) => ({
        key: group.key,
        label: group.label,
        lots_received: group.lotsReceived,
        lots_inspected: group.lotsInspected,
        passed: group.passed,
        failed: group.failed,
        pass_rate: group.hasPassRate ? group.passRate : null,
        pass_rate_lower_bound: group.passRateLowerBound,
        incidents: group.incidents,
        last_results: group.lastResults.map((result) => ({ lot_id: result.lotId, lot_number: result.lotNumber, gtin: result.gtin, result: result.result, inspected_at: result.inspectedAt })),
      })),
    };
  }

  @GrpcMethod('StatisticsService', 'GetStatistics')
  getStatistics(request: StatisticsRequest, _metadata: Metadata, call: ServerUnaryCall<unknown, unknown>) {
    return this.statistics.get(request, call);
  }

  @GrpcMethod('StatisticsService', 'GetArchiveCounts')
  getArchiveCounts(_request: unknown, _metadata: Metadata, call: ServerUnaryCall<unknown, unknown>) {
    return this.statistics.archiveCounts(call);
  }
}
