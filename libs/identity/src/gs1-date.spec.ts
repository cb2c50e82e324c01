import { describe, expect, it } from 'vitest';
import { gs1DateToIsoDate, isValidGs1Date } from './gs1-date.js';

const IN_2026 = new Date(Date.UTC(2026, 5, 1));

describe('gs1DateToIsoDate', () => {
  it.each([
    ['271231', '2027-12-31'],
    ['271200', '2027-12-31'], // DD 00: the end of the month
    ['270200', '2027-02-28'],
    ['280200', '2028-02-29'],
    ['280229', '2028-02-29'],
    ['000229', '2000-02-29'],
    ['760101', '2076-01-01'], // up to 50 years ahead
    ['770101', '1977-01-01'], // 51 years ahead is the previous century
  ])('reads %s as %s in 2026', (yymmdd, iso) => {
    expect(gs1DateToIsoDate(yymmdd, IN_2026)).toBe(iso);
  });

  it('moves the century window with the current year (GS1 General Specifications §7.12)', () => {
    expect(gs1DateToIsoDate('010101', new Date(Date.UTC(2090, 0, 1)))).toBe('2101-01-01');
    expect(gs1DateToIsoDate('400101', new Date(Date.UTC(2090, 0, 1)))).toBe('2140-01-01');
    expect(gs1DateToIsoDate('410101', new Date(Date.UTC(2090, 0, 1)))).toBe('2041-01-01');
  });

  it.each(['271332', '270230', '270229', '271232', '270001', '2712', '27123a', ' 71231', '2712310'])('refuses %s', (yymmdd) => {
    expect(gs1DateToIsoDate(yymmdd, IN_2026)).toBeUndefined();
    expect(isValidGs1Date(yymmdd, IN_2026)).toBe(false);
  });
});
