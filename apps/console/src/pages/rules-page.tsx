import { useEffect, useMemo, useRef, useState } from 'react';
import { api, ApiProblem, normalizeField } from '../api/client';
import type { Rule, RuleAction, RuleProblem, RuleSetDefinition, RuleSetVersion, SimulationReport } from '../api/types';
import { useQuery } from '../api/use-query';
import { CelEditor, type PositionedProblem } from '../components/cel-editor';
import { SimulationView } from '../components/simulation-view';
import { ErrorMessage, Field, formatTime, PageHeading, Status } from '../components/ui';

const ACTION_KINDS = ['release', 'inspect', 'inspect-all', 'hold'] as const;
const LEVELS = ['S-1', 'S-2', 'S-3', 'S-4', 'I', 'II', 'III'] as const;
// As the engine decides before any rule set is published: inspect at level II, AQL 2.5.
const EMPTY: RuleSetDefinition = { defaultAction: { kind: 'inspect', level: 'II', aql: 2.5 }, tables: {}, rules: [] };

/** The editor's state: a definition being written, and the saved draft it belongs to (if any). */
interface Draft {
  definition: RuleSetDefinition;
  tablesText: string;
  note: string;
  /** The saved draft version this text is, or null for a new one. */
  version: number | null;
  /** True when the text changed since it was saved. */
  dirty: boolean;
}

function draftOf(version: RuleSetVersion | null): Draft {
  const definition = structuredClone(version?.definition ?? EMPTY);
  return {
    definition,
    tablesText: JSON.stringify(definition.tables ?? {}, null, 2),
    note: version?.status === 'draft' ? version.note : '',
    version: version?.status === 'draft' ? version.version : null,
    dirty: version === null || version.status !== 'draft',
  };
}

function actionWith(action: RuleAction, kind: RuleAction['kind']): RuleAction {
  return kind === 'inspect' ? { kind, level: action.level ?? 'II', aql: action.aql ?? 1 } : { kind };
}

/** Problems by field (`rules.2.condition`), whichever endpoint reported them. */
type ProblemMap = ReadonlyMap<string, PositionedProblem[]>;
function problemMapOf(problems: readonly { field: string; message: string; line?: number | null; column?: number | null }[]): ProblemMap {
  const map = new Map<string, PositionedProblem[]>();
  for (const problem of problems) {
    const key = normalizeField(problem.field).replace(/^definition\./, '');
    map.set(key, [...(map.get(key) ?? []), { message: problem.message, line: problem.line ?? null, column: problem.column ?? null }]);
  }
  return map;
}

