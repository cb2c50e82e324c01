import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { RegistryClient } from '@traceport/chain';
import { fromHex } from '@traceport/ledger';
import { Metrics } from '@traceport/observability';
import type { Logger } from 'pino';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { HeadAnchorer } from '../anchoring/head-anchorer.service.js';
import { LedgerSettings } from '../ledger.settings.js';
import { LEDGER_LOGGER, REGISTRY_CLIENT } from '../ledger.tokens.js';
import { MerkleLogService } from '../log/merkle-log.service.js';
import { auditLog, type AuditReport } from './log-audit.js';

/**
 * Runs the log audit on a schedule and on demand, keeps the latest report, and exports what it
 * found as a metric so an alert fires on the first altered record.
 */
@Injectable()
export class LogAuditor implements OnApplicationBootstrap, OnApplicationShutdown {
  private latest: AuditReport | null = null;
  private running: Promise<AuditReport> | null = null;
  private timer: NodeJS.Timeout | undefined;
  private readonly mismatches: Gauge<'kind'>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(REGISTRY_CLIENT) private readonly registry: RegistryClient,
    @Inject(LEDGER_LOGGER) private readonly logger: Logger,
    private readonly log: MerkleLogService,
    private readonly anchorer: HeadAnchorer,
    private readonly settings: LedgerSettings,
    metrics: Metrics,
  ) {
    this.mismatches = new Gauge({
      name: 'traceport_ledger_audit_mismatches',
      help: 'Records and heads the latest log audit found altered, by kind (changed, missing, reordered, corrupt_node, head)',
      labelNames: ['kind'],
      registers: [metrics.registry],
    });
  }

  onApplicationBootstrap(): void {
    if (this.settings.auditIntervalMs > 0) {
      this.timer = setInterval(() => void this.run().catch((error: unknown) => this.logger.warn({ err: error }, 'log audit failed')), this.settings.auditIntervalMs);
      this.timer.unref();
    }
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  latestReport(): AuditReport | null {
    return this.latest;
  }

  /** Audits now; a request while one runs joins it. */
  run(): Promise<AuditReport> {
    this.running ??= this.audit().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async audit(): Promise<AuditReport> {
    const target = this.anchorer.anchorTarget();
    const report = await this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      const treeSize = await this.log.treeSize(manager);
      const heads: { tree_size: string }[] = await manager.query(
        `SELECT "tree_size"::text FROM "ledger"."heads" WHERE "chain_id" = $1 AND "contract" = $2 AND "status" = 'anchored'`,
        [target.chainId, target.contract],
      );
      return auditLog(
        manager,
        treeSize,
        heads.map((head) => Number(head.tree_size)),
        async (size) => {
          const root = await this.registry.rootAt(size);
          return root === null ? null : fromHex(root.slice(2));
        },
      );
    });
    this.latest = report;
    this.mismatches.set({ kind: 'changed' }, report.changed.length);
    this.mismatches.set({ kind: 'missing' }, report.missing.length);
    this.mismatches.set({ kind: 'reordered' }, report.reordered.length);
    this.mismatches.set({ kind: 'corrupt_node' }, report.corruptNodes.length);
    this.mismatches.set({ kind: 'head' }, report.headMismatches.length);
    if (report.ok) this.logger.info({ treeSize: report.treeSize, headsChecked: report.headsChecked }, 'log audit: every record matches the log and the chain');
    else this.logger.error({ report }, 'log audit: the stored log does not match what was anchored');
    return report;
  }
}
