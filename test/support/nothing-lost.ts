import { RegistryClient } from '@traceport/chain';
import { fromHex, hashesEqual, leafHash, rootHash, verifyInclusion } from '@traceport/ledger';
import type pg from 'pg';
import type { CaptureLoad } from './capture-load.js';
import { gatewayFetch } from './gateway-client.js';

/** Something accepted was lost, duplicated or decided wrongly: no amount of waiting fixes it. */
export class LossDetected extends Error {
  override readonly name = 'LossDetected';
}

/**
 * The checks behind "nothing accepted is lost", read straight from the services' tables in
 * PostgreSQL and from the chain: every capture answered 202 stored once, every received lot
 * decided as the rule set says, every record appended to the log once, covered by an anchored
 * head whose root the chain holds and the stored leaves reproduce.
 */
export class NothingLost {
  /** Event ids already seen stored once and anchored (they stay so; only newer ones are re-read). */
  private readonly confirmedEvents = new Set<string>();
  private readonly confirmedLots = new Set<string>();
  private verifiedHeads = 0;
  /** The log's size when the checks began: the leaves this run appended come after it. */
  private firstLeafIndex = 0;
  lastShortfall = '';

  constructor(
    private readonly db: pg.Client,
    private readonly load: CaptureLoad,
    private readonly registry: RegistryClient,
  ) {}

  /** The chain was replaced by an empty one (a local node that lost its state): its heads are read anew. */
  chainReplaced(): void {
    this.verifiedHeads = 0;
  }

  async begin(): Promise<void> {
    const { rows } = await this.db.query<{ tree_size: string }>(`SELECT "tree_size"::text FROM "ledger"."log_state"`);
    this.firstLeafIndex = Number(rows[0]!.tree_size);
  }

  async anchoredSize(): Promise<number> {
    const { rows } = await this.db.query<{ size: string }>(
      `SELECT coalesce(max("tree_size"), 0)::text AS "size" FROM "ledger"."heads" WHERE "status" = 'anchored' AND "contract" = lower($1)`,
      [this.registry.contract],
    );
    return Number(rows[0]!.size);
  }

  /**
   * True once everything accepted up to `cutoff` is stored once, decided, appended and anchored.
   * Throws at once on what no wait can fix: a capture stored twice, a lot decided the wrong way.
   */
  async drained(cutoff: number): Promise<boolean> {
    const anchored = await this.anchoredSize();
    const pending = this.load.acceptedEventIds(cutoff).filter((id) => !this.confirmedEvents.has(id));
    const { rows } = await this.db.query<{ event_id: string; copies: number; leaf_index: string | null }>(
      `SELECT e."event_id", count(*) OVER (PARTITION BY e."event_id")::int AS "copies", l."leaf_index"::text AS "leaf_index"
       FROM "data_service"."epcis_events" e LEFT JOIN "ledger"."leaves" l ON l."record_key" = e."record_key"
       WHERE e."event_id" = ANY($1::text[])`,
      [pending],
    );
    const duplicated = rows.filter((row) => row.copies > 1);
    if (duplicated.length > 0) throw new LossDetected(`captures stored more than once: ${duplicated.map((row) => row.event_id).join(', ')}`);
    const stored = new Set(rows.map((row) => row.event_id));
    const unstored = pending.filter((id) => !stored.has(id));
    for (const row of rows) if (row.leaf_index !== null && Number(row.leaf_index) < anchored) this.confirmedEvents.add(row.event_id);

    const lots = this.load.receivedLots(cutoff).filter((lot) => !this.confirmedLots.has(lot.lotId));
    const decided = await this.db.query<{ lot_id: string; outcome: string; leaf_index: string | null }>(
      `SELECT d."lot_id", d."outcome", l."leaf_index"::text AS "leaf_index"
       FROM "decision_engine"."decisions" d
       LEFT JOIN "ledger"."leaves" l ON l."record_key" = 'decision.lot-decision/' || (d."record"->>'id') || '/v' || coalesce(d."record"->>'version', '1')
       WHERE d."lot_id" = ANY($1::uuid[])`,
      [lots.map((lot) => lot.lotId)],
    );
    for (const row of decided.rows) {
      const lot = lots.find((candidate) => candidate.lotId === row.lot_id)!;
      if (row.outcome !== lot.expectedOutcome) throw new LossDetected(`lot ${lot.lotNumber} was ${row.outcome}, not ${lot.expectedOutcome}`);
      if (row.leaf_index !== null && Number(row.leaf_index) < anchored) this.confirmedLots.add(row.lot_id);
    }
    const unanchoredEvents = pending.length - unstored.length - rows.filter((row) => this.confirmedEvents.has(row.event_id)).length;
    const undecided = lots.length - decided.rows.length;
    const unanchoredDecisions = lots.length - lots.filter((lot) => this.confirmedLots.has(lot.lotId)).length - undecided;
    this.lastShortfall = `${unstored.length} accepted captures not stored, ${unanchoredEvents} not yet anchored, ${undecided} received lots not decided, ${unanchoredDecisions} decisions not yet anchored (anchored size ${anchored})`;
    if (unstored.length > 0) throw new LossDetected(`captures answered 202 but not stored: ${unstored.slice(0, 5).join(', ')}${unstored.length > 5 ? ', …' : ''}`);
    return unanchoredEvents === 0 && undecided === 0 && unanchoredDecisions === 0;
  }

