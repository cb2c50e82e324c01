import { Body, Controller, Get, Headers, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ARCHIVE_COLLECTIONS } from '@traceport/contracts';
import { DomainException, invalid } from '@traceport/errors';
import type { Response } from 'express';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ApiDoc } from '../openapi/api-doc.decorator.js';
import { AnyArchiveRecord } from '../openapi/schemas/archive.schemas.js';
import { ProofGateway, proofJsonOf } from '../proof/proof.gateway.js';
import { ArchiveGateway, type ArchiveRecordMessage } from './archive.gateway.js';

function recordTypeOf(collection: string): string {
  const recordType = ARCHIVE_COLLECTIONS[collection];
  if (recordType === undefined) {
    throw new DomainException('not-found', 'not_found', `no collection /v1/${collection}; the archive has ${Object.keys(ARCHIVE_COLLECTIONS).join(', ')}`);
  }
  return recordType;
}

function recordJsonOf(message: ArchiveRecordMessage) {
  return { type: message.recordType, record: JSON.parse(message.recordJson) as { id: string; version: number }, record_key: message.recordKey };
}

/** `If-Match: "3"` (or 3): change only if the record is still at version 3. */
function expectedVersionOf(ifMatch: string | undefined): number {
  if (ifMatch === undefined) return 0;
  const version = Number(ifMatch.replace(/^W\//, '').replaceAll('"', ''));
  if (!Number.isInteger(version) || version < 1) throw invalid('invalid-if-match', 'If-Match must be the record version you read, e.g. "3"', [{ field: 'If-Match', message: 'a version' }]);
  return version;
}

function positiveInt(name: string, value: unknown): number {
  if (value === undefined) return 0;
  const number = typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(number) || number < 1) throw invalid('invalid-search', `${name} must be a positive integer`, [{ field: name, message: 'a positive integer' }]);
  return number;
}

/**
 * The versioned archive over REST: /v1/merchants, /brands, /factories, /products,
 * /inspection-standards, /lots and /customs-declarations share one shape. A change is a new
 * version (PUT with If-Match for optimistic concurrency); every version stays readable.
 */
// Documented once here; the OpenAPI document repeats these operations per collection with its record schema.
const collectionParam = 'The collection: merchants, brands, factories, products, inspection-standards, lots or customs-declarations.';
const idParam = "The record's id (a UUID).";
const ifMatch = { name: 'If-Match', description: 'The version you read (its ETag, e.g. "3"): the change is refused with 409 if the record moved on.' };
const searchQuery = z.object({ q: z.string().optional(), page_size: z.number().int().min(1).optional(), page_token: z.string().optional() });
const etag = { ETag: 'The version, quoted: send it back in If-Match.' };

@ApiTags('Archive')
@Controller('v1')
export class ArchiveController {
  constructor(
    private readonly archive: ArchiveGateway,
    private readonly proofs: ProofGateway,
  ) {}

  @Post(':collection')
  @HttpCode(201)
  @ApiDoc({
    summary: 'Create a record',
    params: { collection: collectionParam },
    body: { schema: z.record(z.string(), z.unknown()) },
    response: { status: 201, description: 'Created: its first version.', schema: AnyArchiveRecord, headers: { Location: 'The new record.', ...etag } },
    problems: [400, 404, 413],
  })
  async create(@Param('collection') collection: string, @Body() body: unknown, @Res({ passthrough: true }) response: Response) {
    const created = recordJsonOf(await this.archive.create(recordTypeOf(collection), JSON.stringify(body ?? {})));
    response.location(`/v1/${collection}/${created.record.id}`).setHeader('ETag', `"${created.record.version}"`);
    return created;
  }

  /** Search: `q` (name or number), equality filters on the collection's fields, `page_size`, `page_token`. */
  @Get(':collection')
  @ApiDoc({
    summary: 'Search records',
    description: "Besides `q`, any field of the collection's records filters by equality, e.g. `?country=DE`.",
    params: { collection: collectionParam },
    query: { schema: searchQuery, describe: { q: 'Words of the name or number.', page_size: 'Records per page.', page_token: 'The next_page_token of the previous page.' } },
    response: { status: 200, description: 'A page of current versions.', schema: z.object({ items: z.array(AnyArchiveRecord), next_page_token: z.string().nullable() }) },
    problems: [400, 404],
  })
  async search(@Param('collection') collection: string, @Query() query: Record<string, unknown>) {
    const { q, page_size: pageSize, page_token: pageToken, ...filters } = query;
    const stringFilters: Record<string, string> = {};
    for (const [field, value] of Object.entries(filters)) {
      if (typeof value !== 'string') throw invalid('invalid-search', `filter ${field} must be given once`, [{ field, message: 'one value' }]);
      stringFilters[field] = value;
    }
    const page = await this.archive.search({
      recordType: recordTypeOf(collection),
      query: typeof q === 'string' ? q : '',
      filters: stringFilters,
      pageSize: positiveInt('page_size', pageSize),
      pageToken: typeof pageToken === 'string' ? pageToken : '',
    });
    return { items: page.records.map(recordJsonOf), next_page_token: page.nextPageToken || null };
  }

  /** The current version, with its proof (null until the ledger has appended it). */
  @Get(':collection/:id')
  @ApiDoc({
    summary: 'The current version of a record, with its proof',
    params: { collection: collectionParam, id: idParam },
    response: { status: 200, description: 'The record.', schema: AnyArchiveRecord, headers: etag },
    problems: [404],
  })
  async get(@Param('collection') collection: string, @Param('id') id: string, @Res({ passthrough: true }) response: Response) {
    const found = recordJsonOf(await this.archive.get(recordTypeOf(collection), id));
    const proof = await this.proofs.findProof(found.record_key);
    response.setHeader('ETag', `"${found.record.version}"`);
    return { ...found, proof: proof === null ? null : proofJsonOf(proof) };
  }

  @Put(':collection/:id')
  @ApiDoc({
    summary: 'Change a record: a new version',
    params: { collection: collectionParam, id: idParam },
    headers: [ifMatch],
    body: { schema: z.record(z.string(), z.unknown()), description: 'The whole record, as for creation.' },
    response: { status: 200, description: 'The new version.', schema: AnyArchiveRecord, headers: etag },
    problems: [400, 404, 409, 413],
  })
  async update(
    @Param('collection') collection: string,
    @Param('id') id: string,
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const updated = recordJsonOf(await this.archive.update(recordTypeOf(collection), id, JSON.stringify(body ?? {}), expectedVersionOf(ifMatch)));
    response.setHeader('ETag', `"${updated.record.version}"`);
    return updated;
  }

  @Get(':collection/:id/versions')
  @ApiDoc({
    summary: 'Every version of a record',
    params: { collection: collectionParam, id: idParam },
    response: { status: 200, description: 'Oldest first.', schema: z.object({ items: z.array(AnyArchiveRecord) }) },
    problems: [404],
  })
  async versions(@Param('collection') collection: string, @Param('id') id: string) {
    return { items: (await this.archive.versions(recordTypeOf(collection), id)).records.map(recordJsonOf) };
  }

  /** One past (or the current) version, with its own proof. */
  @Get(':collection/:id/versions/:version')
  @ApiDoc({
    summary: 'One version of a record, with its proof',
    params: { collection: collectionParam, id: idParam, version: ['The version, from 1.', z.number().int().min(1)] },
    response: { status: 200, description: 'That version.', schema: AnyArchiveRecord },
    problems: [400, 404],
  })
  async version(@Param('collection') collection: string, @Param('id') id: string, @Param('version') version: string) {
    const found = recordJsonOf(await this.archive.get(recordTypeOf(collection), id, positiveInt('version', version)));
    const proof = await this.proofs.findProof(found.record_key);
    return { ...found, proof: proof === null ? null : proofJsonOf(proof) };
  }
}
