/**
 * GS1 dates (YYMMDD, as in AI 17 expiry or AI 15 best before), GS1 General Specifications §7.12:
 * - the century is the one that puts the year within 49 years before and 50 years after the
 *   current year (so in 2026, `76` is 2076 and `77` is 1977);
 * - DD `00` means the month only, which for expiry and best-before dates is its last day.
 */
export function gs1DateToIsoDate(yymmdd: string, today: Date = new Date()): string | undefined {
  const parsed = /^(\d{2})(\d{2})(\d{2})$/.exec(yymmdd);
  if (!parsed) return undefined;
  const [yy, month, day] = [Number(parsed[1]), Number(parsed[2]), Number(parsed[3])];
  if (month < 1 || month > 12) return undefined;
  const year = fullYear(yy, today.getUTCFullYear());
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > lastDay) return undefined;
  return `${String(year).padStart(4, '0')}-${parsed[2]}-${String(day === 0 ? lastDay : day).padStart(2, '0')}`;
}

export function isValidGs1Date(yymmdd: string, today: Date = new Date()): boolean {
  return gs1DateToIsoDate(yymmdd, today) !== undefined;
}

function fullYear(yy: number, currentYear: number): number {
  const century = currentYear - (currentYear % 100);
  const difference = yy - (currentYear % 100);
  if (difference >= 51) return century - 100 + yy;
  if (difference <= -50) return century + 100 + yy;
  return century + yy;
}
