import { useState, type FormEvent } from 'react';
import { NavLink, useParams } from 'react-router';
import { api, ApiProblem } from '../api/client';
import type { ArchiveEnvelope, Certification, Page } from '../api/types';
import { useQuery } from '../api/use-query';
import { ErrorMessage, Field, formatTime, PageHeading, Status } from '../components/ui';

// Archive entry and editing: one form per collection, described by its fields. A change is a new
// version, sent with If-Match so that nobody's change is overwritten unseen. The server's field
// errors (problem+json errors[]) are shown next to their fields.

interface FieldSpec {
  readonly name: string;
  readonly label: string;
  readonly required?: boolean;
  readonly hint?: string;
  readonly numeric?: boolean;
}

interface CollectionSpec {
  readonly title: string;
  readonly noun: string;
  readonly fields: readonly FieldSpec[];
  readonly certifications?: boolean;
  readonly columns: readonly (readonly [string, string])[];
}

const COLLECTIONS: Readonly<Record<string, CollectionSpec>> = {
  products: {
    title: 'Products',
    noun: 'product',
    fields: [
      { name: 'gtin', label: 'GTIN', required: true, hint: '14 digits.' },
      { name: 'name', label: 'Name', required: true },
      { name: 'brandId', label: 'Brand id', required: true, hint: "The brand's archive id." },
      { name: 'factoryId', label: 'Factory id', hint: "The factory's archive id, where known." },
      { name: 'category', label: 'Category', required: true },
      { name: 'hsCode', label: 'HS code', required: true, hint: '6 to 10 digits.' },
      { name: 'originCountry', label: 'Origin country', required: true, hint: 'ISO 3166-1 alpha-2, e.g. FR.' },
      { name: 'shelfLifeDays', label: 'Shelf life (days)', numeric: true },
    ],
    columns: [
      ['gtin', 'GTIN'],
      ['name', 'Name'],
      ['category', 'Category'],
      ['originCountry', 'Origin'],
    ],
  },
  merchants: {
    title: 'Merchants',
    noun: 'merchant',
    fields: [
      { name: 'legalName', label: 'Legal name', required: true },
      { name: 'country', label: 'Country', required: true, hint: 'ISO 3166-1 alpha-2, e.g. CN.' },
      { name: 'registrationNumber', label: 'Registration number', required: true },
    ],
    columns: [
      ['legalName', 'Legal name'],
      ['country', 'Country'],
      ['registrationNumber', 'Registration'],
    ],
  },
  factories: {
    title: 'Factories',
    noun: 'factory',
    fields: [
      { name: 'name', label: 'Name', required: true },
      { name: 'country', label: 'Country', required: true, hint: 'ISO 3166-1 alpha-2, e.g. DE.' },
      { name: 'address', label: 'Address', required: true },
      { name: 'gln', label: 'GLN', hint: 'GS1 Global Location Number, 13 digits, where the factory has one.' },
    ],
    certifications: true,
    columns: [
      ['name', 'Name'],
      ['country', 'Country'],
      ['address', 'Address'],
    ],
  },
};

type Values = Record<string, string>;
const EMPTY_CERTIFICATION: Certification = { type: '', issuer: '', number: '', validFrom: '', validTo: '' };

interface Editing {
  readonly id: string | null;
  readonly version: number | null;
  values: Values;
  certifications: Certification[];
  /** Fields of the record this form does not edit, kept as they are on a change. */
  readonly rest: Record<string, unknown>;
}

function blank(spec: CollectionSpec): Editing {
  return { id: null, version: null, values: Object.fromEntries(spec.fields.map((field) => [field.name, ''])), certifications: [], rest: {} };
}

function editingOf(spec: CollectionSpec, record: Record<string, unknown> & { id: string; version: number }): Editing {
  const { id, version, certifications, ...others } = record;
  const values: Values = {};
  const rest: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(others)) {
    if (name === 'recordedAt') continue; // the server's, not sent back
    if (spec.fields.some((field) => field.name === name)) values[name] = value === undefined || value === null ? '' : String(value);
    else rest[name] = value;
  }
  for (const field of spec.fields) values[field.name] ??= '';
  return { id, version, values, certifications: Array.isArray(certifications) ? (certifications as Certification[]).map((c) => ({ ...c })) : [], rest };
}

