import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { ArchiveImportGateway } from './archive-import.gateway.js';
import { ArchiveGateway, type SearchRecordsRequest } from './archive.gateway.js';

type Call = ServerUnaryCall<unknown, unknown>;

/** The versioned-record RPCs of the public traceport.v1.ArchiveService, forwarded with deadline and correlation id. */
@Controller()
export class ArchiveGrpcController {
  constructor(
    private readonly archive: ArchiveGateway,
    private readonly imports: ArchiveImportGateway,
  ) {}

  @GrpcMethod('ArchiveService', 'StartImport')
  startImport(request: { csv: string }) {
    return this.imports.start(request.csv);
  }

  @GrpcMethod('ArchiveService', 'GetImport')
  getImport(request: { id: string }) {
    return this.imports.get(request.id);
  }

  @GrpcMethod('ArchiveService', 'CreateRecord')
  createRecord(request: { recordType: string; fieldsJson: string }, _metadata: Metadata, call: Call) {
    return this.archive.create(request.recordType, request.fieldsJson, call);
  }

  @GrpcMethod('ArchiveService', 'UpdateRecord')
  updateRecord(request: { recordType: string; id: string; fieldsJson: string; expectedVersion: number }, _metadata: Metadata, call: Call) {
    return this.archive.update(request.recordType, request.id, request.fieldsJson, request.expectedVersion, call);
  }

  @GrpcMethod('ArchiveService', 'GetRecord')
  getRecord(request: { recordType: string; id: string; version: number }, _metadata: Metadata, call: Call) {
    return this.archive.get(request.recordType, request.id, request.version, call);
  }

  @GrpcMethod('ArchiveService', 'ListRecordVersions')
  listRecordVersions(request: { recordType: string; id: string }, _metadata: Metadata, call: Call) {
    return this.archive.versions(request.recordType, request.id, call);
  }

  @GrpcMethod('ArchiveService', 'SearchRecords')
  searchRecords(request: SearchRecordsRequest, _metadata: Metadata, call: Call) {
    return this.archive.search(request, call);
  }
}
