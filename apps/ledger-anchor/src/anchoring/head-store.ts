import type { EntityManager } from 'typeorm';

export interface AnchorTarget {
  readonly chainId: number;
  readonly contract: string;
}

export interface HeadRow {
  readonly id: string;
  readonly treeSize: number;
  readonly rootHash: Uint8Array;
  readonly status: 'sealed' | 'anchored';
  readonly txHash: string | null;
  readonly blockNumber: number | null;
}

interface RawHead {
  id: string;
  tree_size: string;
  root_hash: Buffer;
  status: 'sealed' | 'anchored';
  tx_hash: string | null;
  block_number: string | null;
}

function toHead(row: RawHead): HeadRow {
  return {
    id: row.id,
    treeSize: Number(row.tree_size),
    rootHash: new Uint8Array(row.root_hash),
    status: row.status,
    txHash: row.tx_hash,
    blockNumber: row.block_number === null ? null : Number(row.block_number),
  };
}

const COLUMNS = `"id"::text, "tree_size"::text, "root_hash", "status", "tx_hash", "block_number"::text`;

/** Heads are kept per chain and contract: a new consortium chain gets its own sequence of heads. */
export class HeadStore {
  constructor(
    private readonly manager: EntityManager,
    private readonly target: AnchorTarget,
  ) {}

  async sealedHead(): Promise<HeadRow | null> {
    const rows: RawHead[] = await this.manager.query(
      `SELECT ${COLUMNS} FROM "ledger"."heads" WHERE "chain_id" = $1 AND "contract" = $2 AND "status" = 'sealed'`,
      [this.target.chainId, this.target.contract],
    );
    return rows[0] === undefined ? null : toHead(rows[0]);
  }

  /** The newest head on this chain, the one a new head must extend. */
  async latestAnchored(): Promise<HeadRow | null> {
    // Order by the table's bigint column: the selected "tree_size" is text, and "9" > "10".
    const rows: RawHead[] = await this.manager.query(
      `SELECT ${COLUMNS} FROM "ledger"."heads" WHERE "chain_id" = $1 AND "contract" = $2 AND "status" = 'anchored'
       ORDER BY "heads"."tree_size" DESC LIMIT 1`,
      [this.target.chainId, this.target.contract],
    );
    return rows[0] === undefined ? null : toHead(rows[0]);
  }

  async seal(treeSize: number, rootHash: Uint8Array): Promise<void> {
    await this.manager.query(
      `INSERT INTO "ledger"."heads" ("chain_id", "contract", "tree_size", "root_hash", "status") VALUES ($1, $2, $3, $4, 'sealed')`,
      [this.target.chainId, this.target.contract, treeSize, Buffer.from(rootHash)],
    );
  }

  async markAnchored(head: HeadRow, receipt: { txHash: string; blockNumber: number }): Promise<void> {
    await this.manager.query(
      `UPDATE "ledger"."heads" SET "status" = 'anchored', "tx_hash" = $2, "block_number" = $3, "anchored_at" = now()
       WHERE "id" = $1 AND "status" = 'sealed'`,
      [head.id, receipt.txHash, receipt.blockNumber],
    );
  }

  /** Drops heads above `treeSize` (they are not on this chain); returns how many. */
  async forgetAbove(treeSize: number): Promise<number> {
    const rows: unknown[] = await this.manager.query(
      `DELETE FROM "ledger"."heads" WHERE "chain_id" = $1 AND "contract" = $2 AND "tree_size" > $3 RETURNING "id"`,
      [this.target.chainId, this.target.contract, treeSize],
    );
    return rows.length;
  }
}
