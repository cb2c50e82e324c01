import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { RegistryClient } from '@traceport/chain';
import { hashesEqual, fromHex, toHex } from '@traceport/ledger';
import { Metrics } from '@traceport/observability';
import type { Logger } from 'pino';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { LEDGER_LOGGER, REGISTRY_CLIENT } from '../ledger.tokens.js';
import { MerkleLogService } from '../log/merkle-log.service.js';
import { LedgerSettings } from '../ledger.settings.js';
import { HeadStore, type AnchorTarget, type HeadRow } from './head-store.js';

/**
 * Seals log heads and writes them to the registry contract, one at a time and in order.
 * A head is sealed (size and root recorded) before it is sent, so after a crash or a chain outage
 * the same head is retried; before sending, the chain is asked whether that head is already there,
 * so a head is never written twice.
 */
@Injectable()
export class HeadAnchorer implements OnApplicationBootstrap, OnApplicationShutdown {
  private running = false;
  private loop: Promise<void> | undefined;
  private failures = 0;
  private reconciled = false;
  private target!: AnchorTarget;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(REGISTRY_CLIENT) private readonly registry: RegistryClient,
    @Inject(LEDGER_LOGGER) private readonly logger: Logger,
    private readonly log: MerkleLogService,
    private readonly settings: LedgerSettings,
    metrics: Metrics,
  ) {
    this.registerMetrics(metrics);
  }

  /** Log size, anchored size and anchoring lag, read from the database when Prometheus scrapes. */
  private registerMetrics(metrics: Metrics): void {
    const state = async () => {
      const rows: { tree_size: string; anchored: string; lag: string | null }[] = await this.dataSource.query(
        `SELECT s."tree_size"::text, coalesce(h."size", 0)::text AS "anchored",
                (SELECT extract(epoch FROM now() - l."appended_at") FROM "ledger"."leaves" l WHERE l."leaf_index" = coalesce(h."size", 0))::text AS "lag"
         FROM "ledger"."log_state" s
         LEFT JOIN (SELECT max("tree_size") AS "size" FROM "ledger"."heads" WHERE "status" = 'anchored' AND "chain_id" = $1 AND "contract" = $2) h ON true`,
        // Scrapes can come before bootstrap has read the chain id.
        [(this.target as AnchorTarget | undefined)?.chainId ?? 0, (this.target as AnchorTarget | undefined)?.contract ?? ''],
      );
      return rows[0];
    };
    new Gauge({
      name: 'traceport_ledger_tree_size',
      help: 'Records appended to the log',
      registers: [metrics.registry],
      async collect() {
        this.set(Number((await state())?.tree_size ?? 0));
      },
    });
    new Gauge({
      name: 'traceport_ledger_anchored_tree_size',
      help: 'Size of the latest head anchored on the chain',
      registers: [metrics.registry],
      async collect() {
        this.set(Number((await state())?.anchored ?? 0));
      },
    });
    new Gauge({
      name: 'traceport_ledger_anchoring_lag_seconds',
      help: 'Age of the oldest record not yet covered by an anchored head (0 when all are)',
      registers: [metrics.registry],
      async collect() {
        this.set(Number((await state())?.lag ?? 0));
      },
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    this.target = { chainId: await this.registry.chainId(), contract: this.registry.contract.toLowerCase() };
    this.running = true;
    this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  anchorTarget(): AnchorTarget {
    return this.target;
  }

  private async run(): Promise<void> {
    const tickMs = Math.min(500, Math.max(50, Math.floor(this.settings.sealIntervalMs / 4)));
    while (this.running) {
      let delay = tickMs;
      try {
        await this.asLeader(() => this.tick());
        this.failures = 0;
      } catch (error) {
        this.failures += 1;
        delay = Math.min(30_000, 500 * 2 ** Math.min(this.failures, 6));
        this.logger.warn({ err: error, failures: this.failures, retryInMs: delay }, 'anchoring failed; the sealed head will be retried');
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  /**
   * Runs `work` only in the replica that holds the anchoring lock: replicas scale out to append
   * faster, but heads are written from one account in order, so one anchorer writes at a time.
   * The lock is a transaction-scoped advisory lock, released by a crash as well as by commit.
   */
  private async asLeader(work: () => Promise<void>): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const rows: { leader: boolean }[] = await manager.query(`SELECT pg_try_advisory_xact_lock(hashtext('ledger-anchor:anchorer')) AS "leader"`);
      if (rows[0]?.leader === true) await work();
    });
  }

  /** One step: finish the sealed head if there is one, else seal a new head when one is due. */
  async tick(): Promise<void> {
    if (!this.reconciled) {
      await this.forgetHeadsTheChainLost();
      this.reconciled = true;
    }
    const sealed = await new HeadStore(this.dataSource.manager, this.target).sealedHead();
    if (sealed !== null) {
      await this.anchor(sealed);
      return;
    }
    await this.sealIfDue();
  }

  private async sealIfDue(): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const heads = new HeadStore(manager, this.target);
      const latest = await heads.latestAnchored();
      const anchoredSize = latest?.treeSize ?? 0;
      const size = await this.log.treeSize(manager);
      if (size <= anchoredSize) return;
      if (size - anchoredSize < this.settings.sealMaxLeaves) {
        const waited: { waited_ms: string }[] = await manager.query(
          `SELECT (extract(epoch FROM now() - "appended_at") * 1000)::bigint::text AS waited_ms FROM "ledger"."leaves" WHERE "leaf_index" = $1`,
          [anchoredSize],
        );
        if (Number(waited[0]?.waited_ms ?? 0) < this.settings.sealIntervalMs) return;
      }
      await heads.seal(size, await this.log.rootHash(size, manager));
    });
  }

  private async anchor(head: HeadRow): Promise<void> {
    const heads = new HeadStore(this.dataSource.manager, this.target);
    const onChain = await this.registry.rootAt(head.treeSize);
    if (onChain !== null) {
      if (!hashesEqual(fromHex(onChain.slice(2)), head.rootHash)) {
        throw new Error(`chain holds a different root for tree size ${head.treeSize}: the log and the chain have diverged`);
      }
      const found = await this.registry.headAnchoredReceipt(head.treeSize);
      await heads.markAnchored(head, { txHash: found.txHash, blockNumber: Number(found.blockNumber) });
      this.logger.info({ treeSize: head.treeSize, txHash: found.txHash }, 'head was already on chain; recorded it');
      return;
    }
    const previous = await this.previousHeadOnChain();
    const proof = previous === 0 ? [] : await this.log.consistencyProof(previous, head.treeSize);
    const receipt = await this.registry.appendHead({
      treeSize: head.treeSize,
      root: `0x${toHex(head.rootHash)}`,
      consistencyProof: proof.map((hash) => `0x${toHex(hash)}` as const),
    });
    await heads.markAnchored(head, { txHash: receipt.txHash, blockNumber: Number(receipt.blockNumber) });
    this.logger.info(
      { treeSize: head.treeSize, root: toHex(head.rootHash), txHash: receipt.txHash, block: Number(receipt.blockNumber), gasUsed: Number(receipt.gasUsed) },
      'head anchored',
    );
  }

  /**
   * A chain that restarted empty (a local dev node) or was rolled back no longer holds heads we
   * recorded as anchored. Proofs must not point at them: forget them, and the next head anchors
   * the log afresh.
   */
  private async forgetHeadsTheChainLost(): Promise<void> {
    const heads = new HeadStore(this.dataSource.manager, this.target);
    const latest = await heads.latestAnchored();
    if (latest === null) return;
    const onChain = await this.registry.rootAt(latest.treeSize);
    if (onChain !== null && hashesEqual(fromHex(onChain.slice(2)), latest.rootHash)) return;
    const chainHead = await this.registry.latestHead();
    const kept = chainHead === null ? 0 : Number(chainHead.treeSize);
    const forgotten = await heads.forgetAbove(kept);
    this.logger.warn({ forgotten, keptUpTo: kept }, 'the chain does not hold heads recorded as anchored; they will be anchored again');
  }

  /** The size the chain's latest head has, checked against our log so a new head can extend it. */
  private async previousHeadOnChain(): Promise<number> {
    const chainHead = await this.registry.latestHead();
    if (chainHead === null) return 0;
    const size = Number(chainHead.treeSize);
    const ours = await this.log.rootHash(size);
    if (!hashesEqual(ours, fromHex(chainHead.root.slice(2)))) {
      throw new Error(`the chain's latest head (size ${size}) is not a head of this log; refusing to anchor`);
    }
    return size;
  }
}
