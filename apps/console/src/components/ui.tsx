import { useId, type ReactNode } from 'react';
import { ApiProblem, messageOf } from '../api/client';

/** A page's one h1, focusable so navigation can move focus to it. */
export function PageHeading({ children, lead }: { children: ReactNode; lead?: ReactNode }) {
  return (
    <div className="page-heading">
      <h1 tabIndex={-1}>{children}</h1>
      {lead === undefined ? null : <p className="lead">{lead}</p>}
    </div>
  );
}

/** A failure of a whole action (not one field's), announced to screen readers. */
export function ErrorMessage({ error }: { error: unknown }) {
  if (error === null || error === undefined) return null;
  const fieldCount = error instanceof ApiProblem ? error.errors.length : 0;
  return (
    <div className="error-banner" role="alert">
      {messageOf(error)}
      {fieldCount > 0 ? ` (${fieldCount} field${fieldCount === 1 ? '' : 's'} to correct, marked at each field)` : ''}
    </div>
  );
}

export function Status({ children }: { children: ReactNode }) {
  return (
    <p className="status" role="status">
      {children}
    </p>
  );
}

interface FieldProps {
  readonly label: string;
  readonly value: string;
  readonly onChange: (value: string) => void;
  /** The server's field errors for this field. */
  readonly errors?: readonly string[];
  readonly type?: string;
  readonly required?: boolean;
  readonly hint?: string;
  readonly placeholder?: string;
  readonly options?: readonly (string | readonly [string, string])[];
  readonly multiline?: boolean;
  readonly name?: string;
}

/** A labelled input with its hint and its errors next to it (aria-describedby ties them together). */
export function Field({ label, value, onChange, errors = [], type = 'text', required, hint, placeholder, options, multiline, name }: FieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint === undefined ? '' : hintId, errors.length === 0 ? '' : errorId].filter((part) => part !== '').join(' ') || undefined;
  const common = { id, name, value, required, 'aria-invalid': errors.length > 0, 'aria-describedby': describedBy };
  return (
    <div className={`field${errors.length > 0 ? ' has-error' : ''}`}>
      <label htmlFor={id}>
        {label}
        {required ? <span aria-hidden="true"> *</span> : null}
      </label>
      {options !== undefined ? (
        <select {...common} onChange={(event) => onChange(event.target.value)}>
          {options.map((option) => {
            const [optionValue, optionLabel] = typeof option === 'string' ? [option, option] : option;
            return (
              <option key={optionValue} value={optionValue}>
                {optionLabel}
              </option>
            );
          })}
        </select>
      ) : multiline ? (
        <textarea {...common} placeholder={placeholder} rows={4} onChange={(event) => onChange(event.target.value)} />
      ) : (
        <input {...common} type={type} placeholder={placeholder} onChange={(event) => onChange(event.target.value)} />
      )}
      {hint === undefined ? null : (
        <p id={hintId} className="hint">
          {hint}
        </p>
      )}
      {errors.length === 0 ? null : (
        <p id={errorId} className="field-error">
          {errors.join('; ')}
        </p>
      )}
    </div>
  );
}

export function formatTime(iso: string | null | undefined): string {
  if (iso === null || iso === undefined || iso === '') return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toISOString().replace('T', ' ').slice(0, 19) + ' UTC';
}

export function formatPercent(rate: number | null): string {
  return rate === null ? '—' : `${(rate * 100).toFixed(1)}%`;
}
