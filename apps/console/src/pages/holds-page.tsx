import { useState, type FormEvent } from 'react';
import { api, ApiProblem } from '../api/client';
import { useQuery } from '../api/use-query';
import { ErrorMessage, Field, formatTime, PageHeading, Status } from '../components/ui';

// Holds and recalls (docs/product-control.md): the gateway's GET /v1/holds and GET /v1/recalls.
// A gateway without them answers 404: the page then says they are not available.

interface Hold {
  readonly id: string;
  readonly lotId: string | null;
  readonly gtin: string;
  readonly lot: string;
  readonly cause: { readonly kind: string; readonly reason: string };
  readonly status?: string;
  readonly heldAt: string;
  readonly liftedAt: string | null;
  readonly warehouseStatus?: string;
}

interface Recall {
  readonly id: string;
  readonly reason: string;
  readonly recalledAt?: string;
  readonly createdAt?: string;
  readonly recalledBy?: string;
  readonly affected: { readonly lots: number; readonly items: number; readonly heldLots?: number };
}

function Unavailable({ error, what }: { error: unknown; what: string }) {
  if (error instanceof ApiProblem && error.status === 404) return <p className="empty">{what} are not available on this gateway yet.</p>;
  return <ErrorMessage error={error} />;
}

function LiftForm({ hold, onDone }: { hold: Hold; onDone: (message: string) => void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    try {
      await api(`/v1/holds/${hold.id}/lift`, { method: 'POST', body: { reason } });
      onDone(`Lifted the hold on lot ${hold.lot} (${hold.gtin}).`);
    } catch (failure) {
      setError(failure);
    }
  }

  return (
    <form className="card" onSubmit={(event) => void submit(event)} aria-labelledby="lift-heading" noValidate>
      <h3 id="lift-heading">
        Lift the hold on lot {hold.lot} ({hold.gtin})
      </h3>
      <Field label="Why the hold is lifted" multiline value={reason} onChange={setReason} required errors={error instanceof ApiProblem ? error.errorsFor('reason') : []} />
      <button type="submit">Lift the hold</button>
      <ErrorMessage error={error} />
    </form>
  );
}

export function HoldsPage() {
  const holds = useQuery<{ items: Hold[] }>('/v1/holds?status=open');
  const recalls = useQuery<{ items: Recall[] }>('/v1/recalls');
  const [lifting, setLifting] = useState<Hold | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  return (
    <>
      <PageHeading lead="Lots held in the bonded warehouse, and recalls with what they reach.">Holds and recalls</PageHeading>
      {message === null ? null : <Status>{message}</Status>}
      {lifting === null ? null : (
        <LiftForm
          key={lifting.id}
          hold={lifting}
          onDone={(text) => {
            setMessage(text);
            setLifting(null);
            holds.reload();
          }}
        />
      )}
      <section aria-labelledby="holds-heading">
        <h2 id="holds-heading">Open holds</h2>
        {holds.loading && holds.data === undefined ? (
          <Status>Loading…</Status>
        ) : holds.data === undefined ? (
          <Unavailable error={holds.error} what="Holds" />
        ) : holds.data.items.length === 0 ? (
          <p className="empty">No lot is held.</p>
        ) : (
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Lot</th>
                <th scope="col">GTIN</th>
                <th scope="col">Cause</th>
                <th scope="col">Held since</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {holds.data.items.map((hold) => (
                <tr key={hold.id}>
                  <td>{hold.lot}</td>
                  <td>{hold.gtin}</td>
                  <td>
                    {hold.cause.kind}: {hold.cause.reason}
                  </td>
                  <td>{formatTime(hold.heldAt)}</td>
                  <td>
                    <button type="button" className="secondary small" onClick={() => setLifting(hold)}>
                      Lift<span className="visually-hidden"> the hold on lot {hold.lot}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section aria-labelledby="recalls-heading">
        <h2 id="recalls-heading">Recalls</h2>
        {recalls.loading && recalls.data === undefined ? (
          <Status>Loading…</Status>
        ) : recalls.data === undefined ? (
          <Unavailable error={recalls.error} what="Recalls" />
        ) : recalls.data.items.length === 0 ? (
          <p className="empty">No recalls.</p>
        ) : (
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Recalled</th>
                <th scope="col">Reason</th>
                <th scope="col">By</th>
                <th scope="col">Lots</th>
                <th scope="col">Items</th>
              </tr>
            </thead>
            <tbody>
              {recalls.data.items.map((recall) => (
                <tr key={recall.id}>
                  <td>{formatTime(recall.recalledAt ?? recall.createdAt)}</td>
                  <td>{recall.reason}</td>
                  <td>{recall.recalledBy ?? '—'}</td>
                  <td>
                    {recall.affected.lots}
                    {recall.affected.heldLots === undefined ? '' : ` (${recall.affected.heldLots} held)`}
                  </td>
                  <td>{recall.affected.items}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
