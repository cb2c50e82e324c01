import { createRequire } from 'node:module';

/**
 * kafkajs 2.2.4 (the last release; the project is unmaintained) re-arms a timer on every broker
 * connection's request queue after each check, even when nothing waits: with its default
 * `throttledUntil` of -1 the delay is negative, so the timer fires every millisecond for as long as
 * the connection lives (tulios/kafkajs#1556, #1704, #1751; Node 24 also warns TimeoutNegativeWarning).
 * With a producer and a few consumers per service that spin kept 5% of a core busy in each idle
 * service, and the broker-side fetch work that follows on top.
 *
 * The queue only needs a timer while requests wait (push() schedules one then, and a fulfilled or
 * timed-out request checks again) or while the broker throttles it. This wraps the method to skip
 * the timer otherwise — the fix proposed upstream — and is applied once, on load.
 */
interface RequestQueueState {
  readonly pending: unknown[];
  readonly throttledUntil: number;
}

const require = createRequire(import.meta.url);
const RequestQueue = require('kafkajs/src/network/requestQueue/index.js') as { prototype: RequestQueueState & { scheduleCheckPendingRequests(): void } };
const PATCHED = Symbol.for('traceport.kafkajs.idle-timer');

export function applyKafkajsIdleTimerFix(): void {
  const prototype = RequestQueue.prototype as RequestQueueState & { scheduleCheckPendingRequests(): void; [PATCHED]?: true };
  if (prototype[PATCHED]) return;
  const schedule = prototype.scheduleCheckPendingRequests;
  prototype.scheduleCheckPendingRequests = function scheduleWhenSomethingWaits(this: RequestQueueState) {
    if (this.pending.length === 0 && this.throttledUntil <= Date.now()) return;
    schedule.call(this);
  };
  prototype[PATCHED] = true;
}

/** The patched class, for its test. */
export const KafkajsRequestQueue = RequestQueue;
