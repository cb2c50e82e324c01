import { afterEach, describe, expect, it } from 'vitest';
import { applyKafkajsIdleTimerFix, KafkajsRequestQueue } from './kafkajs-idle-timer.js';

interface Queue {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  destroy(): void;
}

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const queues: Queue[] = [];

function queue(): Queue {
  const Constructor = KafkajsRequestQueue as unknown as new (options: Record<string, unknown>) => Queue;
  const created = new Constructor({ maxInFlightRequests: 1, requestTimeout: 1_000, enforceRequestTimeout: false, clientId: 'spec', broker: 'spec:9092', logger: silent, isConnected: () => true });
  queues.push(created);
  return created;
}

afterEach(() => {
  for (const created of queues.splice(0)) {
    if (created.throttleCheckTimeoutId !== null) clearTimeout(created.throttleCheckTimeoutId);
  }
});

describe('the kafkajs idle timer fix', () => {
  applyKafkajsIdleTimerFix();

  it('arms no timer on an idle, unthrottled connection (upstream re-armed one every millisecond)', () => {
    const idle = queue();
    idle.checkPendingRequests();
    expect(idle.throttleCheckTimeoutId).toBeNull();
  });

  it('still arms one while requests wait, and while the broker throttles', () => {
    const waiting = queue();
    waiting.pending.push({});
    waiting.checkPendingRequests = () => undefined; // the timer is what is checked, not what it would send
    (KafkajsRequestQueue.prototype as unknown as { scheduleCheckPendingRequests(this: Queue): void }).scheduleCheckPendingRequests.call(waiting);
    expect(waiting.throttleCheckTimeoutId).not.toBeNull();

    const throttled = queue();
    throttled.throttledUntil = Date.now() + 60_000;
    throttled.checkPendingRequests();
    expect(throttled.throttleCheckTimeoutId).not.toBeNull();
  });

  it('is applied once however often it is called', () => {
    const method = (KafkajsRequestQueue.prototype as unknown as { scheduleCheckPendingRequests: unknown }).scheduleCheckPendingRequests;
    applyKafkajsIdleTimerFix();
    expect((KafkajsRequestQueue.prototype as unknown as { scheduleCheckPendingRequests: unknown }).scheduleCheckPendingRequests).toBe(method);
  });
});
