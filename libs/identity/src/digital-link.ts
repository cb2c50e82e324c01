/**
 * GS1 Digital Link URIs for trade items (GS1 Digital Link standard 1.x, URI syntax):
 *
 *   https://id.gs1.org/01/{gtin}/22/{cpv}/10/{lot}/21/{serial}?17={YYMMDD}&{other AI}={value}
 *
 * Implemented here from the standard and its ABNF grammar rather than with GS1's npm
 * `digital-link.js`: that package is CommonJS without type declarations, validates through an
 * ABNF parser runtime (apg-lib) and a check-digit package from a personal npm scope, and covers
 * every GS1 key while we need the GTIN's alone; the rules below are the grammar's for AI 01, and
 * the specs test them rule by rule.
 *
 * - The path carries the primary key and its qualifiers, in the one order the grammar allows:
 *   `/01/` then optionally `/22/`, `/10/`, `/21/`. A custom domain may put a path before `/01/`.
 * - GTIN-8, -12 and -13 are accepted and always expressed as GTIN-14.
 * - Qualifier values are GS1 character set 82, 1 to 20 characters. In a URI, only `A-Z a-z 0-9 - . _`
 *   stand for themselves; every other character of set 82 is percent-encoded (`%2F`, `%21`, ...),
 *   upper-case hex on output, either case on input.
 * - The query string (`&` or `;` separated) carries data attributes: AI 17 (expiry, YYMMDD, a real
 *   date; DD 00 = end of month) and any other AI the grammar lists there, kept in `attributes`.
 *   AI 10 may stand there instead of the path. Non-numeric keys (e.g. `linkType`) are not GS1 data
 *   and are ignored, as the standard's extension mechanism says.
 */
import {
  AI_CPV,
  AI_EXPIRY,
  AI_GTIN,
  AI_LOT,
  AI_SERIAL,
  attributeFormat,
  CSET_82,
  GTIN_QUALIFIERS,
  type GtinQualifier,
  matchesFormat,
  QUALIFIER_MAX_LENGTH,
} from './application-identifiers.js';
import { DigitalLinkException } from './digital-link.exception.js';
import { isValidGs1Date } from './gs1-date.js';
import { parseGtin } from './gtin.js';

export interface DigitalLinkKeys {
  /** GTIN-14. */
  readonly gtin: string;
  /** AI 22, consumer product variant. */
  readonly cpv?: string;
  /** AI 10, batch or lot. */
  readonly lot?: string;
  /** AI 21, serial number. */
  readonly serial?: string;
  /** AI 17, expiry date YYMMDD (DD 00: the end of the month). */
  readonly expiry?: string;
  /** Other GS1 data attributes of the query string, by AI (e.g. `{ '3103': '000189' }`), values decoded. */
  readonly attributes?: Readonly<Record<string, string>>;
}

export interface DigitalLinkOptions {
  /** The resolver's origin (`https://host[:port]`), optionally with a path prefix; default GS1's. */
  readonly resolver?: string;
}

type KeysUnderConstruction = { -readonly [Key in keyof DigitalLinkKeys]: DigitalLinkKeys[Key] };

export const DEFAULT_RESOLVER = 'https://id.gs1.org';

