import { useId, useRef } from 'react';

export interface PositionedProblem {
  readonly message: string;
  readonly line: number | null;
  readonly column: number | null;
}

/**
 * A CEL condition with line numbers; each problem the engine reports is marked on its line in the
 * gutter and listed under the text as "Line L, column C: message", tied to the textarea for screen
 * readers. Clicking a problem puts the caret at its position.
 */
export function CelEditor({ label, value, onChange, problems }: { label: string; value: string; onChange: (value: string) => void; problems: readonly PositionedProblem[] }) {
  const id = useId();
  const errorsId = `${id}-problems`;
  const area = useRef<HTMLTextAreaElement>(null);
  const gutter = useRef<HTMLDivElement>(null);
  const lines = value.split('\n');
  const badLines = new Set(problems.map((problem) => problem.line).filter((line): line is number => line !== null));

  function goTo(problem: PositionedProblem) {
    const element = area.current;
    if (element === null || problem.line === null) return;
    const offset = lines.slice(0, problem.line - 1).reduce((sum, line) => sum + line.length + 1, 0) + Math.max(0, (problem.column ?? 1) - 1);
    element.focus();
    element.setSelectionRange(offset, offset);
  }

  return (
    <div className={`field cel-editor${problems.length > 0 ? ' has-error' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <div className="cel-frame">
        <div className="cel-gutter" aria-hidden="true" ref={gutter}>
          {lines.map((_, index) => (
            <div key={index} className={badLines.has(index + 1) ? 'cel-line error-line' : 'cel-line'} data-line={index + 1}>
              {badLines.has(index + 1) ? '✖ ' : ''}
              {index + 1}
            </div>
          ))}
        </div>
        <textarea
          id={id}
          ref={area}
          className="cel-text"
          spellCheck={false}
          autoCapitalize="off"
          autoComplete="off"
          rows={Math.max(2, Math.min(8, lines.length + 1))}
          value={value}
          aria-invalid={problems.length > 0}
          aria-describedby={problems.length > 0 ? errorsId : undefined}
          onScroll={(event) => {
            if (gutter.current !== null) gutter.current.scrollTop = event.currentTarget.scrollTop;
          }}
          onChange={(event) => onChange(event.target.value)}
        />
      </div>
      {problems.length === 0 ? null : (
        <ul id={errorsId} className="field-error cel-problems">
          {problems.map((problem, index) => (
            <li key={index} data-line={problem.line ?? undefined}>
              {problem.line === null ? (
                problem.message
              ) : (
                <button type="button" className="link" onClick={() => goTo(problem)}>
                  Line {problem.line}, column {problem.column ?? 1}: {problem.message}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
