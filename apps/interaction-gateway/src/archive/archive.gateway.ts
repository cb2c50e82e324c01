import type { ServerUnaryCall } from '@grpc/grpc-js';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { ClientGrpc } from '@nestjs/microservices';
import { callUpstream, type UpstreamMethod } from '../upstream/upstream-call.js';
import { DATA_SERVICE_CLIENT, UPSTREAM_TIMEOUT_MS } from '../upstream/upstream.tokens.js';

export interface ArchiveRecordMessage {
  recordType: string;
  recordJson: string;
  recordKey: string;
}

export interface SearchRecordsRequest {
  recordType: string;
  query: string;
  filters: Record<string, string>;
  pageSize: number;
  pageToken: string;
}

interface ArchiveServiceClient {
  createRecord: UpstreamMethod<{ recordType: string; fieldsJson: string }, ArchiveRecordMessage>;
  updateRecord: UpstreamMethod<{ recordType: string; id: string; fieldsJson: string; expectedVersion: number }, ArchiveRecordMessage>;
  getRecord: UpstreamMethod<{ recordType: string; id: string; version: number }, ArchiveRecordMessage>;
  listRecordVersions: UpstreamMethod<{ recordType: string; id: string; version: number }, { records: ArchiveRecordMessage[] }>;
  searchRecords: UpstreamMethod<SearchRecordsRequest, { records: ArchiveRecordMessage[]; nextPageToken: string }>;
}

type Incoming = ServerUnaryCall<unknown, unknown> | undefined;

/** The gateway's side of the versioned archive: one call to the data-service per request. */
@Injectable()
export class ArchiveGateway implements OnModuleInit {
  private archive!: ArchiveServiceClient;

  constructor(
    @Inject(DATA_SERVICE_CLIENT) private readonly client: ClientGrpc,
    @Inject(UPSTREAM_TIMEOUT_MS) private readonly timeoutMs: number,
  ) {}

  onModuleInit(): void {
    this.archive = this.client.getService<ArchiveServiceClient>('ArchiveService');
  }

  private call<Req, Res>(method: UpstreamMethod<Req, Res>, request: Req, incoming: Incoming): Promise<Res> {
    return callUpstream(method.bind(this.archive), request, this.timeoutMs, incoming);
  }

  /** `fieldsJson` goes through as it came: the data-service validates it, strictly. */
  create(recordType: string, fieldsJson: string, incoming?: Incoming) {
    return this.call(this.archive.createRecord, { recordType, fieldsJson }, incoming);
  }

  update(recordType: string, id: string, fieldsJson: string, expectedVersion: number, incoming?: Incoming) {
    return this.call(this.archive.updateRecord, { recordType, id, fieldsJson, expectedVersion }, incoming);
  }

  get(recordType: string, id: string, version = 0, incoming?: Incoming) {
    return this.call(this.archive.getRecord, { recordType, id, version }, incoming);
  }

  versions(recordType: string, id: string, incoming?: Incoming) {
    return this.call(this.archive.listRecordVersions, { recordType, id, version: 0 }, incoming);
  }

  search(request: SearchRecordsRequest, incoming?: Incoming) {
    return this.call(this.archive.searchRecords, request, incoming);
  }
}