/** Date-valued attributes besides AI 17, checked as dates too. */
const DATE_ATTRIBUTES = new Set(['11', '12', '13', '15', '16', '7006']);
const QUALIFIER_FIELDS: Readonly<Record<GtinQualifier, 'cpv' | 'lot' | 'serial'>> = { '22': 'cpv', '10': 'lot', '21': 'serial' };
const URI_UNRESERVED = /^[A-Za-z0-9\-._]$/;
const WHOLE_URI = /^(https?):\/\/([^/?#\s]+)([^?#\s]*)(?:\?([^#\s]*))?(?:#\S*)?$/i;
const RESOLVER = /^https?:\/\/[^/?#\s]+(?:\/[^?#\s]*)?$/i;

export function buildDigitalLink(keys: DigitalLinkKeys, options: DigitalLinkOptions = {}): string {
  const resolver = options.resolver ?? DEFAULT_RESOLVER;
  if (!RESOLVER.test(resolver)) {
    throw new DigitalLinkException('bad-resolver', `the resolver must be an http(s) origin, not ${JSON.stringify(resolver)}`);
  }
  const checked = checkKeys(keys);
  let path = `/${AI_GTIN}/${checked.gtin}`;
  for (const ai of GTIN_QUALIFIERS) {
    const value = checked[QUALIFIER_FIELDS[ai]];
    if (value !== undefined) path += `/${ai}/${percentEncode(value)}`;
  }
  const query: string[] = [];
  if (checked.expiry !== undefined) query.push(`${AI_EXPIRY}=${checked.expiry}`);
  for (const [ai, value] of Object.entries(checked.attributes ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
    query.push(`${ai}=${percentEncode(value)}`);
  }
  return `${resolver.replace(/\/+$/, '')}${path}${query.length > 0 ? `?${query.join('&')}` : ''}`;
}

/** Parses a whole Digital Link URI of any domain (scheme and host in any case). */
export function parseDigitalLink(uri: string): DigitalLinkKeys {
  const parts = WHOLE_URI.exec(uri);
  if (!parts) throw new DigitalLinkException('not-digital-link', 'a GS1 Digital Link is an http(s) URI');
  return parsePathAndQuery(parts[3] ?? '', parts[4]);
}

/** Parses what a resolver receives: the path and query, e.g. `/01/09506000134352/21/ABC?17=271231`. */
export function parseDigitalLinkPath(pathAndQuery: string): DigitalLinkKeys {
  const parts = /^(\/[^?#\s]*)(?:\?([^#\s]*))?(?:#\S*)?$/.exec(pathAndQuery);
  if (!parts) throw new DigitalLinkException('not-digital-link', 'a GS1 Digital Link path starts with / and has no spaces');
  return parsePathAndQuery(parts[1] ?? '', parts[2]);
}

function parsePathAndQuery(path: string, query: string | undefined): DigitalLinkKeys {
  const segments = path.split('/').slice(1);
  // The link is the rightmost `01` followed by whole AI/value pairs: anything before it is a custom
  // path prefix, and a value that happens to read `01` is never followed by an even count.
  let start = segments.length - 2;
  while (start >= 0 && segments[start] !== AI_GTIN) start -= 2;
  if (start < 0) {
    throw new DigitalLinkException('not-digital-link', 'the path has no /01/{gtin} followed by AI/value pairs');
  }
  const keys: KeysUnderConstruction = {
    gtin: checkGtin(decodeValue(segments[start + 1] ?? '', AI_GTIN)),
  };
  let previous = -1;
  for (let index = start + 2; index < segments.length; index += 2) {
    const ai = segments[index] ?? '';
    const position = GTIN_QUALIFIERS.indexOf(ai as GtinQualifier);
    if (position < 0) {
      if (ai === AI_GTIN || attributeFormat(ai) !== undefined) {
        throw new DigitalLinkException('bad-order', `AI ${ai} may not follow /01/ in the path: only 22, 10 and 21 may, in that order`);
      }
      throw new DigitalLinkException('unknown-ai', `AI ${JSON.stringify(ai)} is no key qualifier of a GTIN (22, 10, 21)`);
    }
    if (position === previous) throw new DigitalLinkException('duplicate-ai', `AI ${ai} appears twice in the path`);
    if (position < previous) {
      throw new DigitalLinkException('bad-order', `AI ${ai} comes after AI ${GTIN_QUALIFIERS[previous]}: the path order is 22, 10, 21`);
    }
    previous = position;
    keys[QUALIFIER_FIELDS[ai as GtinQualifier]] = checkQualifier(ai, decodeValue(segments[index + 1] ?? '', ai));
  }
  if (query !== undefined) parseQuery(query, keys);
  return keys;
}

function parseQuery(query: string, keys: KeysUnderConstruction): void {
  const seen = new Set<string>();
  for (const parameter of query.split(/[&;]/)) {
    if (parameter === '') continue;
    const equals = parameter.indexOf('=');
    const ai = equals < 0 ? parameter : parameter.slice(0, equals);
    // Keys that are not all digits are the standard's extension parameters (linkType, context, ...).
    if (!/^\d+$/.test(ai)) continue;
    if (seen.has(ai)) throw new DigitalLinkException('duplicate-ai', `AI ${ai} appears twice in the query string`);
    seen.add(ai);
    const value = decodeValue(equals < 0 ? '' : parameter.slice(equals + 1), ai);
    if (ai === AI_GTIN) throw new DigitalLinkException('duplicate-ai', 'the GTIN (AI 01) is already in the path');
    if (ai === AI_CPV || ai === AI_SERIAL) {
      throw new DigitalLinkException('bad-order', `AI ${ai} is a key qualifier: it belongs in the path, not the query string`);
    }
    if (ai === AI_LOT) {
      if (keys.lot !== undefined) throw new DigitalLinkException('duplicate-ai', 'AI 10 is in both the path and the query string');
      keys.lot = checkQualifier(ai, value);
    } else if (ai === AI_EXPIRY) {
      keys.expiry = checkExpiry(value);
    } else {
      keys.attributes = { ...keys.attributes, [ai]: checkAttribute(ai, value) };
    }
  }
}

function checkKeys(keys: DigitalLinkKeys): DigitalLinkKeys {
  const checked: KeysUnderConstruction = {
    gtin: checkGtin(keys.gtin),
  };
  for (const ai of GTIN_QUALIFIERS) {
    const field = QUALIFIER_FIELDS[ai];
    const value = keys[field];
    if (value !== undefined) checked[field] = checkQualifier(ai, value);
  }
  if (keys.expiry !== undefined) checked.expiry = checkExpiry(keys.expiry);
  for (const [ai, value] of Object.entries(keys.attributes ?? {})) {
    if (([AI_GTIN, AI_LOT, AI_EXPIRY, AI_CPV, AI_SERIAL] as string[]).includes(ai)) {
      throw new DigitalLinkException('duplicate-ai', `AI ${ai} has its own field; it is not an attribute`);
    }
    checked.attributes = { ...checked.attributes, [ai]: checkAttribute(ai, value) };
  }
  return checked;
}

function checkGtin(value: string): string {
  const result = parseGtin(value);
  if (result.ok) return result.gtin14;
  throw new DigitalLinkException(result.problem === 'bad-check-digit' ? 'bad-check-digit' : 'bad-gtin', `GTIN ${JSON.stringify(value)}: ${result.message}`);
}

function checkQualifier(ai: string, value: string): string {
  if (value === '') throw new DigitalLinkException('empty-value', `AI ${ai} has an empty value`);
  if (!CSET_82.test(value)) {
    throw new DigitalLinkException('bad-characters', `AI ${ai} allows GS1 character set 82 only (printable ASCII less space, # $ @ [ \\ ] ^ \` { | } ~)`);
  }
  if (value.length > QUALIFIER_MAX_LENGTH) {
    throw new DigitalLinkException('too-long', `AI ${ai} has at most ${QUALIFIER_MAX_LENGTH} characters, not ${value.length}`);
  }
  return value;
}

function checkExpiry(value: string): string {
  if (!isValidGs1Date(value)) {
    throw new DigitalLinkException('bad-expiry', `AI 17 is a date YYMMDD (DD 00 for the end of the month), not ${JSON.stringify(value)}`);
  }
  return value;
}

function checkAttribute(ai: string, value: string): string {
  const format = attributeFormat(ai);
  if (format === undefined) throw new DigitalLinkException('unknown-ai', `AI ${ai} is no GS1 data attribute of a Digital Link`);
  if (value === '') throw new DigitalLinkException('empty-value', `AI ${ai} has an empty value`);
  if (!matchesFormat(value, format) || (DATE_ATTRIBUTES.has(ai) && !isValidGs1Date(value))) {
    throw new DigitalLinkException('bad-format', `AI ${ai} has the format ${format}; ${JSON.stringify(value)} does not match`);
  }
  return value;
}

/** Percent-encodes every character but `A-Z a-z 0-9 - . _`, as the standard requires of AI values. */
function percentEncode(value: string): string {
  let encoded = '';
  for (const character of value) {
    encoded += URI_UNRESERVED.test(character)
      ? character
      : `%${character.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return encoded;
}

/** Decodes an AI value, refusing characters the standard requires percent-encoded and bytes outside set 82. */
function decodeValue(raw: string, ai: string): string {
  let decoded = '';
  for (let index = 0; index < raw.length; index += 1) {
    const character = raw.charAt(index);
    if (character === '%') {
      const hex = raw.slice(index + 1, index + 3);
      const byte = /^[0-9A-Fa-f]{2}$/.test(hex) ? String.fromCharCode(Number.parseInt(hex, 16)) : '';
      if (byte === '' || !CSET_82.test(byte)) {
        throw new DigitalLinkException('bad-characters', `AI ${ai}: %${hex} is no percent-encoded character of GS1 set 82`);
      }
      decoded += byte;
      index += 2;
    } else if (URI_UNRESERVED.test(character)) {
      decoded += character;
    } else {
      throw new DigitalLinkException(
        'bad-characters',
        CSET_82.test(character)
          ? `AI ${ai}: ${JSON.stringify(character)} must be percent-encoded`
          : `AI ${ai}: ${JSON.stringify(character)} is not in GS1 character set 82`,
      );
    }
  }
  return decoded;
}
