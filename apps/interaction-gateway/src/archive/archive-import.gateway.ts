import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { ClientGrpc } from '@nestjs/microservices';
import { callUpstream, type UpstreamMethod } from '../upstream/upstream-call.js';
import { DATA_SERVICE_CLIENT, UPSTREAM_TIMEOUT_MS } from '../upstream/upstream.tokens.js';

export interface ImportJobMessage {
  id: string;
  status: string;
  totalRows: number;
  processedRows: number;
  createdRows: number;
  failedRows: number;
  errors: { line: number; field: string; message: string }[];
  failure: string;
  createdAt: string;
  startedAt: string;
  finishedAt: string;
  rowsPerSecond: number;
}

interface ImportClient {
  startImport: UpstreamMethod<{ csv: string }, ImportJobMessage>;
  getImport: UpstreamMethod<{ id: string }, ImportJobMessage>;
}

@Injectable()
export class ArchiveImportGateway implements OnModuleInit {
  private archive!: ImportClient;

  constructor(
    @Inject(DATA_SERVICE_CLIENT) private readonly client: ClientGrpc,
    @Inject(UPSTREAM_TIMEOUT_MS) private readonly timeoutMs: number,
  ) {}

  onModuleInit(): void {
    this.archive = this.client.getService<ImportClient>('ArchiveService');
  }

  /** Parsing and storing a large file takes longer than an ordinary call. */
  start(csv: string): Promise<ImportJobMessage> {
    return callUpstream(this.archive.startImport.bind(this.archive), { csv }, Math.max(this.timeoutMs, 60_000));
  }

  get(id: string): Promise<ImportJobMessage> {
    return callUpstream(this.archive.getImport.bind(this.archive), { id }, this.timeoutMs);
  }
}
