import { describe, expect, it } from 'vitest';
import { acceptCorrelationId, currentCorrelationId, runWithCorrelation } from './correlation.js';

describe('correlation', () => {
  it('carries the id through async work', async () => {
    const seen = await runWithCorrelation('req-42', async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return currentCorrelationId();
    });
    expect(seen).toBe('req-42');
    expect(currentCorrelationId()).toBeUndefined();
  });

  it('replaces ids that could inject headers or are too long', () => {
    expect(acceptCorrelationId('ok-id_1')).toBe('ok-id_1');
    expect(acceptCorrelationId('bad\r\nid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(acceptCorrelationId('x'.repeat(200))).toMatch(/^[0-9a-f-]{36}$/);
  });
});
