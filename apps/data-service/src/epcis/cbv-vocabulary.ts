/**
 * Core Business Vocabulary values in one canonical form: the GS1 Web URI
 * (https://ref.gs1.org/cbv/BizStep-shipping). EPCIS 2.0 JSON writes standard values bare
 * ("shipping"), EPCIS 1.x used URNs (urn:epcglobal:cbv:bizstep:shipping) and JSON-LD may use CURIEs
 * (cbv:BizStep-shipping); all four name the same value, so queries and stored columns use the URI.
 * Private vocabularies (any other URI) are kept as written.
 */
export type CbvKind = 'BizStep' | 'Disp' | 'BTT' | 'SDT' | 'ER' | 'Comp';

const CBV_BASE = 'https://ref.gs1.org/cbv/';

const URN_PREFIXES: Record<string, CbvKind> = {
  'urn:epcglobal:cbv:bizstep:': 'BizStep',
  'urn:epcglobal:cbv:disp:': 'Disp',
  'urn:epcglobal:cbv:btt:': 'BTT',
  'urn:epcglobal:cbv:sdt:': 'SDT',
  'urn:epcglobal:cbv:er:': 'ER',
};

/** The standard prefixes every EPCIS 2.0 JSON-LD document has through its @context. */
export const STANDARD_PREFIXES: Readonly<Record<string, string>> = {
  epcis: 'https://ref.gs1.org/epcis/',
  cbv: CBV_BASE,
  gs1: 'https://gs1.org/voc/',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  owl: 'http://www.w3.org/2002/07/owl#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  dcterms: 'http://purl.org/dc/terms/',
  cbvmda: 'urn:epcglobal:cbv:mda:',
};

/** Expands a compact IRI (prefix:suffix) when the prefix is known; anything else is returned as is. */
export function expandCurie(value: string, prefixes: Readonly<Record<string, string>>): string {
  const colon = value.indexOf(':');
  if (colon <= 0 || value.startsWith('//', colon + 1)) return value;
  const namespace = prefixes[value.slice(0, colon)];
  return namespace === undefined ? value : namespace + value.slice(colon + 1);
}

export function canonicalCbv(kind: CbvKind, value: string, prefixes: Readonly<Record<string, string>> = STANDARD_PREFIXES): string {
  const trimmed = value.trim();
  if (!trimmed.includes(':')) return `${CBV_BASE}${kind}-${trimmed}`;
  const lower = trimmed.toLowerCase();
  for (const [prefix, urnKind] of Object.entries(URN_PREFIXES)) {
    if (lower.startsWith(prefix)) return `${CBV_BASE}${urnKind}-${trimmed.slice(prefix.length)}`;
  }
  return expandCurie(trimmed, prefixes);
}

/** Sensor measurement types and alert types are GS1 Web Vocabulary terms (gs1:Temperature). */
export function canonicalGs1Vocabulary(value: string, termPrefix: '' | 'SensorAlertType-', prefixes: Readonly<Record<string, string>>): string {
  const trimmed = value.trim();
  if (!trimmed.includes(':')) return `${STANDARD_PREFIXES['gs1']!}${termPrefix}${trimmed}`;
  return expandCurie(trimmed, prefixes);
}
