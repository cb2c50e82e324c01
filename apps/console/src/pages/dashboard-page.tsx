import { Bar, BarChart, CartesianGrid, LabelList, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Dashboard, StatisticsGroup } from '../api/types';
import { useQuery } from '../api/use-query';
import { ChartFigure } from '../components/chart-figure';
import { ErrorMessage, formatPercent, PageHeading, Status } from '../components/ui';
import { LedgerFigures } from './ledger-page';

const COUNT_LABELS = { merchants: 'Merchants', factories: 'Factories', products: 'Products', lots: 'Lots', events: 'Trace events', identities: 'Identities' } as const;
// Colours with at least 4.5:1 contrast on white, told apart by more than hue in the tables.
const COLOURS = { released: '#15803d', inspection: '#1d4ed8', held: '#b91c1c', neutral: '#334155' };

function PassRates({ dimension, title }: { dimension: 'category' | 'origin'; title: string }) {
  const report = useQuery<{ groups: StatisticsGroup[] }>(`/v1/statistics/${dimension}`);
  const rows = (report.data?.groups ?? []).filter((group) => group.pass_rate !== null).map((group) => ({ ...group, percent: Math.round((group.pass_rate ?? 0) * 1000) / 10 }));
  if (report.error !== null) return <ErrorMessage error={report.error} />;
  return (
    <ChartFigure
      title={title}
      rows={rows}
      empty="No lot has been inspected yet."
      columns={[
        { label: dimension === 'category' ? 'Category' : 'Origin', value: (row) => row.label || row.key },
        { label: 'Pass rate', value: (row) => formatPercent(row.pass_rate) },
        { label: 'Inspected', value: (row) => row.lots_inspected },
        { label: 'Failed', value: (row) => row.failed },
      ]}
    >
      <ResponsiveContainer width="100%" height={220}>
        <BarChart accessibilityLayer={false} data={rows} margin={{ left: 0, right: 8 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="label" interval={0} tick={{ fontSize: 12 }} />
          <YAxis domain={[0, 100]} unit="%" />
          <Tooltip formatter={(value) => `${String(value)}%`} />
          <Bar dataKey="percent" name="Pass rate" fill={COLOURS.released} maxBarSize={64} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </ChartFigure>
  );
}

export function DashboardPage() {
  const dashboard = useQuery<Dashboard>('/v1/dashboard?days=14');
  const data = dashboard.data;
  // Plotted as count + 1 on a log scale: identities outnumber merchants by orders of magnitude, and zero stays at the axis.
  const counts =
    data === undefined ? [] : (Object.keys(COUNT_LABELS) as (keyof typeof COUNT_LABELS)[]).map((key) => ({ key, label: COUNT_LABELS[key], value: data.counts[key], plotted: data.counts[key] + 1 }));
  const perDay = (data?.decisions_per_day ?? []).map((day) => ({ ...day, label: day.day.slice(5) }));
  const ledgerRows = data === undefined ? [] : [{ label: 'Records', logged: data.ledger.log_size, anchored: data.ledger.anchored_size }];

  return (
    <>
      <PageHeading lead="What the platform holds, how lots are decided and inspected, and how far anchoring lags.">Dashboard</PageHeading>
      {data === undefined ? dashboard.error === null ? <Status>Loading…</Status> : <ErrorMessage error={dashboard.error} /> : null}
      <div className="dashboard-grid">
        <section aria-labelledby="counts-heading" className="card">
          <h2 id="counts-heading">Archive and trace</h2>
          <ul className="count-tiles" data-testid="counts">
            {counts.map((count) => (
              <li key={count.key}>
                <span className="count-value">{count.value.toLocaleString('en')}</span>
                <span className="count-label">{count.label}</span>
              </li>
            ))}
          </ul>
          <ChartFigure title="Records by kind (logarithmic scale)" rows={counts} columns={[{ label: 'Kind', value: (row) => row.label }, { label: 'Count', value: (row) => row.value }]}>
            <ResponsiveContainer width="100%" height={190}>
              <BarChart accessibilityLayer={false} data={counts} layout="vertical" margin={{ left: 24, right: 48 }}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis type="number" scale="log" domain={[1, 'auto']} allowDataOverflow tick={false} />
                <YAxis type="category" dataKey="label" width={90} interval={0} tick={{ fontSize: 12 }} />
                <Tooltip formatter={(_value, _name, item) => (item.payload as { value: number }).value.toLocaleString('en')} />
                <Bar dataKey="plotted" name="Count" fill={COLOURS.neutral} isAnimationActive={false}>
                  <LabelList dataKey="value" position="right" fontSize={12} fill="#0f172a" />
                </Bar>
              </BarChart>
            </ResponsiveContainer>
          </ChartFigure>
        </section>
        <section aria-labelledby="decisions-heading" className="card">
          <h2 id="decisions-heading">Decisions per day</h2>
          <ChartFigure
            title="Lots decided per day, by outcome (last 14 days)"
            rows={perDay}
            columns={[
              { label: 'Day', value: (row) => row.day },
              { label: 'Released', value: (row) => row.released },
              { label: 'Inspection ordered', value: (row) => row.inspection_ordered },
              { label: 'Held', value: (row) => row.held },
            ]}
          >
            <ResponsiveContainer width="100%" height={220}>
              <BarChart accessibilityLayer={false} data={perDay}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="label" tick={{ fontSize: 12 }} />
                <YAxis allowDecimals={false} />
                <Tooltip />
                <Legend />
                <Bar dataKey="released" name="Released" stackId="outcome" fill={COLOURS.released} maxBarSize={40} isAnimationActive={false} />
                <Bar dataKey="inspection_ordered" name="Inspection ordered" stackId="outcome" fill={COLOURS.inspection} isAnimationActive={false} />
                <Bar dataKey="held" name="Held" stackId="outcome" fill={COLOURS.held} isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          </ChartFigure>
          {data?.decisions_truncated ? <p className="hint">Counted the newest 10,000 decisions of the window.</p> : null}
        </section>
        <section aria-labelledby="category-heading" className="card">
          <h2 id="category-heading">Pass rate by category</h2>
          <PassRates dimension="category" title="Inspection pass rate by product category" />
        </section>
        <section aria-labelledby="origin-heading" className="card">
          <h2 id="origin-heading">Pass rate by origin</h2>
          <PassRates dimension="origin" title="Inspection pass rate by origin country" />
        </section>
        <section aria-labelledby="anchoring-heading" className="card">
          <h2 id="anchoring-heading">Anchoring</h2>
          {data === undefined ? null : <LedgerFigures state={data.ledger} />}
          <ChartFigure
            title="Records logged and anchored"
            rows={ledgerRows}
            columns={[
              { label: 'Logged', value: (row) => row.logged },
              { label: 'Anchored', value: (row) => row.anchored },
            ]}
          >
            <ResponsiveContainer width="100%" height={110}>
              <BarChart accessibilityLayer={false} data={ledgerRows} layout="vertical" margin={{ left: 24 }}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis type="number" allowDecimals={false} />
                <YAxis type="category" dataKey="label" width={70} />
                <Tooltip />
                <Legend />
                <Bar dataKey="logged" name="Logged" fill={COLOURS.neutral} isAnimationActive={false} />
                <Bar dataKey="anchored" name="Anchored" fill={COLOURS.released} isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          </ChartFigure>
        </section>
      </div>
    </>
  );
}
