import { useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import type { LotDecision } from '../api/types';
import { useQuery } from '../api/use-query';
import { ErrorMessage, Field, formatTime, PageHeading, Status } from '../components/ui';

const OUTCOMES: readonly (readonly [string, string])[] = [
  ['', 'Every outcome'],
  ['released', 'Released'],
  ['inspection-ordered', 'Inspection ordered'],
  ['held', 'Held'],
];

function DecisionDetail({ lotId }: { lotId: string }) {
  const decision = useQuery<LotDecision>(`/v1/lots/${encodeURIComponent(lotId)}/decision`);
  if (decision.loading) return <Status>Loading the decision on lot {lotId}…</Status>;
  if (decision.data === undefined) return <ErrorMessage error={decision.error} />;
  const found = decision.data;
  const seen = found.record?.rule?.seen ?? {};
  return (
    <section className="card" aria-labelledby="decision-heading" data-testid="decision-detail">
      <h2 id="decision-heading">Decision on lot {found.lot_id}</h2>
      <dl className="pairs">
        <dt>Outcome</dt>
        <dd data-testid="decision-outcome">{found.outcome}{found.initial_outcome !== found.outcome ? ` (first ${found.initial_outcome})` : ''}</dd>
        <dt>Rule</dt>
        <dd data-testid="decision-rule">{found.rule_id ?? 'none (the default action)'}</dd>
        <dt>Rule set version</dt>
        <dd data-testid="decision-version">{found.rule_set_version}</dd>
        <dt>Decided</dt>
        <dd>{formatTime(found.decided_at)}</dd>
        <dt>Why</dt>
        <dd>{found.record?.reason ?? '—'}</dd>
        {found.record?.rule?.condition === undefined ? null : (
          <>
            <dt>Condition</dt>
            <dd>
              <code>{found.record.rule.condition}</code>
            </dd>
          </>
        )}
        {Object.keys(seen).length === 0 ? null : (
          <>
            <dt>Values the rule saw</dt>
            <dd>
              <ul className="plain">
                {Object.entries(seen).map(([name, value]) => (
                  <li key={name}>
                    <code>{name}</code> = {JSON.stringify(value)}
                  </li>
                ))}
              </ul>
            </dd>
          </>
        )}
        {found.order === null ? null : (
          <>
            <dt>Inspection order</dt>
            <dd>
              {found.order.agency}: {found.order.plan === null ? '' : `n=${found.order.plan.sample_size}, Ac ${found.order.plan.ac}, Re ${found.order.plan.re} (${found.order.plan.severity})`} — {found.order.status}
            </dd>
          </>
        )}
      </dl>
    </section>
  );
}

export function DecisionsPage() {
  const [params, setParams] = useSearchParams();
  const lot = params.get('lot');
  const outcome = params.get('outcome') ?? '';
  const [lotInput, setLotInput] = useState(lot ?? '');
  const list = useQuery<{ decisions: LotDecision[]; next_page_token: string | null }>(`/v1/decisions?page_size=50${outcome === '' ? '' : `&outcome=${outcome}`}`);

  function lookUp(event: FormEvent) {
    event.preventDefault();
    const next = new URLSearchParams(params);
    if (lotInput.trim() === '') next.delete('lot');
    else next.set('lot', lotInput.trim());
    setParams(next);
  }

  return (
    <>
      <PageHeading lead="Every received lot is decided by the rule set in force: which rule fired, and the values it saw.">Decisions</PageHeading>
      <form className="inline-form" onSubmit={lookUp} role="search" aria-label="Find a lot's decision">
        <Field label="Lot id" value={lotInput} onChange={setLotInput} placeholder="the lot's archive id" />
        <button type="submit">Show decision</button>
      </form>
      {lot === null ? null : <DecisionDetail key={lot} lotId={lot} />}
      <section aria-labelledby="recent-heading">
        <h2 id="recent-heading">Recent decisions</h2>
        <div className="inline-form">
          <Field
            label="Outcome"
            value={outcome}
            options={OUTCOMES}
            onChange={(value) => {
              const next = new URLSearchParams(params);
              if (value === '') next.delete('outcome');
              else next.set('outcome', value);
              setParams(next);
            }}
          />
        </div>
        <ErrorMessage error={list.error} />
        <table className="data">
          <thead>
            <tr>
              <th scope="col">Decided</th>
              <th scope="col">Lot</th>
              <th scope="col">Outcome</th>
              <th scope="col">Rule</th>
              <th scope="col">Version</th>
            </tr>
          </thead>
          <tbody>
            {(list.data?.decisions ?? []).map((decision) => (
              <tr key={decision.id}>
                <td>{formatTime(decision.decided_at)}</td>
                <td>
                  <button type="button" className="link" onClick={() => { setLotInput(decision.lot_id); setParams({ lot: decision.lot_id, ...(outcome === '' ? {} : { outcome }) }); }}>
                    {decision.lot_id}
                  </button>
                </td>
                <td>{decision.outcome}</td>
                <td>{decision.rule_id ?? '—'}</td>
                <td>{decision.rule_set_version}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {list.data !== undefined && list.data.decisions.length === 0 ? <p className="empty">No decisions yet.</p> : null}
      </section>
    </>
  );
}
