/** How often and how long a notification is retried: exponential backoff, then a dead letter. */
export interface RetrySchedule {
  /** The wait after the first failed attempt; each further failure doubles it. */
  readonly baseMs: number;
  readonly maxDelayMs: number;
  /** Attempts in all (the first included) before the delivery becomes a dead letter. */
  readonly maxAttempts: number;
}

/** The wait before attempt `attempts + 1`, after `attempts` failures; null when none is left. */
export function nextDelayMs(schedule: RetrySchedule, attempts: number): number | null {
  if (attempts >= schedule.maxAttempts) return null;
  return Math.min(schedule.maxDelayMs, schedule.baseMs * 2 ** Math.max(0, attempts - 1));
}
