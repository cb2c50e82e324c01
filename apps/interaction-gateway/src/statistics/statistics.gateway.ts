import type { ServerUnaryCall } from '@grpc/grpc-js';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { ClientGrpc } from '@nestjs/microservices';
import { callUpstream, type UpstreamMethod } from '../upstream/upstream-call.js';
import { DATA_SERVICE_CLIENT, UPSTREAM_TIMEOUT_MS } from '../upstream/upstream.tokens.js';

export interface StatisticsRequest {
  dimension: string;
  key: string;
  from: string;
  to: string;
}

export interface GroupStatisticsMessage {
  key: string;
  label: string;
  lotsReceived: number;
  lotsInspected: number;
  passed: number;
  failed: number;
  passRate: number;
  hasPassRate: boolean;
  passRateLowerBound: number;
  incidents: number;
  lastResults: { lotId: string; lotNumber: string; gtin: string; result: string; inspectedAt: string }[];
}

/** traceport.v1.ArchiveCounts. */
export interface ArchiveCountsMessage {
  merchants: number;
  factories: number;
  products: number;
  lots: number;
  events: number;
  identities: number;
}

interface StatisticsClient {
  getStatistics: UpstreamMethod<StatisticsRequest, { groups: GroupStatisticsMessage[] }>;
  getArchiveCounts: UpstreamMethod<Record<string, never>, ArchiveCountsMessage>;
}

@Injectable()
export class StatisticsGateway implements OnModuleInit {
  private service!: StatisticsClient;

  constructor(
    @Inject(DATA_SERVICE_CLIENT) private readonly client: ClientGrpc,
    @Inject(UPSTREAM_TIMEOUT_MS) private readonly timeoutMs: number,
  ) {}

  onModuleInit(): void {
    this.service = this.client.getService<StatisticsClient>('StatisticsService');
  }

  get(request: StatisticsRequest, incoming?: ServerUnaryCall<unknown, unknown>) {
    return callUpstream(this.service.getStatistics.bind(this.service), request, this.timeoutMs, incoming);
  }

  archiveCounts(incoming?: ServerUnaryCall<unknown, unknown>) {
    return callUpstream(this.service.getArchiveCounts.bind(this.service), {}, this.timeoutMs, incoming);
  }
}
