import { canonicalIdentifierOrSelf, DL_HOST, encodeValue, gtinOf, IdentifierProblem, withCheck } from './gs1-identifier.js';

/**
 * What one value of a MATCH_ query parameter selects among stored identifiers, which are kept in
 * canonical form (gs1-identifier.ts): identifiers equal to `exact`, and identifiers matching
 * `patterns` (PostgreSQL regular expressions over the canonical form).
 *
 * EPCIS 2.0 §8.2.7.1.1: a value is an identifier, compared for equality, or an EPC Pure Identity
 * Pattern (TDS §8, `urn:epc:idpat:<scheme>:...`), whose trailing components may be `*`:
 * `urn:epc:idpat:sgtin:0614141.112345.*` is every serial of one GTIN, `urn:epc:idpat:sgtin:0614141.*.*`
 * every GTIN of one company prefix, `urn:epc:idpat:sscc:0614141.*` every SSCC of it. Digital Link
 * has no pattern syntax; the one equivalence GS1 defines is the GTIN-only URI
 * (`https://id.gs1.org/01/10614141123452`), which stands for `urn:epc:idpat:sgtin:0614141.112345.*`.
 *
 * Canonical GS1 keys no longer say where their company prefix ends, but GS1 company prefixes are
 * allocated so that none is the beginning of another, so "the key's digits after its indicator or
 * extension digit begin with the prefix" is exactly "the key has that prefix".
 */
export interface IdentifierSelection {
  readonly exact: string[];
  readonly patterns: string[];
}

/** Instance identifiers (epcList, parentID, ...) or class identifiers (the epcClass of quantity lists). */
export type IdentifierKind = 'instance' | 'class';

export class EpcPatternProblem extends Error {
  override readonly name = 'EpcPatternProblem';
}

const HOST = `^${DL_HOST.replace(/[.]/g, '\\.')}/`;
const DIGIT = '[0-9]';
const digits = (count: number) => `${DIGIT}{${count}}`;
const SEGMENT = '[^/]+';
const GTIN_ONLY = new RegExp(`${HOST}01/(\\d{14})$`);

function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function companyPrefix(value: string, what: string): string {
  if (!/^\d{6,12}$/.test(value)) throw new EpcPatternProblem(`${what}: a GS1 company prefix is 6 to 12 digits, not "${value}"`);
  return value;
}

/** The suffix after a GTIN: a serial for instances; for classes, nothing (the GTIN) or a lot. */
const afterGtin = (kind: IdentifierKind) => (kind === 'instance' ? `/21/${SEGMENT}` : `(/10/${SEGMENT})?`);

/** A GTIN-level selection: every serial (instances) or lot (classes) of one GTIN, and the GTIN itself. */
function gtinLevel(gtin: string, kind: IdentifierKind): string {
  return `${HOST}01/${gtin}${afterGtin(kind)}$`;
}

/**
 * A GS1 key whose canonical value is `<ai>/<length digits>`: `lead` (an indicator or extension digit,
 * or GRAI's leading zero) then the company prefix, when one is given, then any digits.
 */
function keyPattern(ai: string, length: number, lead: '' | '0' | typeof DIGIT, prefix: string | undefined, suffix = ''): string {
  const body = prefix === undefined ? digits(length) : `${lead}${prefix}${digits(length - (lead === '' ? 0 : 1) - prefix.length)}`;
  return `${HOST}${ai}/${body}${suffix}$`;
}

/** Company prefix and a second all-digit component of `total` digits together (TDS's partition rule). */
function prefixAnd(fixed: readonly string[], total: number, what: string): string {
  const [prefix, reference] = [companyPrefix(fixed[0]!, what), fixed[1]!];
  if (!/^\d+$/.test(reference) || prefix.length + reference.length !== total) throw new EpcPatternProblem(`${what}: the company prefix and the next component are ${total} digits together`);
  return prefix + reference;
}

/** Canonical-form expression for the keys of one EPC scheme, given the components before the first `*`. */
type SchemePattern = (fixed: readonly string[], what: string, kind: IdentifierKind) => string;

const prefixOf = (fixed: readonly string[], what: string) => (fixed.length === 0 ? undefined : companyPrefix(fixed[0]!, what));

/** GDTI and GCN: the company prefix and type (12 digits), a check digit, then the serial. */
const documentKey =
  (ai: string): SchemePattern =>
  (fixed, what) =>
    fixed.length === 2 ? `${HOST}${ai}/${withCheck(prefixAnd(fixed, 12, what))}${SEGMENT}$` : keyPattern(ai, 13, '', prefixOf(fixed, what), SEGMENT);

