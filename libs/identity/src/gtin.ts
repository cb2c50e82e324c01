/**
 * GS1 GTIN validation (GS1 General Specifications §7.9): GTIN-8, -12, -13 and -14 are all
 * GTIN-14 once left-padded with zeros; the last digit is a mod-10 check digit with weights 3 and 1
 * alternating from the right.
 */
export type GtinProblem = 'not-digits' | 'wrong-length' | 'bad-check-digit';

export function gs1CheckDigit(digitsWithoutCheck: string): number {
  let sum = 0;
  for (let position = 0; position < digitsWithoutCheck.length; position += 1) {
    const digit = digitsWithoutCheck.charCodeAt(digitsWithoutCheck.length - 1 - position) - 48;
    sum += digit * (position % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

export type GtinResult = { ok: true; gtin14: string } | { ok: false; problem: GtinProblem; message: string };

/** Validates a GTIN of any standard length and returns its GTIN-14 form. */
export function parseGtin(input: string): GtinResult {
  if (!/^\d+$/.test(input)) return { ok: false, problem: 'not-digits', message: 'a GTIN has digits only' };
  if (![8, 12, 13, 14].includes(input.length)) {
    return { ok: false, problem: 'wrong-length', message: `a GTIN has 8, 12, 13 or 14 digits, not ${input.length}` };
  }
  const gtin14 = input.padStart(14, '0');
  const expected = gs1CheckDigit(gtin14.slice(0, 13));
  const actual = Number(gtin14[13]);
  if (expected !== actual) {
    return { ok: false, problem: 'bad-check-digit', message: `check digit should be ${expected}, not ${actual}` };
  }
  return { ok: true, gtin14 };
}
