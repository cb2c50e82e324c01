import { describe, expect, it } from 'vitest';
import { runReadinessChecks } from './health.js';

describe('runReadinessChecks', () => {
  it('is ready only when every check passes, and names the failing one', async () => {
    const report = await runReadinessChecks([
      { name: 'database', check: async () => undefined },
      { name: 'kafka', check: async () => Promise.reject(new Error('connection refused')) },
    ]);
    expect(report.status).toBe('not_ready');
    expect(report.checks['database']?.status).toBe('up');
    expect(report.checks['kafka']).toMatchObject({ status: 'down', error: 'connection refused' });
  });

  it('is ready with all checks up', async () => {
    expect((await runReadinessChecks([{ name: 'a', check: async () => undefined }])).status).toBe('ready');
  });
});