const SCHEMES: Record<string, { readonly components: number; readonly pattern: SchemePattern }> = {
  sgtin: {
    components: 3,
    pattern: (fixed, what, kind) =>
      fixed.length === 2 ? gtinLevel(gtinOf(companyPrefix(fixed[0]!, what), fixed[1]!, what), kind) : keyPattern('01', 14, DIGIT, prefixOf(fixed, what), afterGtin(kind)),
  },
  sscc: { components: 2, pattern: (fixed, what) => keyPattern('00', 18, DIGIT, prefixOf(fixed, what)) },
  sgln: {
    components: 3,
    pattern: (fixed, what) => {
      const extension = `(/254/${SEGMENT})?`;
      return fixed.length === 2 ? `${HOST}414/${withCheck(prefixAnd(fixed, 12, what))}${extension}$` : keyPattern('414', 13, '', prefixOf(fixed, what), extension);
    },
  },
  grai: {
    components: 3,
    pattern: (fixed, what) =>
      fixed.length === 2 ? `${HOST}8003/${withCheck(`0${prefixAnd(fixed, 12, what)}`)}${SEGMENT}$` : keyPattern('8003', 14, '0', prefixOf(fixed, what), SEGMENT),
  },
  giai: { components: 2, pattern: (fixed, what) => `${HOST}8004/${prefixOf(fixed, what) ?? ''}${SEGMENT}$` },
  gsrn: { components: 2, pattern: (fixed, what) => keyPattern('8018', 18, '', prefixOf(fixed, what)) },
  gsrnp: { components: 2, pattern: (fixed, what) => keyPattern('8017', 18, '', prefixOf(fixed, what)) },
  pgln: { components: 2, pattern: (fixed, what) => keyPattern('417', 13, '', prefixOf(fixed, what)) },
  gdti: { components: 3, pattern: documentKey('253') },
  sgcn: { components: 3, pattern: documentKey('255') },
  cpi: {
    components: 3,
    pattern: (fixed, what) => {
      const part =
        fixed.length === 0 ? SEGMENT : fixed.length === 1 ? `${companyPrefix(fixed[0]!, what)}[^/]*` : literal(encodeValue(companyPrefix(fixed[0]!, what) + decodeURIComponent(fixed[1]!)));
      return `${HOST}8010/${part}/8011/${SEGMENT}$`;
    },
  },
};

/**
 * What one MATCH_ value selects. Throws EpcPatternProblem for a pattern TDS does not allow (a `*`
 * followed by a value, a company prefix that is not one); any other value that is not a valid
 * identifier is kept as written and simply matches nothing stored otherwise.
 */
export function identifierSelectionOf(value: string, kind: IdentifierKind): IdentifierSelection {
  const trimmed = value.trim();
  const pattern = /^urn:epc:idpat:([a-z0-9]+):(.+)$/i.exec(trimmed);
  if (pattern === null) {
    const canonical = canonicalIdentifierOrSelf(trimmed);
    const gtin = GTIN_ONLY.exec(canonical)?.[1];
    return { exact: [canonical], patterns: gtin === undefined ? [] : [gtinLevel(gtin, kind)] };
  }
  const scheme = pattern[1]!.toLowerCase();
  const components = pattern[2]!.split('.');
  const what = `urn:epc:idpat:${scheme}`;
  const star = components.indexOf('*');
  if (star < 0) return { exact: [canonicalIdentifierOrSelf(`urn:epc:id:${scheme}:${pattern[2]!}`)], patterns: [] };
  if (components.slice(star).some((component) => component !== '*')) throw new EpcPatternProblem(`${what}: only trailing components may be *`);
  const fixed = components.slice(0, star);
  // The pattern as written too: an event may name one itself (a GTIN as `cp.ir.*` in a quantity list).
  const exact = [canonicalIdentifierOrSelf(trimmed)];
  const known = SCHEMES[scheme];
  if (known === undefined) {
    // Schemes without a Digital Link form are stored as EPC URNs: match those directly.
    const body = [...fixed.map(literal), ...components.slice(star).map(() => '[^.]+')].join('\\.');
    return { exact, patterns: [`^urn:epc:id:${literal(scheme)}:${body}$`] };
  }
  if (components.length !== known.components) throw new EpcPatternProblem(`${what} has ${known.components} components, not ${components.length}`);
  try {
    return { exact, patterns: [known.pattern(fixed, what, kind)] };
  } catch (error) {
    if (error instanceof IdentifierProblem) throw new EpcPatternProblem(error.message);
    if (error instanceof URIError) throw new EpcPatternProblem(`${what}: a component is not validly percent-encoded`);
    throw error;
  }
}
