import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { ClientGrpc } from '@nestjs/microservices';
import { callUpstream, type UpstreamMethod } from '../upstream/upstream-call.js';
import { DATA_SERVICE_CLIENT, UPSTREAM_TIMEOUT_MS } from '../upstream/upstream.tokens.js';

export interface ScanSummaryMessage {
  scans: number;
  firstScanAt: string;
  lastScanAt: string;
  regions: string[];
  signals: { kind: string; message: string }[];
}

interface ScanServiceClient {
  recordScan: UpstreamMethod<{ gtin: string; serial: string; region: string }, ScanSummaryMessage>;
}

/** Records consumer scans in the data-service, which keeps them and judges cloning signals. */
@Injectable()
export class ScanGateway implements OnModuleInit {
  private scans!: ScanServiceClient;

  constructor(
    @Inject(DATA_SERVICE_CLIENT) private readonly client: ClientGrpc,
    @Inject(UPSTREAM_TIMEOUT_MS) private readonly timeoutMs: number,
  ) {}

  onModuleInit(): void {
    this.scans = this.client.getService<ScanServiceClient>('ScanService');
  }

  record(gtin: string, serial: string, region: string): Promise<ScanSummaryMessage> {
    return callUpstream(this.scans.recordScan.bind(this.scans), { gtin, serial, region }, this.timeoutMs);
  }
}