export function RulesPage() {
  const versions = useQuery<{ versions: RuleSetVersion[] }>('/v1/rule-sets');
  const [draft, setDraft] = useState<Draft | null>(null);
  const [problems, setProblems] = useState<ProblemMap>(new Map());
  const [tablesError, setTablesError] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);
  const [report, setReport] = useState<SimulationReport | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [message, setMessage] = useState<string | null>(null);
  const validation = useRef(0);

  // Start from the version in force (or the newest), as a new draft.
  useEffect(() => {
    if (draft !== null || versions.data === undefined) return;
    const list = versions.data.versions;
    setDraft(draftOf(list.find((version) => version.active) ?? list[0] ?? null));
  }, [versions.data, draft]);

  // Inline validation: the engine checks the definition a moment after each change.
  const definitionJson = useMemo(() => (draft === null ? '' : JSON.stringify(draft.definition)), [draft]);
  useEffect(() => {
    if (draft === null || tablesError !== null) return;
    const ticket = ++validation.current;
    const timer = setTimeout(() => {
      setChecking(true);
      api<{ valid: boolean; problems: RuleProblem[] }>('/v1/rule-sets/validate', { method: 'POST', body: { definition: draft.definition } }).then(
        (answer) => {
          if (ticket !== validation.current) return;
          setProblems(problemMapOf(answer.problems));
          setChecking(false);
        },
        (failure: unknown) => {
          if (ticket !== validation.current) return;
          setProblems(failure instanceof ApiProblem ? problemMapOf(failure.errors) : new Map());
          setChecking(false);
        },
      );
    }, 400);
    return () => clearTimeout(timer);
  }, [definitionJson, tablesError]); // definitionJson stands for the definition

  if (draft === null) {
    return (
      <>
        <PageHeading>Sampling rules</PageHeading>
        {versions.error === null ? <Status>Loading rule set versions…</Status> : <ErrorMessage error={versions.error} />}
      </>
    );
  }

  const definition = draft.definition;
  const problemCount = [...problems.values()].reduce((sum, list) => sum + list.length, 0);
  const change = (mutate: (definition: RuleSetDefinition) => void) => {
    const next = structuredClone(definition);
    mutate(next);
    setDraft({ ...draft, definition: next, dirty: true });
    setReport(null);
    setMessage(null);
  };
  const changeRule = (index: number, mutate: (rule: Rule) => void) =>
    change((next) => {
      const rule = next.rules[index];
      if (rule !== undefined) mutate(rule);
    });
  const fieldErrors = (field: string) => (problems.get(field) ?? []).map((problem) => problem.message);

  async function run<T>(label: string, action: () => Promise<T>): Promise<T | undefined> {
    setBusy(label);
    setError(null);
    setMessage(null);
    try {
      return await action();
    } catch (failure) {
      setError(failure);
      if (failure instanceof ApiProblem && failure.errors.length > 0) setProblems(problemMapOf(failure.errors));
      return undefined;
    } finally {
      setBusy(null);
    }
  }

  async function save(): Promise<number | undefined> {
    if (draft === null) return undefined;
    if (draft.version !== null && !draft.dirty) return draft.version;
    const saved = await run('Saving', () =>
      draft.version === null
        ? api<RuleSetVersion>('/v1/rule-sets', { method: 'POST', body: { definition: draft.definition, note: draft.note } })
        : api<RuleSetVersion>(`/v1/rule-sets/${draft.version}`, { method: 'PUT', body: { definition: draft.definition, note: draft.note } }),
    );
    if (saved === undefined) return undefined;
    setDraft({ ...draft, version: saved.version, dirty: false });
    setMessage(`Saved as draft version ${saved.version}.`);
    versions.reload();
    return saved.version;
  }

  async function simulate() {
    const version = await save();
    if (version === undefined) return;
    const answer = await run('Simulating', () => api<SimulationReport>('/v1/rule-sets/simulate', { method: 'POST', body: { version } }));
    if (answer !== undefined) setReport(answer);
  }

  async function publish() {
    const version = await save();
    if (version === undefined) return;
    const published = await run('Publishing', () => api<RuleSetVersion>(`/v1/rule-sets/${version}/publish`, { method: 'POST', body: {} }));
    if (published === undefined) return;
    // The editor goes on from the version now in force, as the start of the next draft.
    setDraft(draftOf(published));
    setReport(null);
    setMessage(`Version ${published.version} is published and decides lots received from ${formatTime(published.effective_from)}.`);
    versions.reload();
  }

  return (
    <>
      <PageHeading lead="Rules are tried from the highest priority down; the first whose CEL condition holds decides. Conditions are checked as you type.">Sampling rules</PageHeading>
      <div className="two-columns rules-layout">
        <section aria-labelledby="editor-heading" className="editor">
          <h2 id="editor-heading">{draft.version === null ? 'New draft' : `Draft version ${draft.version}`}</h2>
          <p className="validity" role="status" data-testid="validation-status">
            {tablesError !== null ? 'Tables are not valid JSON.' : checking ? 'Checking…' : problemCount === 0 ? '✔ Every condition compiles.' : `✖ ${problemCount} problem${problemCount === 1 ? '' : 's'} to fix.`}
          </p>
          <div className="grid-2">
            <Field
              label="Inspection agency"
              value={definition.inspectionAgency ?? ''}
              hint="Who receives the inspection orders."
              onChange={(value) =>
                change((next) => {
                  if (value === '') delete next.inspectionAgency;
                  else next.inspectionAgency = value;
                })
              }
              errors={fieldErrors('inspectionAgency')}
            />
            <Field
              label="When no rule holds"
              value={definition.defaultAction.kind}
              options={ACTION_KINDS}
              onChange={(value) => change((next) => (next.defaultAction = actionWith(next.defaultAction, value as RuleAction['kind'])))}
              errors={fieldErrors('defaultAction.kind')}
            />
            {definition.defaultAction.kind === 'inspect' ? (
              <>
                <Field label="Default inspection level" value={definition.defaultAction.level ?? 'II'} options={LEVELS} onChange={(value) => change((next) => (next.defaultAction = { ...next.defaultAction, level: value }))} errors={fieldErrors('defaultAction.level')} />
                <Field label="Default AQL" type="number" value={String(definition.defaultAction.aql ?? '')} onChange={(value) => change((next) => (next.defaultAction = { ...next.defaultAction, aql: Number(value) }))} errors={fieldErrors('defaultAction.aql')} />
              </>
            ) : null}
          </div>
          <Field
            label="Tables (JSON)"
            multiline
            value={draft.tablesText}
            hint="Lookup tables the conditions read as tables.<name>, e.g. a hazard frequency per category and origin."
            errors={[...(tablesError === null ? [] : [tablesError]), ...fieldErrors('tables')]}
            onChange={(value) => {
              try {
                const tables = JSON.parse(value === '' ? '{}' : value) as Record<string, unknown>;
                setTablesError(null);
                setDraft({ ...draft, tablesText: value, definition: { ...definition, tables }, dirty: true });
              } catch {
                setTablesError('not valid JSON');
                setDraft({ ...draft, tablesText: value });
              }
            }}
          />
          <ol className="rules">
            {definition.rules.map((rule, index) => (
              <li key={index}>
                <fieldset className="rule" data-rule-id={rule.id}>
                  <legend>
                    Rule {index + 1}: {rule.id || '(no id)'}
                  </legend>
                  <div className="grid-3">
                    <Field label="Rule id" value={rule.id} onChange={(value) => changeRule(index, (next) => (next.id = value))} errors={fieldErrors(`rules.${index}.id`)} required />
                    <Field label="Priority" type="number" value={String(rule.priority)} onChange={(value) => changeRule(index, (next) => (next.priority = Number(value)))} errors={fieldErrors(`rules.${index}.priority`)} />
                    <Field label="Owner" value={rule.owner} onChange={(value) => changeRule(index, (next) => (next.owner = value))} errors={fieldErrors(`rules.${index}.owner`)} />
                  </div>
                  <Field label="Description" value={rule.description} onChange={(value) => changeRule(index, (next) => (next.description = value))} errors={fieldErrors(`rules.${index}.description`)} />
                  <CelEditor label="Condition (CEL)" value={rule.condition} onChange={(value) => changeRule(index, (next) => (next.condition = value))} problems={problems.get(`rules.${index}.condition`) ?? []} />
                  <div className="grid-3">
                    <Field label="Action" value={rule.action.kind} options={ACTION_KINDS} onChange={(value) => changeRule(index, (next) => (next.action = actionWith(next.action, value as RuleAction['kind'])))} errors={fieldErrors(`rules.${index}.action.kind`)} />
                    {rule.action.kind === 'inspect' ? (
                      <>
                        <Field label="Inspection level" value={rule.action.level ?? 'II'} options={LEVELS} onChange={(value) => changeRule(index, (next) => (next.action = { ...next.action, level: value }))} errors={fieldErrors(`rules.${index}.action.level`)} />
                        <Field label="AQL" type="number" value={String(rule.action.aql ?? '')} onChange={(value) => changeRule(index, (next) => (next.action = { ...next.action, aql: Number(value) }))} errors={fieldErrors(`rules.${index}.action.aql`)} />
                      </>
                    ) : null}
                  </div>
                  <button type="button" className="secondary" onClick={() => change((next) => next.rules.splice(index, 1))}>
                    Remove rule {rule.id || index + 1}
                  </button>
                </fieldset>
              </li>
            ))}
          </ol>
          <button
            type="button"
            className="secondary"
            onClick={() =>
              change((next) =>
                next.rules.unshift({ id: `rule-${next.rules.length + 1}`, priority: Math.max(0, ...next.rules.map((rule) => rule.priority)) + 10, owner: 'operations', description: '', condition: 'true', action: { kind: 'inspect', level: 'II', aql: 1 } }),
              )
            }
          >
            Add a rule
          </button>
          <Field label="Note for this version" value={draft.note} onChange={(value) => setDraft({ ...draft, note: value, dirty: true })} hint="What changed and why, for the history." />
          <div className="actions">
            <button type="button" onClick={() => void save()} disabled={busy !== null}>
              Save draft
            </button>
            <button type="button" onClick={() => void simulate()} disabled={busy !== null}>
              Simulate
            </button>
            <button type="button" onClick={() => void publish()} disabled={busy !== null}>
              Publish
            </button>
            <button type="button" className="secondary" onClick={() => setDraft(draftOf(null))} disabled={busy !== null}>
              Start empty
            </button>
          </div>
          {busy === null ? null : <Status>{busy}…</Status>}
          {message === null ? null : <Status>{message}</Status>}
          <ErrorMessage error={error} />
          {report === null ? null : <SimulationView report={report} />}
        </section>
        <section aria-labelledby="versions-heading" className="versions">
          <h2 id="versions-heading">Versions</h2>
          <ErrorMessage error={versions.error} />
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Status</th>
                <th scope="col">Note</th>
                <th scope="col">
                  <span className="visually-hidden">Open</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {(versions.data?.versions ?? []).map((version) => (
                <tr key={version.version} className={version.active ? 'active-row' : undefined}>
                  <td>{version.version}</td>
                  <td>
                    {version.active ? <strong>in force</strong> : version.status}
                    <div className="muted">{version.status === 'published' ? formatTime(version.published_at) : formatTime(version.created_at)}</div>
                  </td>
                  <td>{version.note || '—'}</td>
                  <td>
                    <button type="button" className="secondary small" onClick={() => { setDraft(draftOf(version)); setReport(null); setMessage(version.status === 'draft' ? null : `Editing a new draft based on version ${version.version}.`); }}>
                      {version.status === 'draft' ? `Edit ${version.version}` : `Copy ${version.version}`}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>
    </>
  );
}