  /** Captures that got no 202 (refused, or no answer): each stored at most once. */
  async unacknowledgedAtMostOnce(): Promise<{ stored: number; notStored: number }> {
    const ids = this.load.unansweredOrRefusedEventIds();
    const { rows } = await this.db.query<{ event_id: string; copies: number }>(
      `SELECT "event_id", count(*)::int AS "copies" FROM "data_service"."epcis_events" WHERE "event_id" = ANY($1::text[]) GROUP BY "event_id"`,
      [ids],
    );
    const twice = rows.filter((row) => row.copies > 1);
    if (twice.length > 0) throw new LossDetected(`captures stored more than once: ${twice.map((row) => row.event_id).join(', ')}`);
    return { stored: rows.length, notStored: ids.length - rows.length };
  }

  /**
   * What was committed before `cutoff` anywhere (EPCIS events, archive records, decisions), whether
   * or not its client saw the answer, is in the log: committed means published (the outbox).
   */
  async committedButNotAppended(cutoff: Date): Promise<string[]> {
    const { rows } = await this.db.query<{ record_key: string }>(
      `SELECT e."record_key" FROM "data_service"."epcis_events" e
        WHERE e."record_time" < $1 AND NOT EXISTS (SELECT 1 FROM "ledger"."leaves" l WHERE l."record_key" = e."record_key")
       UNION ALL
       SELECT a."record_type" || '/' || a."id" || '/v' || a."version" FROM "data_service"."archive_records" a
        WHERE a."recorded_at" < $1 AND NOT EXISTS (SELECT 1 FROM "ledger"."leaves" l WHERE l."record_key" = a."record_type" || '/' || a."id" || '/v' || a."version")
       UNION ALL
       SELECT 'decision.lot-decision/' || (d."record"->>'id') || '/v' || coalesce(d."record"->>'version', '1') FROM "decision_engine"."decisions" d
        WHERE d."decided_at" < $1 AND NOT EXISTS (
          SELECT 1 FROM "ledger"."leaves" l WHERE l."record_key" = 'decision.lot-decision/' || (d."record"->>'id') || '/v' || coalesce(d."record"->>'version', '1'))
       LIMIT 20`,
      [cutoff],
    );
    return rows.map((row) => row.record_key);
  }

