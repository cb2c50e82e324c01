import type { ServerUnaryCall } from '@grpc/grpc-js';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { ClientGrpc } from '@nestjs/microservices';
import type { RecordProofMessage } from '@traceport/contracts';
import { DomainException } from '@traceport/errors';
import { callUpstream, type UpstreamMethod } from '../upstream/upstream-call.js';
import { LEDGER_CLIENT, UPSTREAM_TIMEOUT_MS } from '../upstream/upstream.tokens.js';

export interface ConsistencyProofMessage {
  first: number;
  second: number;
  proof: string[];
  firstRoot: string;
  secondRoot: string;
}

export interface AuditReportMessage {
  checkedAt: string;
  treeSize: number;
  ok: boolean;
  changed: { leafIndex: number; recordKey: string }[];
  missing: number[];
  reordered: { recordKey: string; storedAt: number; belongsAt: number }[];
  corruptNodes: string[];
  headMismatches: { treeSize: number; onChain: string; recomputed: string }[];
  headsChecked: number;
}

/** traceport.v1.LedgerState. */
export interface LedgerStateMessage {
  logSize: number;
  anchoredSize: number;
  anchoredRoot: string;
  txHash: string;
  blockNumber: number;
  anchoredAt: string;
  chainId: number;
  contract: string;
  oldestUnanchoredAt: string;
}

interface LedgerServiceClient {
  getRecordProof: UpstreamMethod<{ recordKey: string }, RecordProofMessage>;
  getConsistencyProof: UpstreamMethod<{ first: number; second: number }, ConsistencyProofMessage>;
  auditLog: UpstreamMethod<{ runNow: boolean }, AuditReportMessage>;
  getLedgerState: UpstreamMethod<Record<string, never>, LedgerStateMessage>;
}

@Injectable()
export class ProofGateway implements OnModuleInit {
  private ledger!: LedgerServiceClient;

  constructor(
    @Inject(LEDGER_CLIENT) private readonly client: ClientGrpc,
    @Inject(UPSTREAM_TIMEOUT_MS) private readonly timeoutMs: number,
  ) {}

  onModuleInit(): void {
    this.ledger = this.client.getService<LedgerServiceClient>('LedgerService');
  }

  getProof(recordKey: string, incoming?: ServerUnaryCall<unknown, unknown>): Promise<RecordProofMessage> {
    return callUpstream(this.ledger.getRecordProof.bind(this.ledger), { recordKey }, this.timeoutMs, incoming);
  }

  consistency(first: number, second: number, incoming?: ServerUnaryCall<unknown, unknown>): Promise<ConsistencyProofMessage> {
    return callUpstream(this.ledger.getConsistencyProof.bind(this.ledger), { first, second }, this.timeoutMs, incoming);
  }

  ledgerState(incoming?: ServerUnaryCall<unknown, unknown>): Promise<LedgerStateMessage> {
    return callUpstream(this.ledger.getLedgerState.bind(this.ledger), {}, this.timeoutMs, incoming);
  }

  /** An audit reads the whole log: it gets a minute, not the default upstream timeout. */
  audit(runNow: boolean, incoming?: ServerUnaryCall<unknown, unknown>): Promise<AuditReportMessage> {
    return callUpstream(this.ledger.auditLog.bind(this.ledger), { runNow }, runNow ? 60_000 : this.timeoutMs, incoming);
  }

  /** The proof, or null while the ledger has not yet appended the record. */
  async findProof(recordKey: string, incoming?: ServerUnaryCall<unknown, unknown>): Promise<RecordProofMessage | null> {
    try {
      return await this.getProof(recordKey, incoming);
    } catch (error) {
      if (error instanceof DomainException && error.kind === 'not_found') return null;
      throw error;
    }
  }
}

/** BRIEF §5's JSON form of a proof: RFC 9162 names, snake_case, hex. */
export function proofJsonOf(proof: RecordProofMessage) {
  return {
    leaf_index: proof.leafIndex,
    tree_size: proof.treeSize,
    leaf_hash: proof.leafHash,
    inclusion_path: proof.inclusionPath,
    root_hash: proof.rootHash,
    status: proof.status,
    anchor:
      proof.anchor === null
        ? null
        : {
            chain_id: proof.anchor.chainId,
            contract: proof.anchor.contract,
            tx_hash: proof.anchor.txHash,
            block_number: proof.anchor.blockNumber,
          },
  };
}
