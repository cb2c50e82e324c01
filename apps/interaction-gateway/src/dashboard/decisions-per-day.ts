const DAY_MS = 86_400_000;

export type OutcomeColumn = 'released' | 'inspection_ordered' | 'held';
export type DayCounts = { readonly day: string } & Record<OutcomeColumn, number>;

const COLUMNS: Readonly<Record<string, OutcomeColumn>> = { released: 'released', 'inspection-ordered': 'inspection_ordered', held: 'held' };

/** The first instant of the window: midnight UTC, `days - 1` days before `now`'s day. */
export function windowStart(days: number, now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - (days - 1) * DAY_MS);
}

/**
 * Decisions counted per UTC day of the window (oldest first, every day present, today last) by the
 * outcome they were decided with; decisions outside the window are ignored.
 */
export function decisionsPerDay(decisions: Iterable<{ decidedAt: string; initialOutcome: string; outcome: string }>, days: number, now: Date): DayCounts[] {
  const first = windowStart(days, now).getTime();
  const buckets = new Map<string, Record<OutcomeColumn, number>>();
  for (let index = 0; index < days; index += 1) buckets.set(new Date(first + index * DAY_MS).toISOString().slice(0, 10), { released: 0, inspection_ordered: 0, held: 0 });
  for (const decision of decisions) {
    const bucket = buckets.get(new Date(decision.decidedAt).toISOString().slice(0, 10));
    const column = COLUMNS[decision.initialOutcome || decision.outcome];
    if (bucket !== undefined && column !== undefined) bucket[column] += 1;
  }
  return [...buckets].map(([day, counts]) => ({ day, ...counts }));
}