  /**
   * The log is whole and every anchored head is the chain's: leaves 0..n-1 without a gap, each leaf
   * hash the hash of its stored record, the latest anchored head's root recomputed from the stored
   * leaves, and the anchored heads exactly the chain's heads, each once, with distinct transactions.
   */
  async logAndHeadsConsistent(): Promise<{ treeSize: number; anchoredSize: number; heads: number }> {
    const state = await this.db.query<{ tree_size: string; leaves: string; last: string | null; keys: string }>(
      `SELECT s."tree_size"::text, (SELECT count(*) FROM "ledger"."leaves")::text AS "leaves",
              (SELECT max("leaf_index") FROM "ledger"."leaves")::text AS "last",
              (SELECT count(DISTINCT "record_key") FROM "ledger"."leaves")::text AS "keys"
       FROM "ledger"."log_state" s`,
    );
    const { tree_size: treeSize, leaves, last, keys } = state.rows[0]!;
    if (Number(leaves) !== Number(treeSize) || Number(last ?? -1) !== Number(treeSize) - 1 || Number(keys) !== Number(leaves)) {
      throw new Error(`the log is not whole: size ${treeSize}, ${leaves} leaves, last index ${last}, ${keys} distinct records`);
    }
    // The chain first: a head is recorded as anchored only once it is on chain, so the table then
    // holds the chain's heads, and at most one more the anchorer wrote in between.
    const chainCount = Number(await this.registry.headCount());
    // Ordered by the bigint column, not the text the query selects ("9" > "10").
    const heads = await this.db.query<{ tree_size: string; root_hash: Buffer; tx_hash: string }>(
      `SELECT "tree_size"::text, "root_hash", "tx_hash" FROM "ledger"."heads"
       WHERE "status" = 'anchored' AND "contract" = lower($1) ORDER BY "heads"."tree_size"`,
      [this.registry.contract],
    );
    if (heads.rows.length < chainCount || heads.rows.length > chainCount + 1) {
      throw new Error(`the chain holds ${chainCount} heads, the ledger recorded ${heads.rows.length} as anchored`);
    }
    if (new Set(heads.rows.map((head) => head.tx_hash)).size !== heads.rows.length) throw new Error('two anchored heads name the same transaction');
    // The chain's heads are append-only: only the ones not checked before need reading.
    for (let index = this.verifiedHeads; index < chainCount; index += 1) {
      const onChain = await this.registry.headAt(index);
      const ours = heads.rows[index]!;
      if (Number(onChain.treeSize) !== Number(ours.tree_size) || onChain.root.toLowerCase() !== `0x${ours.root_hash.toString('hex')}`) {
        throw new Error(`head ${index}: chain has size ${onChain.treeSize} root ${onChain.root}, the ledger size ${ours.tree_size} root ${ours.root_hash.toString('hex')}`);
      }
    }
    this.verifiedHeads = chainCount;
    const latest = heads.rows.at(-1);
    if (latest !== undefined) {
      const size = Number(latest.tree_size);
      const stored = await this.db.query<{ leaf_hash: Buffer; record_json: string; leaf_index: string }>(
        `SELECT "leaf_hash", "record_json", "leaf_index"::text FROM "ledger"."leaves" WHERE "leaf_index" < $1 ORDER BY "leaves"."leaf_index"`,
        [size],
      );
      // Records from before this run are left alone: a tamper test may have altered them on purpose.
      for (const leaf of stored.rows.slice(this.firstLeafIndex)) {
        if (!hashesEqual(leaf.leaf_hash, leafHash(JSON.parse(leaf.record_json)))) throw new LossDetected(`leaf ${leaf.leaf_index} does not hash its stored record`);
      }
      const root = rootHash(stored.rows.map((leaf) => new Uint8Array(leaf.leaf_hash)));
      if (!hashesEqual(root, latest.root_hash)) throw new Error(`the stored leaves do not lead to the anchored root of size ${size}`);
    }
    return { treeSize: Number(treeSize), anchoredSize: latest === undefined ? 0 : Number(latest.tree_size), heads: chainCount };
  }

  /** A record's public proof bundle verifies: its leaf, its inclusion path to the root, and that root on chain. */
  async proofVerifies(recordKey: string): Promise<void> {
    const response = await gatewayFetch(`/v1/proofs?record_key=${encodeURIComponent(recordKey)}`);
    const bundle = (await response.json()) as {
      record: unknown;
      proof: { leaf_index: number; tree_size: number; inclusion_path: string[]; root_hash: string; anchor: { tx_hash: string; block_number: number } | null };
    };
    if (response.status !== 200) throw new Error(`no proof for ${recordKey}: ${response.status}`);
    if (bundle.proof.anchor === null) throw new Error(`${recordKey} is not anchored yet`);
    const verdict = verifyInclusion({
      leafIndex: bundle.proof.leaf_index,
      treeSize: bundle.proof.tree_size,
      leafHash: leafHash(bundle.record),
      inclusionPath: bundle.proof.inclusion_path.map((hex) => fromHex(hex)),
      rootHash: fromHex(bundle.proof.root_hash),
    });
    if (!verdict.valid) throw new Error(`the proof of ${recordKey} does not verify: ${verdict.message}`);
    const onChain = await this.registry.rootAt(bundle.proof.tree_size);
    if (onChain === null || onChain.slice(2).toLowerCase() !== bundle.proof.root_hash.toLowerCase()) {
      throw new Error(`the chain does not hold root ${bundle.proof.root_hash} for size ${bundle.proof.tree_size} (${recordKey})`);
    }
  }

  /** Ledger keys of some records accepted up to `cutoff`: captures and lot decisions. */
  async sampleRecordKeys(cutoff: number, count: number): Promise<string[]> {
    const ids = this.load.acceptedEventIds(cutoff);
    const chosen = Array.from({ length: Math.min(count, ids.length) }, () => ids[Math.floor(Math.random() * ids.length)]!);
    const lots = this.load.receivedLots(cutoff).slice(-1);
    const { rows } = await this.db.query<{ record_key: string }>(
      `SELECT "record_key" FROM "data_service"."epcis_events" WHERE "event_id" = ANY($1::text[])
       UNION ALL
       SELECT 'decision.lot-decision/' || ("record"->>'id') || '/v' || coalesce("record"->>'version', '1') FROM "decision_engine"."decisions" WHERE "lot_id" = ANY($2::uuid[])`,
      [chosen, lots.map((lot) => lot.lotId)],
    );
    return rows.map((row) => row.record_key);
  }
}
