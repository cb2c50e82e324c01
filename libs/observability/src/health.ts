/** A dependency the service needs before it can serve: the database, Kafka, the chain. */
export interface ReadinessCheck {
  readonly name: string;
  /** Resolves when healthy; rejects with the reason otherwise. */
  check(): Promise<void>;
}

export interface ReadinessReport {
  readonly status: 'ready' | 'not_ready';
  readonly checks: Record<string, { status: 'up' | 'down'; error?: string; latencyMs: number }>;
}

const CHECK_TIMEOUT_MS = 2_000;

function withTimeout(work: Promise<void>, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} check timed out after ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
    work.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}

export async function runReadinessChecks(checks: readonly ReadinessCheck[]): Promise<ReadinessReport> {
  const results = await Promise.all(
    checks.map(async (readiness) => {
      const started = performance.now();
      try {
        await withTimeout(readiness.check(), readiness.name);
        return [readiness.name, { status: 'up' as const, latencyMs: Math.round(performance.now() - started) }] as const;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return [readiness.name, { status: 'down' as const, error: message, latencyMs: Math.round(performance.now() - started) }] as const;
      }
    }),
  );
  const report = Object.fromEntries(results);
  return { status: results.every(([, result]) => result.status === 'up') ? 'ready' : 'not_ready', checks: report };
}
