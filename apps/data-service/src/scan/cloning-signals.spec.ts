import { describe, expect, it } from 'vitest';
import { cloningSignals, type Scan } from './cloning-signals.js';

const thresholds = { maxScans: 5, maxRegions: 2, minHoursBetweenCountries: 4 };
const at = (hours: number, region: string): Scan => ({ at: new Date(Date.UTC(2026, 10, 1) + hours * 3_600_000), region });

describe('cloningSignals', () => {
  it('raises nothing for a package scanned a few times where it was bought', () => {
    expect(cloningSignals([at(0, 'CN-SH'), at(2, 'CN-SH'), at(30, 'CN-JS')], thresholds)).toEqual([]);
  });

  it('flags too many scans and too many regions', () => {
    const scans = [at(0, 'CN-SH'), at(10, 'CN-BJ'), at(20, 'CN-GD'), at(30, 'CN-SH'), at(40, 'CN-SH'), at(50, 'CN-SH')];
    expect(cloningSignals(scans, thresholds).map((signal) => signal.kind)).toEqual(['too-many-scans', 'too-many-regions']);
  });

  it('flags two countries within hours, and not after a plausible journey or with unknown regions', () => {
    expect(cloningSignals([at(0, 'CN-SH'), at(1.5, 'DE-BY')], thresholds)).toEqual([
      { kind: 'implausible-travel', message: 'scanned in CN-SH and then in DE-BY 1.5 hours later' },
    ]);
    expect(cloningSignals([at(0, 'CN-SH'), at(13, 'DE-BY')], thresholds)).toEqual([]);
    expect(cloningSignals([at(0, 'CN-SH'), at(0.1, ''), at(0.2, 'CN-BJ')], thresholds)).toEqual([]);
  });
});
