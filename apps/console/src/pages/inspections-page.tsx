import { useState, type FormEvent } from 'react';
import { api, ApiProblem } from '../api/client';
import type { InspectionOrder } from '../api/types';
import { useQuery } from '../api/use-query';
import { ErrorMessage, Field, formatTime, PageHeading, Status } from '../components/ui';

const STATUSES: readonly (readonly [string, string])[] = [
  ['open', 'Open'],
  ['accepted', 'Accepted'],
  ['rejected', 'Rejected'],
  ['', 'Every status'],
];

function ResultForm({ order, onDone }: { order: InspectionOrder; onDone: (message: string) => void }) {
  const [form, setForm] = useState({ inspector: '', critical: '0', major: '0', minor: '0', notes: '' });
  const [error, setError] = useState<unknown>(null);
  const set = (field: keyof typeof form) => (value: string) => setForm({ ...form, [field]: value });
  const errorsFor = (field: string) => (error instanceof ApiProblem ? error.errorsFor(field) : []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    try {
      const result = await api<{ verdict: string }>(`/v1/inspection-orders/${order.id}/result`, {
        method: 'POST',
        body: { agency: order.agency, inspector: form.inspector, critical: Number(form.critical), major: Number(form.major), minor: Number(form.minor), ...(form.notes === '' ? {} : { notes: form.notes }) },
      });
      onDone(`Result recorded for lot ${order.lot_id}: ${result.verdict}.`);
    } catch (failure) {
      setError(failure);
    }
  }

  return (
    <form onSubmit={(event) => void submit(event)} className="card" aria-labelledby="result-heading" noValidate>
      <h3 id="result-heading">Result for lot {order.lot_id}</h3>
      <p>
        Agency {order.agency}; {order.plan === null ? '' : `sample ${order.plan.sample_size} units (code letter ${order.plan.code_letter}, Ac ${order.plan.ac}, Re ${order.plan.re}, ${order.plan.severity})`}.
      </p>
      <div className="grid-3">
        <Field label="Inspector" value={form.inspector} onChange={set('inspector')} errors={errorsFor('inspector')} required />
        <Field label="Critical nonconforming units" type="number" value={form.critical} onChange={set('critical')} errors={errorsFor('critical')} />
        <Field label="Major nonconforming units" type="number" value={form.major} onChange={set('major')} errors={errorsFor('major')} />
        <Field label="Minor nonconforming units" type="number" value={form.minor} onChange={set('minor')} errors={errorsFor('minor')} />
      </div>
      <Field label="Notes" multiline value={form.notes} onChange={set('notes')} errors={errorsFor('notes')} />
      <button type="submit">Submit result</button>
      <ErrorMessage error={error} />
    </form>
  );
}

export function InspectionsPage() {
  const [status, setStatus] = useState('open');
  const orders = useQuery<{ orders: InspectionOrder[] }>(`/v1/inspection-orders?page_size=50${status === '' ? '' : `&status=${status}`}`);
  const [selected, setSelected] = useState<InspectionOrder | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  return (
    <>
      <PageHeading lead="Orders the decision engine sent to inspection agencies, and their results. A result releases or holds the lot.">Inspection orders and results</PageHeading>
      {message === null ? null : <Status>{message}</Status>}
      {selected === null ? null : (
        <ResultForm
          key={selected.id}
          order={selected}
          onDone={(text) => {
            setMessage(text);
            setSelected(null);
            orders.reload();
          }}
        />
      )}
      <section aria-labelledby="orders-heading">
        <h2 id="orders-heading">Orders</h2>
        <div className="inline-form">
          <Field label="Status" value={status} options={STATUSES} onChange={setStatus} />
        </div>
        <ErrorMessage error={orders.error} />
        <table className="data">
          <thead>
            <tr>
              <th scope="col">Created</th>
              <th scope="col">Lot</th>
              <th scope="col">Agency</th>
              <th scope="col">Plan</th>
              <th scope="col">Status</th>
              <th scope="col">Result</th>
            </tr>
          </thead>
          <tbody>
            {(orders.data?.orders ?? []).map((order) => (
              <tr key={order.id}>
                <td>{formatTime(order.created_at)}</td>
                <td>
                  <code>{order.lot_id}</code>
                </td>
                <td>{order.agency}</td>
                <td>{order.plan === null ? '—' : `n=${order.plan.sample_size}, Ac ${order.plan.ac}/Re ${order.plan.re}`}</td>
                <td>{order.status}</td>
                <td>
                  {order.result !== null ? (
                    `${order.result.verdict} (${order.result.critical}/${order.result.major}/${order.result.minor})`
                  ) : order.status === 'open' ? (
                    <button type="button" className="secondary small" onClick={() => setSelected(order)}>
                      Enter result
                    </button>
                  ) : (
                    '—'
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {orders.data !== undefined && orders.data.orders.length === 0 ? <p className="empty">No orders.</p> : null}
      </section>
    </>
  );
}
