import { messagingTablesDdl } from '@traceport/messaging';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The global append-only log: leaves in order, every completed perfect subtree's hash (so any
 * proof is O(log n) reads), the log size behind a row lock that serialises appends, and the heads
 * anchored on chain.
 */
export class CreateMerkleLog1764115300000 implements MigrationInterface {
  name = 'CreateMerkleLog1764115300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "ledger"."log_state" (
        "id" smallint PRIMARY KEY CHECK ("id" = 1),
        "tree_size" bigint NOT NULL CHECK ("tree_size" >= 0)
      )`);
    await queryRunner.query(`INSERT INTO "ledger"."log_state" ("id", "tree_size") VALUES (1, 0)`);
    await queryRunner.query(`
      CREATE TABLE "ledger"."leaves" (
        "leaf_index" bigint PRIMARY KEY CHECK ("leaf_index" >= 0),
        "record_key" text NOT NULL,
        "record_type" text NOT NULL,
        "record_json" text NOT NULL,
        "leaf_hash" bytea NOT NULL CHECK (length("leaf_hash") = 32),
        "event_id" text NOT NULL,
        "appended_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "leaves_record_key_key" UNIQUE ("record_key")
      )`);
    await queryRunner.query(`
      CREATE TABLE "ledger"."tree_nodes" (
        "level" smallint NOT NULL CHECK ("level" >= 0),
        "node_index" bigint NOT NULL CHECK ("node_index" >= 0),
        "hash" bytea NOT NULL CHECK (length("hash") = 32),
        PRIMARY KEY ("level", "node_index")
      )`);
    await queryRunner.query(`
      CREATE TABLE "ledger"."heads" (
        "id" bigserial PRIMARY KEY,
        "chain_id" bigint NOT NULL,
        "contract" text NOT NULL,
        "tree_size" bigint NOT NULL CHECK ("tree_size" > 0),
        "root_hash" bytea NOT NULL CHECK (length("root_hash") = 32),
        "status" text NOT NULL CHECK ("status" IN ('sealed', 'anchored')),
        "sealed_at" timestamptz NOT NULL DEFAULT now(),
        "tx_hash" text,
        "block_number" bigint,
        "anchored_at" timestamptz,
        CONSTRAINT "heads_chain_size_key" UNIQUE ("chain_id", "contract", "tree_size"),
        CONSTRAINT "heads_anchor_complete" CHECK ("status" = 'sealed' OR ("tx_hash" IS NOT NULL AND "block_number" IS NOT NULL))
      )`);
    // At most one head waits for the chain at a time: heads are anchored strictly in order.
    await queryRunner.query(
      `CREATE UNIQUE INDEX "heads_one_sealed_idx" ON "ledger"."heads" ("chain_id", "contract") WHERE "status" = 'sealed'`,
    );
    for (const statement of messagingTablesDdl('ledger')) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['processed_events', 'outbox', 'heads', 'tree_nodes', 'leaves', 'log_state']) {
      await queryRunner.query(`DROP TABLE "ledger"."${table}"`);
    }
  }
}
