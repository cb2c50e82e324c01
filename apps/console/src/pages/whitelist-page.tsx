import { useState, type FormEvent } from 'react';
import { api, ApiProblem } from '../api/client';
import type { WhitelistEntry } from '../api/types';
import { useQuery } from '../api/use-query';
import { ErrorMessage, Field, formatTime, PageHeading, Status } from '../components/ui';

const SUBJECTS = ['merchant', 'brand', 'factory', 'product'] as const;
const EFFECTS: readonly (readonly [string, string])[] = [
  ['exempt', 'Exempt from inspection'],
  ['reduced', 'Reduced inspection'],
];

function inDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

const EMPTY = { subject_type: 'merchant', subject_id: '', effect: 'exempt', reason: '', owner: '', expires: inDays(90) };

export function WhitelistPage() {
  const [includeInactive, setIncludeInactive] = useState(false);
  const list = useQuery<{ entries: WhitelistEntry[] }>(`/v1/whitelist${includeInactive ? '?include_inactive=true' : ''}`);
  const [form, setForm] = useState(EMPTY);
  const [error, setError] = useState<unknown>(null);
  const [message, setMessage] = useState<string | null>(null);
  const set = (field: keyof typeof EMPTY) => (value: string) => setForm({ ...form, [field]: value });
  const errorsFor = (field: string) => (error instanceof ApiProblem ? error.errorsFor(field) : []);

  async function add(event: FormEvent) {
    event.preventDefault();
    setError(null);
    setMessage(null);
    try {
      const { expires, ...fields } = form;
      const created = await api<WhitelistEntry>('/v1/whitelist', { method: 'POST', body: { ...fields, expires_at: expires === '' ? '' : `${expires}T23:59:59Z` } });
      setMessage(`Whitelisted ${created.subject_type} ${created.subject_id} until ${formatTime(created.expires_at)}.`);
      setForm(EMPTY);
      list.reload();
    } catch (failure) {
      setError(failure);
    }
  }

  async function revoke(entry: WhitelistEntry) {
    const reason = window.prompt(`Why revoke the entry for ${entry.subject_type} ${entry.subject_id}?`);
    if (reason === null) return;
    setError(null);
    try {
      await api(`/v1/whitelist/${entry.id}/revoke`, { method: 'POST', body: reason === '' ? {} : { reason } });
      setMessage(`Revoked the entry for ${entry.subject_type} ${entry.subject_id}.`);
      list.reload();
    } catch (failure) {
      setError(failure);
    }
  }

  return (
    <>
      <PageHeading lead="Merchants, brands, factories or products exempted from inspection or inspected under the reduced plan. Every change is recorded and anchored.">Whitelist</PageHeading>
      <section aria-labelledby="add-heading" className="card">
        <h2 id="add-heading">Add an entry</h2>
        <form onSubmit={(event) => void add(event)} noValidate>
          <div className="grid-3">
            <Field label="Subject type" value={form.subject_type} options={SUBJECTS} onChange={set('subject_type')} errors={errorsFor('subject_type')} />
            <Field label="Subject id" value={form.subject_id} onChange={set('subject_id')} errors={errorsFor('subject_id')} required hint="The archive record's id." />
            <Field label="Effect" value={form.effect} options={EFFECTS} onChange={set('effect')} errors={errorsFor('effect')} />
            <Field label="Owner" value={form.owner} onChange={set('owner')} errors={errorsFor('owner')} required hint="Who answers for the entry." />
            <Field label="Expires on" type="date" value={form.expires} onChange={set('expires')} errors={errorsFor('expires_at')} required />
          </div>
          <Field label="Reason" multiline value={form.reason} onChange={set('reason')} errors={errorsFor('reason')} required />
          <button type="submit">Add to the whitelist</button>
        </form>
        {message === null ? null : <Status>{message}</Status>}
        <ErrorMessage error={error} />
      </section>
      <section aria-labelledby="entries-heading">
        <h2 id="entries-heading">Entries</h2>
        <div className="checkbox">
          <input id="include-inactive" type="checkbox" checked={includeInactive} onChange={(event) => setIncludeInactive(event.target.checked)} />
          <label htmlFor="include-inactive">Include expired and revoked entries</label>
        </div>
        <ErrorMessage error={list.error} />
        <table className="data">
          <thead>
            <tr>
              <th scope="col">Subject</th>
              <th scope="col">Effect</th>
              <th scope="col">Reason</th>
              <th scope="col">Owner</th>
              <th scope="col">Expires</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {(list.data?.entries ?? []).map((entry) => (
              <tr key={entry.id}>
                <td>
                  {entry.subject_type} <code>{entry.subject_id}</code>
                </td>
                <td>{entry.effect}</td>
                <td>{entry.reason}</td>
                <td>{entry.owner}</td>
                <td>{formatTime(entry.expires_at)}</td>
                <td>{entry.status}</td>
                <td>
                  {entry.status === 'active' ? (
                    <button type="button" className="secondary small" onClick={() => void revoke(entry)}>
                      Remove
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {list.data !== undefined && list.data.entries.length === 0 ? <p className="empty">No entries.</p> : null}
      </section>
    </>
  );
}
