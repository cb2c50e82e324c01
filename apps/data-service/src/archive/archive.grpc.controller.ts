import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { RecordTypes } from '@traceport/contracts';
import { invalid } from '@traceport/errors';
import { kindOfType, type ArchiveKind } from './archive-kinds.js';
import { unknownCollection } from './archive.exception.js';
import { ArchiveImportService } from '../archive-import/archive-import.service.js';
import { ArchiveService, type ArchiveView } from './archive.service.js';

interface ArchiveRecordMessage {
  recordType: string;
  recordJson: string;
  recordKey: string;
}

function recordMessage(view: ArchiveView): ArchiveRecordMessage {
  return { recordType: view.recordType, recordJson: JSON.stringify(view.record), recordKey: view.recordKey };
}

function kindOf(recordType: string): ArchiveKind {
  const kind = kindOfType(recordType);
  if (kind === undefined) throw unknownCollection(recordType);
  return kind;
}

function parseFieldsJson(json: string): unknown {
  try {
    return JSON.parse(json) as unknown;
  } catch (error) {
    throw invalid('malformed-json', `fields_json is not JSON: ${(error as Error).message}`, [{ field: 'fields_json', message: 'not JSON' }]);
  }
}

/** The typed product message of the HSF-style API: proto3's empty defaults mean "not given". */
interface ProductRequest {
  gtin: string;
  name: string;
  brandId: string;
  factoryId: string;
  category: string;
  hsCode: string;
  originCountry: string;
  shelfLifeDays: number;
}

function productFieldsOf(request: ProductRequest): Record<string, unknown> {
  return {
    gtin: request.gtin,
    name: request.name,
    brandId: request.brandId,
    category: request.category,
    hsCode: request.hsCode,
    originCountry: request.originCountry,
    ...(request.factoryId ? { factoryId: request.factoryId } : {}),
    ...(request.shelfLifeDays ? { shelfLifeDays: request.shelfLifeDays } : {}),
  };
}

function productMessage(view: ArchiveView) {
  const record = view.record as ArchiveView['record'] & Record<string, unknown>;
  return {
    product: { ...record, factoryId: record['factoryId'] ?? '', shelfLifeDays: record['shelfLifeDays'] ?? 0 },
    recordKey: view.recordKey,
  };
}

/** traceport.v1.ArchiveService, as the gateway (and only the gateway) calls it. */
@Controller()
export class ArchiveGrpcController {
  private readonly products = kindOf(RecordTypes.product);

  constructor(
    private readonly archive: ArchiveService,
    private readonly imports: ArchiveImportService,
  ) {}

  @GrpcMethod('ArchiveService', 'StartImport')
  startImport(request: { csv: string }) {
    return this.imports.start(request.csv);
  }

  @GrpcMethod('ArchiveService', 'GetImport')
  getImport(request: { id: string }) {
    return this.imports.get(request.id);
  }

  @GrpcMethod('ArchiveService', 'RegisterProduct')
  async registerProduct(request: ProductRequest) {
    return productMessage(await this.archive.create(this.products, productFieldsOf(request)));
  }

  @GrpcMethod('ArchiveService', 'GetProduct')
  async getProduct(request: { id?: string; gtin?: string; key?: 'id' | 'gtin' }) {
    if (request.key === 'gtin') return productMessage(await this.archive.findOne(this.products, 'gtin', (request.gtin ?? '').padStart(14, '0')));
    return productMessage(await this.archive.current(this.products, request.id ?? ''));
  }

  @GrpcMethod('ArchiveService', 'CreateRecord')
  async createRecord(request: { recordType: string; fieldsJson: string }) {
    return recordMessage(await this.archive.create(kindOf(request.recordType), parseFieldsJson(request.fieldsJson)));
  }

  @GrpcMethod('ArchiveService', 'UpdateRecord')
  async updateRecord(request: { recordType: string; id: string; fieldsJson: string; expectedVersion: number }) {
    const view = await this.archive.update(
      kindOf(request.recordType),
      request.id,
      parseFieldsJson(request.fieldsJson),
      request.expectedVersion > 0 ? request.expectedVersion : undefined,
    );
    return recordMessage(view);
  }

  @GrpcMethod('ArchiveService', 'GetRecord')
  async getRecord(request: { recordType: string; id: string; version: number }) {
    const kind = kindOf(request.recordType);
    return recordMessage(request.version > 0 ? await this.archive.version(kind, request.id, request.version) : await this.archive.current(kind, request.id));
  }

  @GrpcMethod('ArchiveService', 'ListRecordVersions')
  async listRecordVersions(request: { recordType: string; id: string }) {
    return { records: (await this.archive.history(kindOf(request.recordType), request.id)).map(recordMessage) };
  }

  @GrpcMethod('ArchiveService', 'SearchRecords')
  async searchRecords(request: { recordType: string; query: string; filters: Record<string, string>; pageSize: number; pageToken: string }) {
    const page = await this.archive.search(kindOf(request.recordType), {
      ...(request.query ? { q: request.query } : {}),
      filters: request.filters,
      pageSize: request.pageSize > 0 ? request.pageSize : 50,
      ...(request.pageToken ? { pageToken: request.pageToken } : {}),
    });
    return { records: page.items.map(recordMessage), nextPageToken: page.nextPageToken };
  }
}
