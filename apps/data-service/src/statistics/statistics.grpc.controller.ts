import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { ArchiveCountsService } from './archive-counts.service.js';
import { LotStatisticsService } from './lot-statistics.service.js';

@Controller()
export class StatisticsGrpcController {
  constructor(
    private readonly statistics: LotStatisticsService,
    private readonly archiveCounts: ArchiveCountsService,
  ) {}

  @GrpcMethod('StatisticsService', 'GetStatistics')
  async getStatistics(request: { dimension: string; key: string; from: string; to: string }) {
    const groups = await this.statistics.statistics(request.dimension, {
      ...(request.key ? { key: request.key } : {}),
      ...(request.from ? { from: request.from } : {}),
      ...(request.to ? { to: request.to } : {}),
    });
    return { groups: groups.map((group) => ({ ...group, passRate: group.passRate ?? 0, hasPassRate: group.passRate !== null })) };
  }

  @GrpcMethod('StatisticsService', 'GetArchiveCounts')
  getArchiveCounts() {
    return this.archiveCounts.counts();
  }
}