function bodyOf(spec: CollectionSpec, editing: Editing): Record<string, unknown> {
  const body: Record<string, unknown> = { ...editing.rest };
  for (const field of spec.fields) {
    const value = editing.values[field.name]?.trim() ?? '';
    if (value === '' && !field.required) continue;
    body[field.name] = field.numeric && value !== '' && !Number.isNaN(Number(value)) ? Number(value) : value;
  }
  if (spec.certifications) body['certifications'] = editing.certifications;
  return body;
}

function RecordForm({ collection, spec, initial, onSaved }: { collection: string; spec: CollectionSpec; initial: Editing; onSaved: (message: string) => void }) {
  const [editing, setEditing] = useState(initial);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const errorsFor = (field: string) => (error instanceof ApiProblem ? error.errorsFor(field) : []);
  const setValue = (name: string) => (value: string) => setEditing({ ...editing, values: { ...editing.values, [name]: value } });
  const setCertification = (index: number, name: keyof Certification) => (value: string) =>
    setEditing({ ...editing, certifications: editing.certifications.map((certification, at) => (at === index ? { ...certification, [name]: value } : certification)) });

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body = bodyOf(spec, editing);
      const saved =
        editing.id === null
          ? await api<ArchiveEnvelope<Record<string, unknown>>>(`/v1/${collection}`, { method: 'POST', body })
          : await api<ArchiveEnvelope<Record<string, unknown>>>(`/v1/${collection}/${editing.id}`, { method: 'PUT', body, headers: { 'if-match': `"${editing.version}"` } });
      onSaved(`${editing.id === null ? 'Created' : 'Saved'} ${spec.noun} ${saved.record.id} (version ${saved.record.version}).`);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  const heading = editing.id === null ? `New ${spec.noun}` : `Edit ${spec.noun} (version ${editing.version})`;
  return (
    <form className="card" onSubmit={(event) => void submit(event)} aria-labelledby="record-form-heading" noValidate>
      <h2 id="record-form-heading">{heading}</h2>
      <div className="grid-2">
        {spec.fields.map((field) => (
          <Field key={field.name} name={field.name} label={field.label} value={editing.values[field.name] ?? ''} onChange={setValue(field.name)} required={field.required} hint={field.hint} errors={errorsFor(field.name)} type={field.numeric ? 'number' : 'text'} />
        ))}
      </div>
      {spec.certifications ? (
        <fieldset className="certifications">
          <legend>Certifications</legend>
          {errorsFor('certifications').length > 0 ? <p className="field-error">{errorsFor('certifications').join('; ')}</p> : null}
          {editing.certifications.length === 0 ? <p className="muted">None yet.</p> : null}
          {editing.certifications.map((certification, index) => (
            <fieldset key={index} className="certification">
              <legend>Certification {index + 1}</legend>
              <div className="grid-3">
                <Field label="Type" value={certification.type} onChange={setCertification(index, 'type')} required hint="e.g. ISO 9001, GMP" errors={errorsFor(`certifications.${index}.type`)} />
                <Field label="Issuer" value={certification.issuer} onChange={setCertification(index, 'issuer')} required errors={errorsFor(`certifications.${index}.issuer`)} />
                <Field label="Number" value={certification.number} onChange={setCertification(index, 'number')} required errors={errorsFor(`certifications.${index}.number`)} />
                <Field label="Valid from" type="date" value={certification.validFrom} onChange={setCertification(index, 'validFrom')} required errors={errorsFor(`certifications.${index}.validFrom`)} />
                <Field label="Valid to" type="date" value={certification.validTo} onChange={setCertification(index, 'validTo')} required errors={errorsFor(`certifications.${index}.validTo`)} />
              </div>
              <button type="button" className="secondary small" onClick={() => setEditing({ ...editing, certifications: editing.certifications.filter((_, at) => at !== index) })}>
                Remove certification {index + 1}
              </button>
            </fieldset>
          ))}
          <button type="button" className="secondary" onClick={() => setEditing({ ...editing, certifications: [...editing.certifications, { ...EMPTY_CERTIFICATION }] })}>
            Add a certification
          </button>
        </fieldset>
      ) : null}
      <div className="actions">
        <button type="submit" disabled={busy}>
          {busy ? 'Saving…' : editing.id === null ? `Create ${spec.noun}` : 'Save a new version'}
        </button>
      </div>
      <ErrorMessage error={error} />
    </form>
  );
}

