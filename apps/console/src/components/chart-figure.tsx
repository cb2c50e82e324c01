import { useId, type ReactNode } from 'react';

export interface DataColumn<Row> {
  readonly label: string;
  readonly value: (row: Row) => ReactNode;
}

/**
 * A chart with its caption, and the same figures as a table for screen readers and for anyone who
 * wants the numbers (the SVG chart itself is hidden from assistive technology).
 */
export function ChartFigure<Row>({ title, rows, columns, children, empty }: { title: string; rows: readonly Row[]; columns: readonly DataColumn<Row>[]; children: ReactNode; empty?: string }) {
  const id = useId();
  return (
    <figure className="chart" aria-labelledby={id}>
      <figcaption id={id}>{title}</figcaption>
      {rows.length === 0 ? (
        <p className="empty">{empty ?? 'No data yet.'}</p>
      ) : (
        <>
          <div className="chart-canvas" aria-hidden="true">
            {children}
          </div>
          <details>
            <summary>Show the figures</summary>
            <table>
              <caption className="visually-hidden">{title}</caption>
              <thead>
                <tr>
                  {columns.map((column) => (
                    <th key={column.label} scope="col">
                      {column.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((row, index) => (
                  <tr key={index}>
                    {columns.map((column) => (
                      <td key={column.label}>{column.value(row)}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </>
      )}
    </figure>
  );
}
