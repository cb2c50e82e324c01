import { gs1CheckDigit, parseGtin } from '@traceport/identity';

/**
 * One identifier in its canonical form, with the GS1 keys the trail links on. EPCIS 2.0 lets a
 * capturing system write the same thing as an EPC URN (urn:epc:id:sgtin:...) or as a GS1 Digital
 * Link URI on any domain; we keep the constrained canonical GS1 Digital Link form of the EPCIS event
 * hash rules (CBV 2.0 §8.9: domain id.gs1.org, no query string, the finest key level only), because
 * it is EPCIS 2.0's preferred syntax, is what the event hash itself is computed over, and covers
 * every GS1 key. Identifiers with no Digital Link equivalent (geo:, urn:epc:id:gid, private URIs)
 * stay as written.
 */
export interface CanonicalIdentifier {
  readonly canonical: string;
  /** GTIN-14 when the identifier names a trade item, a class of one, or a lot of one. */
  readonly gtin?: string;
  readonly lot?: string;
  readonly serial?: string;
}

export class IdentifierProblem extends Error {
  override readonly name = 'IdentifierProblem';
}

/** The domain of canonical GS1 Digital Link URIs (CBV 2.0 §8.9). */
export const DL_HOST = 'https://id.gs1.org';

/** Alphabetic AI names of early Digital Link drafts, still met in the wild. */
const AI_ALIASES: Record<string, string> = {
  gtin: '01', lot: '10', ser: '21', cpv: '22', sscc: '00', gln: '414', party: '417', glnx: '254',
  grai: '8003', giai: '8004', gsrn: '8018', gsrnp: '8017', gdti: '253', gcn: '255', cpid: '8010', itip: '8006',
};

/** Primary keys and, for each, the qualifiers that keep a finer level (finest first). */
const PRIMARY_KEYS: Record<string, readonly string[]> = {
  '00': [], '01': ['21', '10', '235'], '253': [], '255': [], '401': [], '402': [], '414': ['254'], '417': [],
  '8003': [], '8004': [], '8006': ['21', '10'], '8010': ['8011'], '8017': [], '8018': [],
};

function assertCheckDigit(what: string, digits: string): void {
  const expected = gs1CheckDigit(digits.slice(0, -1));
  if (Number(digits.at(-1)) !== expected) {
    throw new IdentifierProblem(`${what} ${digits} has a wrong check digit: it should be ${expected}, not ${digits.at(-1)}`);
  }
}

function fixedDigits(what: string, value: string, length: number): string {
  if (!new RegExp(`^\\d{${length}}$`).test(value)) throw new IdentifierProblem(`${what} must be ${length} digits, not "${value}"`);
  assertCheckDigit(what, value);
  return value;
}

function gtin14(value: string): string {
  const parsed = parseGtin(value);
  if (!parsed.ok) throw new IdentifierProblem(`GTIN ${value}: ${parsed.message}`);
  return parsed.gtin14;
}

function decodeComponent(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new IdentifierProblem(`"${value}" is not validly percent-encoded`);
  }
}

