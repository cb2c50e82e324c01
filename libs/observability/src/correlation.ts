import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** The header (HTTP), metadata key (gRPC) and CloudEvents extension that carry one request's id. */
export const CORRELATION_HEADER = 'x-correlation-id';

interface CorrelationContext {
  readonly correlationId: string;
}

const storage = new AsyncLocalStorage<CorrelationContext>();

export function currentCorrelationId(): string | undefined {
  return storage.getStore()?.correlationId;
}

/** Runs `work` with a correlation id visible to every log line and outgoing call it makes. */
export function runWithCorrelation<T>(correlationId: string | undefined, work: () => T): T {
  return storage.run({ correlationId: acceptCorrelationId(correlationId) }, work);
}

/** Keeps a caller's id when it is sane (no header injection, bounded length); otherwise makes one. */
export function acceptCorrelationId(candidate: string | undefined): string {
  return candidate !== undefined && /^[A-Za-z0-9._:-]{1,128}$/.test(candidate) ? candidate : randomUUID();
}
