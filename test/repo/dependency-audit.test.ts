import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// Production dependencies free of known high or critical advisories (npm audit). The advisory
// service is a registry POST endpoint; where the network refuses it (some mirrors and proxies answer
// 405), the test says so and skips rather than pass silently. Anywhere it answers, it gates.

const root = join(import.meta.dirname, '../..');

interface AuditReport {
  readonly metadata?: { readonly vulnerabilities: Record<'info' | 'low' | 'moderate' | 'high' | 'critical' | 'total', number> };
  readonly vulnerabilities?: Record<string, { readonly severity: string; readonly via: readonly (string | { readonly title: string; readonly url: string })[] }>;
  readonly error?: { readonly summary: string };
  readonly message?: string;
}

function audit(): AuditReport {
  const result = spawnSync('npm', ['audit', '--omit=dev', '--json'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 2 ** 20, timeout: 120_000 });
  try {
    return JSON.parse(result.stdout) as AuditReport;
  } catch {
    return { message: `npm audit printed no report: ${result.error?.message ?? result.stderr.slice(0, 500)}` };
  }
}

describe('dependency audit', () => {
  const report = audit();
  const unavailable = report.metadata === undefined;
  const why = (report.message ?? report.error?.summary ?? 'no report').replace(/https?:\/\/\S+/g, 'the advisory endpoint');
  if (unavailable) console.warn(`npm audit unavailable here, dependency audit skipped: ${why}`);

  it.skipIf(unavailable)('finds no high or critical advisory in the production dependencies', () => {
    const serious = Object.entries(report.vulnerabilities ?? {})
      .filter(([, entry]) => entry.severity === 'high' || entry.severity === 'critical')
      .map(([name, entry]) => `${name} (${entry.severity}): ${entry.via.map((via) => (typeof via === 'string' ? via : `${via.title} ${via.url}`)).join('; ')}`);
    expect(serious).toEqual([]);
  });
});
