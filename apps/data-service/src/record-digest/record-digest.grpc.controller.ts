import type { Metadata, ServerWritableStream } from '@grpc/grpc-js';
import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { InjectDataSource } from '@nestjs/typeorm';
import { EPCIS_EVENT_RECORD_TYPE, RecordTypes } from '@traceport/contracts';
import { cursorBatches } from '@traceport/database';
import { leafHash, toHex } from '@traceport/ledger';
import { pacedStream } from '@traceport/observability';
import { DataSource } from 'typeorm';
import { DATA_SERVICE_SCHEMA } from '../config.js';

const S = `"${DATA_SERVICE_SCHEMA}"`;

/** The anchorable records this store owns: every archive record version and every EPCIS event version. */
export const STORED_RECORD_TYPES: readonly string[] = [...Object.values(RecordTypes), EPCIS_EVENT_RECORD_TYPE];

// The key is built from the row's own columns, the leaf from its stored content: a record whose
// content was swapped with another version's no longer hashes to its key's leaf. Byte order
// (COLLATE "C"), as the ledger streams its leaves, so the gateway can merge-join the two.
const DIGEST_SOURCE = `
  SELECT "key", "json" FROM (
    SELECT "record_type" || '/' || "id" || '/v' || "version" AS "key", "record"::text AS "json" FROM ${S}."archive_records"
    UNION ALL
    SELECT "record_key", "body"::text FROM ${S}."epcis_events"
  ) AS "stored" ORDER BY "key" COLLATE "C"`;

async function* digestBatches(dataSource: DataSource): AsyncGenerator<{ digests: { recordKey: string; leafHash: string }[]; recordTypes: readonly string[] }> {
  let first = true;
  for await (const rows of cursorBatches<{ key: string; json: string }>(dataSource, DIGEST_SOURCE, [])) {
    yield { digests: rows.map((row) => ({ recordKey: row.key, leafHash: toHex(leafHash(JSON.parse(row.json))) })), recordTypes: first ? STORED_RECORD_TYPES : [] };
    first = false;
  }
  if (first) yield { digests: [], recordTypes: STORED_RECORD_TYPES };
}

/** traceport.v1.RecordDigestService (internal): the store audit's view of this service's records. */
@Controller()
export class RecordDigestGrpcController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @GrpcMethod('RecordDigestService', 'StreamRecordDigests')
  streamRecordDigests(_request: unknown, _metadata: Metadata, call: ServerWritableStream<unknown, unknown>) {
    return pacedStream(digestBatches(this.dataSource), call);
  }
}
