import { useState } from 'react';
import { api } from '../api/client';
import type { LedgerState } from '../api/types';
import { useQuery } from '../api/use-query';
import { ErrorMessage, formatTime, PageHeading, Status } from '../components/ui';

interface AuditReport {
  readonly checked_at: string;
  readonly tree_size: number;
  readonly ok: boolean;
  readonly changed: readonly { leaf_index: number; record_key: string }[];
  readonly missing: readonly number[];
  readonly reordered: readonly { record_key: string }[];
  readonly heads_checked: number;
}

function formatWait(seconds: number): string {
  if (seconds < 1) return 'under a second';
  if (seconds < 120) return `${seconds.toFixed(0)} s`;
  return `${(seconds / 60).toFixed(1)} min`;
}

/** The ledger's state as a definition list, shared with the dashboard. */
export function LedgerFigures({ state }: { state: LedgerState }) {
  return (
    <dl className="figures" data-testid="ledger-state">
      <div>
        <dt>Log size</dt>
        <dd>{state.log_size.toLocaleString('en')} records</dd>
      </div>
      <div>
        <dt>Last anchored head</dt>
        <dd>{state.anchored_size === 0 ? 'none yet' : `${state.anchored_size.toLocaleString('en')} records`}</dd>
      </div>
      <div>
        <dt>Block</dt>
        <dd>{state.block_number ?? '—'}</dd>
      </div>
      <div>
        <dt>Lag</dt>
        <dd>{state.lag_records === 0 ? 'none: every record is anchored' : `${state.lag_records.toLocaleString('en')} record${state.lag_records === 1 ? '' : 's'}, oldest waiting ${formatWait(state.lag_seconds)}`}</dd>
      </div>
    </dl>
  );
}

export function LedgerPage() {
  const state = useQuery<LedgerState>('/v1/ledger/state');
  const latest = useQuery<AuditReport>('/v1/ledger/audit');
  const [audit, setAudit] = useState<AuditReport | null>(null);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const report = audit ?? latest.data ?? null;

  async function runAudit() {
    setRunning(true);
    setError(null);
    try {
      setAudit(await api<AuditReport>('/v1/ledger/audit', { method: 'POST' }));
      state.reload();
    } catch (failure) {
      setError(failure);
    } finally {
      setRunning(false);
    }
  }

  return (
    <>
      <PageHeading lead="Every record is appended to one RFC 9162 log; its heads are anchored on the consortium chain.">Ledger</PageHeading>
      <section aria-labelledby="state-heading" className="card">
        <h2 id="state-heading">Anchoring</h2>
        {state.data === undefined ? (
          state.error === null ? <Status>Loading…</Status> : <ErrorMessage error={state.error} />
        ) : (
          <>
            <LedgerFigures state={state.data} />
            <dl className="pairs">
              <dt>Root of the anchored head</dt>
              <dd>
                <code className="wrap">{state.data.anchored_root ?? '—'}</code>
              </dd>
              <dt>Transaction</dt>
              <dd>
                <code className="wrap">{state.data.tx_hash ?? '—'}</code>
              </dd>
              <dt>Anchored at</dt>
              <dd>{formatTime(state.data.anchored_at)}</dd>
              <dt>Chain and registry</dt>
              <dd>
                chain {state.data.chain_id}, <code className="wrap">{state.data.contract}</code>
              </dd>
            </dl>
          </>
        )}
        <button type="button" className="secondary" onClick={() => state.reload()}>
          Refresh
        </button>
      </section>
      <section aria-labelledby="audit-heading" className="card">
        <h2 id="audit-heading">Audit</h2>
        {report === null ? (
          <p>No audit has run yet.</p>
        ) : (
          <p role="status">
            {report.ok ? '✔ The log matches what was anchored' : '✖ The log does not match what was anchored'}: {report.tree_size.toLocaleString('en')} records and {report.heads_checked} heads checked at {formatTime(report.checked_at)}
            {report.ok ? '.' : ` — ${report.changed.length} changed, ${report.missing.length} missing, ${report.reordered.length} reordered.`}
          </p>
        )}
        <button type="button" onClick={() => void runAudit()} disabled={running}>
          {running ? 'Auditing…' : 'Audit now'}
        </button>
        <ErrorMessage error={error} />
      </section>
    </>
  );
}
