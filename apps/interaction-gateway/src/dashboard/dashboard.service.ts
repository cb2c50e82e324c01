import { Injectable } from '@nestjs/common';
import type { LotDecisionMessage } from '../decision/decision-messages.js';
import { InspectionGateway } from '../decision/inspection.gateway.js';
import { ledgerStateJson } from '../proof/ledger-state-json.js';
import { ProofGateway } from '../proof/proof.gateway.js';
import { StatisticsGateway } from '../statistics/statistics.gateway.js';
import { decisionsPerDay, windowStart } from './decisions-per-day.js';

const PAGE_SIZE = 500;
/** Decisions counted per dashboard: a busy fortnight's worth, and a bound on what one request asks of the engine. */
const MAX_DECISIONS = 10_000;

/**
 * The operations console's dashboard from the services that own each figure: the archive's counts
 * (data-service), decisions per day (decision engine), the ledger's anchoring lag (ledger-anchor).
 */
@Injectable()
export class DashboardService {
  constructor(
    private readonly statistics: StatisticsGateway,
    private readonly inspection: InspectionGateway,
    private readonly proofs: ProofGateway,
  ) {}

  async dashboard(days: number, now: Date = new Date()) {
    const [counts, decided, ledger] = await Promise.all([this.statistics.archiveCounts(), this.decisionsSince(windowStart(days, now)), this.proofs.ledgerState()]);
    return {
      counts,
      decisions_per_day: decisionsPerDay(decided.decisions, days, now),
      decisions_truncated: decided.truncated,
      ledger: ledgerStateJson(ledger, now),
    };
  }

  /** The decisions made since `from`, newest first, page by page up to MAX_DECISIONS. */
  private async decisionsSince(from: Date): Promise<{ decisions: LotDecisionMessage[]; truncated: boolean }> {
    const decisions: LotDecisionMessage[] = [];
    let pageToken = '';
    do {
      const page = await this.inspection.decisions({ outcome: '', from: from.toISOString(), to: '', pageSize: PAGE_SIZE, pageToken });
      decisions.push(...page.decisions);
      pageToken = page.nextPageToken;
    } while (pageToken !== '' && decisions.length < MAX_DECISIONS);
    return { decisions, truncated: pageToken !== '' };
  }
}
