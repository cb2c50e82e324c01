import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { SimulationReport } from '../api/types';
import { ChartFigure } from './chart-figure';
import { formatTime } from './ui';

const OUTCOMES = ['released', 'inspection-ordered', 'held'] as const;

/** What a simulation found: how many decisions change, the inspection volume before and after, and which lots. */
export function SimulationView({ report }: { report: SimulationReport }) {
  const count = (list: SimulationReport['before'], outcome: string) => list.find((entry) => entry.outcome === outcome)?.lots ?? 0;
  const rows = OUTCOMES.map((outcome) => ({ outcome, before: count(report.before, outcome), after: count(report.after, outcome) }));
  return (
    <section className="simulation" aria-labelledby="simulation-heading">
      <h3 id="simulation-heading">Simulation over {report.lots} past lot{report.lots === 1 ? '' : 's'}</h3>
      <dl className="figures">
        <div>
          <dt>Decisions that change</dt>
          <dd data-testid="simulation-changed">{report.changed}</dd>
        </div>
        <div>
          <dt>Lots inspected</dt>
          <dd data-testid="simulation-inspections">
            {report.inspections_before} → {report.inspections_after}
          </dd>
        </div>
        <div>
          <dt>Units sampled</dt>
          <dd data-testid="simulation-units">
            {report.units_sampled_before} → {report.units_sampled_after}
          </dd>
        </div>
      </dl>
      <ChartFigure
        title="Outcomes before and after"
        rows={rows}
        columns={[
          { label: 'Outcome', value: (row) => row.outcome },
          { label: 'Before', value: (row) => row.before },
          { label: 'After', value: (row) => row.after },
        ]}
      >
        <ResponsiveContainer width="100%" height={180}>
          <BarChart accessibilityLayer={false} data={rows}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="outcome" />
            <YAxis allowDecimals={false} />
            <Tooltip />
            <Legend />
            <Bar dataKey="before" name="Before" fill="#64748b" maxBarSize={64} isAnimationActive={false} />
            <Bar dataKey="after" name="After" fill="#1d4ed8" maxBarSize={64} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </ChartFigure>
      {report.changes.length === 0 ? (
        <p>No past decision would change.</p>
      ) : (
        <table className="data">
          <caption>Decisions that would change{report.changes.length < report.changed ? ` (first ${report.changes.length})` : ''}</caption>
          <thead>
            <tr>
              <th scope="col">Lot</th>
              <th scope="col">Decided</th>
              <th scope="col">Before</th>
              <th scope="col">After</th>
            </tr>
          </thead>
          <tbody>
            {report.changes.map((change) => (
              <tr key={change.lot_id}>
                <td>
                  {change.lot_number} <span className="muted">({change.gtin})</span>
                </td>
                <td>{formatTime(change.decided_at)}</td>
                <td>
                  {change.before_outcome} {change.before_rule === null ? '' : `by ${change.before_rule}`} {change.before_sample_size > 0 ? `(n=${change.before_sample_size})` : ''}
                </td>
                <td>
                  {change.after_outcome} {change.after_rule === null ? '' : `by ${change.after_rule}`} {change.after_sample_size > 0 ? `(n=${change.after_sample_size})` : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
