import type { Metadata, ServerWritableStream } from '@grpc/grpc-js';
import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { InjectDataSource } from '@nestjs/typeorm';
import { cursorBatches } from '@traceport/database';
import { pacedStream } from '@traceport/observability';
import { DataSource } from 'typeorm';
import { LEDGER_SCHEMA } from '../config.js';

// The leaf hash as appended (the column the audit of the log itself recomputes and checks), in the
// byte order the stores stream their records in.
const LEAF_DIGESTS = `
  SELECT "record_key", encode("leaf_hash", 'hex') AS "leaf_hash" FROM "${LEDGER_SCHEMA}"."leaves"
  WHERE "record_type" = ANY($1::text[]) ORDER BY "record_key" COLLATE "C"`;

async function* digestBatches(dataSource: DataSource, recordTypes: string[]): AsyncGenerator<{ digests: { recordKey: string; leafHash: string }[]; recordTypes: string[] }> {
  for await (const rows of cursorBatches<{ record_key: string; leaf_hash: string }>(dataSource, LEAF_DIGESTS, [recordTypes])) {
    yield { digests: rows.map((row) => ({ recordKey: row.record_key, leafHash: row.leaf_hash })), recordTypes: [] };
  }
}

/** traceport.v1.RecordDigestService (internal): the log's leaves of the record types a store owns. */
@Controller()
export class RecordDigestGrpcController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @GrpcMethod('RecordDigestService', 'StreamRecordDigests')
  streamRecordDigests(request: { recordTypes: string[] }, _metadata: Metadata, call: ServerWritableStream<unknown, unknown>) {
    return pacedStream(digestBatches(this.dataSource, request.recordTypes ?? []), call);
  }
}
