import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { ScanService, type ScanSummary } from './scan.service.js';

const messageOf = (summary: ScanSummary) => ({ ...summary, firstScanAt: summary.firstScanAt ?? '', lastScanAt: summary.lastScanAt ?? '' });

@Controller()
export class ScanGrpcController {
  constructor(private readonly scans: ScanService) {}

  @GrpcMethod('ScanService', 'RecordScan')
  async recordScan(request: { gtin: string; serial: string; region: string }) {
    return messageOf(await this.scans.record(request.gtin, request.serial, request.region));
  }

  @GrpcMethod('ScanService', 'GetScanSummary')
  async getScanSummary(request: { gtin: string; serial: string }) {
    return messageOf(await this.scans.summary(request.gtin, request.serial));
  }
}