/** A Digital Link path value, percent-encoded as GS1 Digital Link 1.2 §4.11 canonicalises it. */
export function encodeValue(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function fromDigitalLink(url: URL): CanonicalIdentifier | undefined {
  const segments = url.pathname.split('/').filter((segment) => segment.length > 0).map((segment) => AI_ALIASES[segment] ?? segment);
  const start = segments.findIndex((segment, index) => segment in PRIMARY_KEYS && index + 1 < segments.length);
  if (start < 0) return undefined;
  const pairs = new Map<string, string>();
  for (let index = start; index + 1 < segments.length; index += 2) pairs.set(segments[index]!, decodeComponent(segments[index + 1]!));
  const primary = segments[start]!;
  let key = pairs.get(primary)!;
  const result: { gtin?: string; lot?: string; serial?: string } = {};
  switch (primary) {
    case '01':
      key = gtin14(key);
      result.gtin = key;
      if (pairs.has('10')) result.lot = pairs.get('10')!;
      if (pairs.has('21')) result.serial = pairs.get('21')!;
      break;
    case '00':
      key = fixedDigits('SSCC', key, 18);
      break;
    case '414':
    case '417':
      key = fixedDigits('GLN', key, 13);
      break;
    case '8017':
    case '8018':
      key = fixedDigits('GSRN', key, 18);
      break;
    case '8006':
      if (!/^\d{18}$/.test(key)) throw new IdentifierProblem(`ITIP ${key} must be 18 digits`);
      result.gtin = gtin14(key.slice(0, 14));
      if (pairs.has('10')) result.lot = pairs.get('10')!;
      if (pairs.has('21')) result.serial = pairs.get('21')!;
      break;
    default:
      break;
  }
  const qualifier = PRIMARY_KEYS[primary]!.find((ai) => pairs.has(ai));
  const canonical = `${DL_HOST}/${primary}/${encodeValue(key)}${qualifier === undefined ? '' : `/${qualifier}/${encodeValue(pairs.get(qualifier)!)}`}`;
  return { canonical, ...result };
}

/** Company prefix + reference → the GS1 key body, as EPC Tag Data Standard §6 lays them out. */
function epcParts(body: string, count: number, what: string): string[] {
  const parts = body.split('.');
  if (parts.length !== count) throw new IdentifierProblem(`${what} needs ${count} dot-separated parts, got "${body}"`);
  return parts;
}

/** The GTIN-14 of an EPC's company prefix and indicator-plus-item-reference; throws IdentifierProblem. */
export function gtinOf(companyPrefix: string, itemReference: string, what: string): string {
  if (!/^\d+$/.test(companyPrefix) || !/^\d+$/.test(itemReference) || companyPrefix.length + itemReference.length !== 13) {
    throw new IdentifierProblem(`${what}: company prefix and item reference must be 13 digits together`);
  }
  const body = `${itemReference[0]}${companyPrefix}${itemReference.slice(1)}`;
  return `${body}${gs1CheckDigit(body)}`;
}

export function withCheck(body: string): string {
  return `${body}${gs1CheckDigit(body)}`;
}

function fromEpcUrn(value: string): CanonicalIdentifier | undefined {
  const match = /^urn:epc:(id|class|idpat):([a-z0-9]+):(.+)$/i.exec(value);
  if (match === null) return undefined;
  const [, kind, scheme, body] = match as unknown as [string, string, string, string];
  const what = `urn:epc:${kind}:${scheme}`;
  switch (`${kind.toLowerCase()}:${scheme.toLowerCase()}`) {
    case 'id:sgtin': {
      const [cp, ir, serial] = epcParts(body, 3, what) as [string, string, string];
      const gtin = gtinOf(cp, ir, what);
      const decoded = decodeComponent(serial);
      return { canonical: `${DL_HOST}/01/${gtin}/21/${encodeValue(decoded)}`, gtin, serial: decoded };
    }
    case 'class:lgtin': {
      const [cp, ir, lot] = epcParts(body, 3, what) as [string, string, string];
      const gtin = gtinOf(cp, ir, what);
      const decoded = decodeComponent(lot);
      return { canonical: `${DL_HOST}/01/${gtin}/10/${encodeValue(decoded)}`, gtin, lot: decoded };
    }
    case 'idpat:sgtin': {
      const [cp, ir, rest] = epcParts(body, 3, what) as [string, string, string];
      if (rest !== '*') return undefined;
      const gtin = gtinOf(cp, ir, what);
      return { canonical: `${DL_HOST}/01/${gtin}`, gtin };
    }
    case 'id:sscc': {
      const [cp, sr] = epcParts(body, 2, what) as [string, string];
      if (!/^\d+$/.test(cp + sr) || cp.length + sr.length !== 17) throw new IdentifierProblem(`${what}: 17 digits expected`);
      return { canonical: `${DL_HOST}/00/${withCheck(`${sr[0]}${cp}${sr.slice(1)}`)}` };
    }
    case 'id:sgln': {
      const [cp, lr, extension] = epcParts(body, 3, what) as [string, string, string];
      if (!/^\d+$/.test(cp + lr) || cp.length + lr.length !== 12) throw new IdentifierProblem(`${what}: 12 digits expected before the extension`);
      const gln = withCheck(cp + lr);
      const ext = decodeComponent(extension);
      return { canonical: `${DL_HOST}/414/${gln}${ext === '0' ? '' : `/254/${encodeValue(ext)}`}` };
    }
    case 'id:pgln': {
      const [cp, pr] = epcParts(body, 2, what) as [string, string];
      if (!/^\d+$/.test(cp + pr) || cp.length + pr.length !== 12) throw new IdentifierProblem(`${what}: 12 digits expected`);
      return { canonical: `${DL_HOST}/417/${withCheck(cp + pr)}` };
    }
    case 'id:grai': {
      const [cp, at, serial] = epcParts(body, 3, what) as [string, string, string];
      if (!/^\d+$/.test(cp + at) || cp.length + at.length !== 12) throw new IdentifierProblem(`${what}: 12 digits expected`);
      return { canonical: `${DL_HOST}/8003/${encodeValue(`${withCheck(`0${cp}${at}`)}${decodeComponent(serial)}`)}` };
    }
    case 'id:giai': {
      const [cp, reference] = epcParts(body, 2, what) as [string, string];
      return { canonical: `${DL_HOST}/8004/${encodeValue(cp + decodeComponent(reference))}` };
    }
    case 'id:gsrn':
    case 'id:gsrnp': {
      const [cp, sr] = epcParts(body, 2, what) as [string, string];
      if (!/^\d+$/.test(cp + sr) || cp.length + sr.length !== 17) throw new IdentifierProblem(`${what}: 17 digits expected`);
      return { canonical: `${DL_HOST}/${scheme.toLowerCase() === 'gsrn' ? '8018' : '8017'}/${withCheck(cp + sr)}` };
    }
    case 'id:gdti':
    case 'id:sgcn': {
      const [cp, dt, serial] = epcParts(body, 3, what) as [string, string, string];
      if (!/^\d+$/.test(cp + dt) || cp.length + dt.length !== 12) throw new IdentifierProblem(`${what}: 12 digits expected`);
      return { canonical: `${DL_HOST}/${scheme.toLowerCase() === 'gdti' ? '253' : '255'}/${encodeValue(withCheck(cp + dt) + decodeComponent(serial))}` };
    }
    case 'id:cpi': {
      const [cp, reference, serial] = epcParts(body, 3, what) as [string, string, string];
      return { canonical: `${DL_HOST}/8010/${encodeValue(cp + decodeComponent(reference))}/8011/${encodeValue(serial)}` };
    }
    default:
      return undefined;
  }
}

/**
 * The canonical form of an EPC, EPC class, location or party identifier. Throws IdentifierProblem
 * for an identifier that claims to be a GS1 key but is not one (a wrong check digit, a malformed URN).
 */
export function canonicalIdentifier(value: string): CanonicalIdentifier {
  const trimmed = value.trim();
  if (/^urn:epc:/i.test(trimmed)) return fromEpcUrn(trimmed) ?? { canonical: trimmed };
  if (/^https?:\/\//i.test(trimmed)) {
    let url: URL;
    try {
      url = new URL(trimmed);
    } catch {
      return { canonical: trimmed };
    }
    return fromDigitalLink(url) ?? { canonical: trimmed };
  }
  return { canonical: trimmed };
}

/** As canonicalIdentifier, for query parameters: an unparseable value simply matches nothing. */
export function canonicalIdentifierOrSelf(value: string): string {
  try {
    return canonicalIdentifier(value).canonical;
  } catch {
    return value.trim();
  }
}

/**
 * canonicalIdentifier with a memory, for one document: its events name the same locations and
 * business transactions over and over, and each identifier is read twice, for the event's indexed
 * values and for its hash. A bad identifier is remembered as the problem it is.
 */
export class IdentifierCanon {
  private readonly known = new Map<string, CanonicalIdentifier | IdentifierProblem>();

  of(value: string): CanonicalIdentifier {
    let answer = this.known.get(value);
    if (answer === undefined) {
      try {
        answer = canonicalIdentifier(value);
      } catch (error) {
        if (!(error instanceof IdentifierProblem)) throw error;
        answer = error;
      }
      this.known.set(value, answer);
    }
    if (answer instanceof IdentifierProblem) throw answer;
    return answer;
  }

  /** As canonicalIdentifierOrSelf. */
  orSelf(value: string): string {
    try {
      return this.of(value).canonical;
    } catch {
      return value.trim();
    }
  }
}