export function ArchivePage() {
  const { collection = 'products' } = useParams();
  const spec = COLLECTIONS[collection];
  const [query, setQuery] = useState('');
  const [search, setSearch] = useState('');
  const list = useQuery<Page<ArchiveEnvelope<Record<string, unknown>>>>(spec === undefined ? null : `/v1/${collection}?page_size=25${search === '' ? '' : `&q=${encodeURIComponent(search)}`}`);
  const [editing, setEditing] = useState<{ key: string; initial: Editing } | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  if (spec === undefined) {
    return (
      <>
        <PageHeading>Archive</PageHeading>
        <p>No such collection.</p>
      </>
    );
  }

  return (
    <>
      <PageHeading lead="Every change is a new version, anchored on the ledger; older versions stay readable.">Archive: {spec.title}</PageHeading>
      <nav aria-label="Archive collections" className="tabs">
        <ul>
          {Object.entries(COLLECTIONS).map(([name, other]) => (
            <li key={name}>
              <NavLink to={`/archive/${name}`} onClick={() => { setEditing(null); setMessage(null); setSearch(''); setQuery(''); }}>
                {other.title}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      {message === null ? null : <Status>{message}</Status>}
      <div className="two-columns">
        <section aria-labelledby="list-heading">
          <h2 id="list-heading">{spec.title}</h2>
          <form className="inline-form" role="search" aria-label={`Search ${spec.title.toLowerCase()}`} onSubmit={(event) => { event.preventDefault(); setSearch(query.trim()); }}>
            <Field label="Search" value={query} onChange={setQuery} placeholder="name or number" />
            <button type="submit">Search</button>
            <button type="button" className="secondary" onClick={() => setEditing({ key: crypto.randomUUID(), initial: blank(spec) })}>
              New {spec.noun}
            </button>
          </form>
          <ErrorMessage error={list.error} />
          <table className="data">
            <thead>
              <tr>
                {spec.columns.map(([, label]) => (
                  <th key={label} scope="col">
                    {label}
                  </th>
                ))}
                <th scope="col">Version</th>
                <th scope="col">
                  <span className="visually-hidden">Edit</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {(list.data?.items ?? []).map((item) => (
                <tr key={item.record.id}>
                  {spec.columns.map(([name]) => (
                    <td key={name}>{String(item.record[name] ?? '—')}</td>
                  ))}
                  <td title={formatTime(item.record.recordedAt)}>{item.record.version}</td>
                  <td>
                    <button type="button" className="secondary small" onClick={() => setEditing({ key: `${item.record.id}:${item.record.version}`, initial: editingOf(spec, item.record) })}>
                      Edit<span className="visually-hidden"> {String(item.record[spec.columns[0]?.[0] ?? 'id'] ?? item.record.id)}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {list.data !== undefined && list.data.items.length === 0 ? <p className="empty">Nothing found.</p> : null}
        </section>
        <div>
          {editing === null ? (
            <p className="muted">Choose a record to edit, or create a new one.</p>
          ) : (
            <RecordForm
              key={`${collection}:${editing.key}`}
              collection={collection}
              spec={spec}
              initial={editing.initial}
              onSaved={(text) => {
                setMessage(text);
                setEditing(null);
                list.reload();
              }}
            />
          )}
        </div>
      </div>
    </>
  );
}
