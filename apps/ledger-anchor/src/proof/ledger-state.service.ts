import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { HeadAnchorer } from '../anchoring/head-anchorer.service.js';

/** traceport.v1.LedgerState: the log's size against its newest anchored head. */
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

interface StateRow {
  log_size: string;
  anchored_size: string | null;
  anchored_root: string | null;
  tx_hash: string | null;
  block_number: string | null;
  anchored_at: Date | null;
  oldest_unanchored_at: Date | null;
}

/**
 * How far anchoring lags: records appended to the log, the newest head on chain, and since when the
 * oldest record not yet under an anchored head has waited. One query, so the figures agree.
 */
@Injectable()
export class LedgerStateService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly anchorer: HeadAnchorer,
  ) {}

  async state(): Promise<LedgerStateMessage> {
    const target = this.anchorer.anchorTarget();
    const rows: StateRow[] = await this.dataSource.query(
      `WITH head AS (
         SELECT "tree_size", "root_hash", "tx_hash", "block_number", "anchored_at" FROM "ledger"."heads"
         WHERE "chain_id" = $1 AND "contract" = $2 AND "status" = 'anchored' ORDER BY "tree_size" DESC LIMIT 1
       ), size AS (SELECT "tree_size" FROM "ledger"."log_state" WHERE "id" = 1)
       SELECT size."tree_size"::text AS "log_size", head."tree_size"::text AS "anchored_size", encode(head."root_hash", 'hex') AS "anchored_root",
              head."tx_hash", head."block_number"::text AS "block_number", head."anchored_at",
              (SELECT "appended_at" FROM "ledger"."leaves" WHERE "leaf_index" = coalesce(head."tree_size", 0)) AS "oldest_unanchored_at"
       FROM size LEFT JOIN head ON true`,
      [target.chainId, target.contract],
    );
    const row = rows[0]!;
    return {
      logSize: Number(row.log_size),
      anchoredSize: Number(row.anchored_size ?? 0),
      anchoredRoot: row.anchored_root ?? '',
      txHash: row.tx_hash ?? '',
      blockNumber: Number(row.block_number ?? 0),
      anchoredAt: row.anchored_at?.toISOString() ?? '',
      chainId: target.chainId,
      contract: target.contract,
      oldestUnanchoredAt: row.oldest_unanchored_at?.toISOString() ?? '',
    };
  }
}
