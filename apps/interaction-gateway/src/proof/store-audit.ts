import { Metadata, type ClientReadableStream } from '@grpc/grpc-js';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { ClientGrpc } from '@nestjs/microservices';
import { fromGrpcError } from '@traceport/errors';
import { CORRELATION_HEADER, currentCorrelationId } from '@traceport/observability';
import { DATA_SERVICE_CLIENT, LEDGER_CLIENT } from '../upstream/upstream.tokens.js';

interface Digest {
  readonly recordKey: string;
  readonly leafHash: string;
}
interface DigestBatch {
  readonly digests: Digest[];
  readonly recordTypes: string[];
}
interface RecordDigestStub {
  streamRecordDigests(request: { recordTypes: string[] }, metadata: Metadata): ClientReadableStream<DigestBatch>;
}

/** At most this many keys per finding are listed; the counts are always exact. */
export const LISTED_PER_FINDING = 1_000;

export interface StoreAuditReport {
  readonly checkedAt: string;
  readonly store: string;
  readonly recordTypes: string[];
  readonly recordsChecked: number;
  readonly leavesChecked: number;
  /** Stored now with content that is not what was appended to the log. */
  readonly changed: { count: number; recordKeys: string[] };
  /** In the log, gone from the store. */
  readonly missing: { count: number; recordKeys: string[] };
  /** In the store, not (yet) in the log: normal while the ledger catches up, suspicious once it has. */
  readonly notInLog: { count: number; recordKeys: string[] };
  readonly ok: boolean;
}

/** A digest stream, one digest at a time, with the first batch's record types. */
async function* digestsOf(call: ClientReadableStream<DigestBatch>, onTypes: (types: string[]) => void): AsyncGenerator<Digest> {
  let first = true;
  try {
    for await (const batch of call as AsyncIterable<DigestBatch>) {
      if (first) onTypes(batch.recordTypes);
      first = false;
      yield* batch.digests;
    }
  } catch (error) {
    throw fromGrpcError(error);
  } finally {
    call.cancel();
  }
}

function finding(): { count: number; recordKeys: string[] } {
  return { count: 0, recordKeys: [] };
}

function note(found: { count: number; recordKeys: string[] }, recordKey: string): void {
  found.count += 1;
  if (found.recordKeys.length < LISTED_PER_FINDING) found.recordKeys.push(recordKey);
}

/**
 * Compares what the data-service stores with what the log holds, record by record: both stream
 * (record key, leaf hash) in byte order, merge-joined here with one digest of each in memory. A row
 * changed in the store behind Traceport's back shows as changed, a deleted one as missing, a
 * swapped pair of versions as two changed records; the log's own integrity is the ledger audit's.
 */
@Injectable()
export class StoreAudit implements OnModuleInit {
  private store!: RecordDigestStub;
  private ledger!: RecordDigestStub;

  constructor(
    @Inject(DATA_SERVICE_CLIENT) private readonly dataService: ClientGrpc,
    @Inject(LEDGER_CLIENT) private readonly ledgerService: ClientGrpc,
  ) {}

  onModuleInit(): void {
    this.store = this.dataService.getClientByServiceName<RecordDigestStub>('RecordDigestService');
    this.ledger = this.ledgerService.getClientByServiceName<RecordDigestStub>('RecordDigestService');
  }

  async run(): Promise<StoreAuditReport> {
    const metadata = new Metadata();
    const correlationId = currentCorrelationId();
    if (correlationId !== undefined) metadata.set(CORRELATION_HEADER, correlationId);
    let recordTypes: string[] = [];
    const stored = digestsOf(this.store.streamRecordDigests({ recordTypes: [] }, metadata), (types) => (recordTypes = types));
    // The store's first batch names its record types, which the ledger's stream is filtered by.
    let storeNext = await stored.next();
    const logged = digestsOf(this.ledger.streamRecordDigests({ recordTypes }, metadata), () => undefined);
    let logNext = await logged.next();
    const changed = finding();
    const missing = finding();
    const notInLog = finding();
    let recordsChecked = 0;
    let leavesChecked = 0;
    while (!storeNext.done || !logNext.done) {
      const storeKey = storeNext.done ? undefined : storeNext.value.recordKey;
      const logKey = logNext.done ? undefined : logNext.value.recordKey;
      if (storeKey !== undefined && (logKey === undefined || storeKey < logKey)) {
        note(notInLog, storeKey);
        recordsChecked += 1;
        storeNext = await stored.next();
      } else if (logKey !== undefined && (storeKey === undefined || logKey < storeKey)) {
        note(missing, logKey);
        leavesChecked += 1;
        logNext = await logged.next();
      } else {
        if (!storeNext.done && !logNext.done && storeNext.value.leafHash !== logNext.value.leafHash) note(changed, storeKey!);
        recordsChecked += 1;
        leavesChecked += 1;
        storeNext = await stored.next();
        logNext = await logged.next();
      }
    }
    return { checkedAt: new Date().toISOString(), store: 'data-service', recordTypes, recordsChecked, leavesChecked, changed, missing, notInLog, ok: changed.count === 0 && missing.count === 0 };
  }
}
