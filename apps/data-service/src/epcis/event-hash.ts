import { createHash } from 'node:crypto';
import { canonicalCbv, canonicalGs1Vocabulary, expandCurie, type CbvKind } from './cbv-vocabulary.js';
import { canonicalIdentifierOrSelf } from './gs1-identifier.js';

/**
 * The EPCIS Event Hash ID of CBV 2.0 §8.9 (the "EPCIS event hash generator" algorithm): a pre-hash
 * string built from the event's fields in a fixed canonical order — identifiers as canonical GS1
 * Digital Link URIs, vocabulary as GS1 Web URIs, timestamps in UTC with milliseconds, list entries
 * sorted — hashed with SHA-256 and written as an RFC 6920 `ni:` URI. Two serialisations of one event
 * (JSON or JSON-LD, URN or Digital Link, bare or full vocabulary) give the same hash; any change to
 * the event's content gives another. eventID, recordTime, errorDeclaration and comments are left out.
 */
type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };
type Prefixes = Readonly<Record<string, string>>;

/**
 * How identifier and vocabulary values are written into the pre-hash string. CBV 2.0 final (rules
 * 14–18) uses GS1 Digital Link and GS1 Web URIs; the algorithm's 2021 draft, which GS1's published
 * EPCIS 2.0 examples were hashed with, kept EPC URNs and CBV URNs. The draft forms exist so tests can
 * reproduce those published hashes and so prove the canonical order and formatting.
 */
export interface HashValueForms {
  identifier(value: string): string;
  vocabulary(kind: CbvKind, value: string, prefixes: Prefixes): string;
  gs1Term(value: string, termPrefix: '' | 'SensorAlertType-', prefixes: Prefixes): string;
}

export const CBV2_VALUE_FORMS: HashValueForms = {
  identifier: canonicalIdentifierOrSelf,
  vocabulary: canonicalCbv,
  gs1Term: canonicalGs1Vocabulary,
};

const DRAFT_URN_PREFIX: Record<CbvKind, string> = {
  BizStep: 'urn:epcglobal:cbv:bizstep:',
  Disp: 'urn:epcglobal:cbv:disp:',
  BTT: 'urn:epcglobal:cbv:btt:',
  SDT: 'urn:epcglobal:cbv:sdt:',
  ER: 'urn:epcglobal:cbv:er:',
  Comp: 'urn:epcglobal:cbv:comp:',
};

export const DRAFT_URN_VALUE_FORMS: HashValueForms = {
  identifier: (value) => value.trim(),
  vocabulary: (kind, value, prefixes) => (value.includes(':') ? expandCurie(value.trim(), prefixes) : DRAFT_URN_PREFIX[kind] + value.trim()),
  gs1Term: (value, termPrefix, prefixes) => canonicalGs1Vocabulary(value, termPrefix, prefixes),
};

export const EVENT_HASH_VERSION = 'CBV2.0';

const IGNORED = new Set(['eventID', 'recordTime', 'errorDeclaration', '@context', 'rdfs:comment', 'comment', 'type']);

type FieldRule = (value: Json, prefixes: Prefixes) => string;

const TIME_FIELDS = new Set(['eventTime', 'declarationTime', 'time', 'startTime', 'endTime']);

/** Rules 8 and 9: UTC, 'Z', millisecond precision. */
export function canonicalTimestamp(value: string): string {
  const parsed = new Date(value.trim());
  return Number.isNaN(parsed.getTime()) ? value.trim() : parsed.toISOString();
}

/** Rule 6: no trailing zeros, no exponent games; JSON numbers print that way already. */
let forms: HashValueForms = CBV2_VALUE_FORMS;

function scalar(value: Json): string {
  if (typeof value === 'string') return forms.identifier(value);
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return String(value);
  return '';
}

const text = (key: string, value: string) => `${key}=${value}`;
const sortJoin = (parts: string[]) => parts.sort().join('');
const asList = (value: Json | undefined): Json[] => (value === undefined || value === null ? [] : Array.isArray(value) ? value : [value]);
const asObject = (value: Json | undefined): JsonObject => (value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {});

/** A user extension element (rule 19–21): {namespace}localName, then its value or its children. */
function extensionKey(key: string, prefixes: Prefixes): string {
  const expanded = expandCurie(key, prefixes);
  if (expanded === key) return key;
  const colon = key.indexOf(':');
  const namespace = prefixes[key.slice(0, colon)]!;
  return `{${namespace}}${key.slice(colon + 1)}`;
}

function extension(key: string, value: Json, prefixes: Prefixes): string[] {
  const name = extensionKey(key, prefixes);
  if (Array.isArray(value)) return value.flatMap((item) => extension(key, item, prefixes));
  if (value !== null && typeof value === 'object') return [`${name}${extensions(value, new Set(), prefixes)}`];
  const rendered = typeof value === 'string' && TIME_FIELDS.has(key) ? canonicalTimestamp(value) : scalar(value);
  return [rendered === '' ? name : text(name, rendered)];
}

/** Every field not in `known`, sorted (rule 20). */
function extensions(object: JsonObject, known: ReadonlySet<string>, prefixes: Prefixes): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(object)) {
    if (known.has(key) || IGNORED.has(key) || key.startsWith('@')) continue;
    parts.push(...extension(key, value, prefixes));
  }
  return sortJoin(parts);
}

function ordered(object: JsonObject, order: readonly (readonly [string, FieldRule])[], prefixes: Prefixes): string {
  let out = '';
  for (const [key, rule] of order) {
    const value = object[key];
    if (value === undefined || value === null) continue;
    out += rule(value, prefixes);
  }
  return out;
}

const plain =
  (key: string): FieldRule =>
  (value) => {
    const rendered = typeof value === 'string' && TIME_FIELDS.has(key) ? canonicalTimestamp(value) : scalar(value);
    return rendered === '' ? '' : text(key, rendered);
  };

const vocabulary =
  (key: string, kind: CbvKind): FieldRule =>
  (value, prefixes) =>
    typeof value === 'string' ? text(key, forms.vocabulary(kind, value, prefixes)) : '';

const epcList =
  (key: string): FieldRule =>
  (value) => {
    const items = asList(value).filter((item): item is string => typeof item === 'string');
    return items.length === 0 ? '' : key + sortJoin(items.map((item) => text('epc', forms.identifier(item))));
  };

const QUANTITY_ORDER = [['epcClass', plain('epcClass')], ['quantity', plain('quantity')], ['uom', plain('uom')]] as const;

const quantityList =
  (key: string): FieldRule =>
  (value, prefixes) => {
    const items = asList(value).map((item) => `quantityElement${ordered(asObject(item), QUANTITY_ORDER, prefixes)}`);
    return items.length === 0 ? '' : key + sortJoin(items);
  };

/** Rule 13: a typed entry (bizTransaction, source, destination) is its value, then its type. */
const typedList =
  (key: string, entry: string, kind: CbvKind): FieldRule =>
  (value, prefixes) => {
    const items = asList(value).map((item) => {
      const object = asObject(item);
      const id = object[entry];
      const type = object['type'];
      return `${typeof id === 'string' ? text(entry, forms.identifier(id)) : ''}${typeof type === 'string' ? text('type', forms.vocabulary(kind, type, prefixes)) : ''}`;
    });
    return items.length === 0 ? '' : key + sortJoin(items);
  };

const location =
  (key: string): FieldRule =>
  (value, prefixes) => {
    const object = asObject(value);
    const id = object['id'];
    return `${key}${typeof id === 'string' ? text('id', forms.identifier(id)) : ''}${extensions(object, new Set(['id']), prefixes)}`;
  };

const persistentDisposition: FieldRule = (value, prefixes) => {
  const object = asObject(value);
  const part = (name: 'set' | 'unset') =>
    sortJoin(asList(object[name]).filter((item): item is string => typeof item === 'string').map((item) => text(name, forms.vocabulary('Disp', item, prefixes))));
  const body = part('set') + part('unset');
  return body === '' ? '' : `persistentDisposition${body}`;
};

const SENSOR_METADATA_FIELDS = ['time', 'startTime', 'endTime', 'deviceID', 'deviceMetadata', 'rawData', 'dataProcessingMethod', 'bizRules'] as const;
const SENSOR_REPORT_FIELDS = [
  'type', 'exception', 'deviceID', 'deviceMetadata', 'rawData', 'dataProcessingMethod', 'time', 'microorganism', 'chemicalSubstance',
  'value', 'component', 'stringValue', 'booleanValue', 'hexBinaryValue', 'uriValue', 'minValue', 'maxValue', 'meanValue', 'sDev',
  'percRank', 'percValue', 'uom', 'coordinateReferenceSystem',
] as const;

const SENSOR_METADATA_ORDER = SENSOR_METADATA_FIELDS.map((field) => [field, plain(field)] as const);
const SENSOR_REPORT_ORDER = SENSOR_REPORT_FIELDS.map((field): readonly [string, FieldRule] => {
  if (field === 'type') return [field, (value, prefixes) => (typeof value === 'string' ? text('type', forms.gs1Term(value, '', prefixes)) : '')];
  if (field === 'exception') {
    return [field, (value, prefixes) => (typeof value === 'string' ? text('exception', forms.gs1Term(value, 'SensorAlertType-', prefixes)) : '')];
  }
  if (field === 'component') return [field, vocabulary('component', 'Comp')];
  return [field, plain(field)];
});

const sensorElementList: FieldRule = (value, prefixes) => {
  const elements = asList(value).map((item) => {
    const element = asObject(item);
    const metadata = asObject(element['sensorMetadata']);
    const metadataText =
      element['sensorMetadata'] === undefined
        ? ''
        : `sensorMetadata${ordered(metadata, SENSOR_METADATA_ORDER, prefixes)}${extensions(metadata, new Set(SENSOR_METADATA_FIELDS), prefixes)}`;
    const reports = asList(element['sensorReport']).map((report) => {
      const object = asObject(report);
      return `sensorReport${ordered(object, SENSOR_REPORT_ORDER, prefixes)}${extensions(object, new Set(SENSOR_REPORT_FIELDS), prefixes)}`;
    });
    return `sensorElement${metadataText}${sortJoin(reports)}${extensions(element, new Set(['sensorMetadata', 'sensorReport']), prefixes)}`;
  });
  return elements.length === 0 ? '' : `sensorElementList${sortJoin(elements)}`;
};

const ilmd: FieldRule = (value, prefixes) => {
  const body = extensions(asObject(value), new Set(), prefixes);
  return body === '' ? '' : `ilmd${body}`;
};

/** CBV 2.0 §8.9.2's canonical property order, one rule per field. */
const CANONICAL_ORDER: readonly (readonly [string, FieldRule])[] = [
  ['eventTime', plain('eventTime')],
  ['eventTimeZoneOffset', plain('eventTimeZoneOffset')],
  ['certificationInfo', (value) => sortJoin(asList(value).map((item) => text('certificationInfo', scalar(item))))],
  ['epcList', epcList('epcList')],
  ['parentID', plain('parentID')],
  ['inputEPCList', epcList('inputEPCList')],
  ['childEPCs', epcList('childEPCs')],
  ['quantityList', quantityList('quantityList')],
  ['childQuantityList', quantityList('childQuantityList')],
  ['inputQuantityList', quantityList('inputQuantityList')],
  ['outputEPCList', epcList('outputEPCList')],
  ['outputQuantityList', quantityList('outputQuantityList')],
  ['action', plain('action')],
  ['transformationID', plain('transformationID')],
  ['bizStep', vocabulary('bizStep', 'BizStep')],
  ['disposition', vocabulary('disposition', 'Disp')],
  ['persistentDisposition', persistentDisposition],
  ['readPoint', location('readPoint')],
  ['bizLocation', location('bizLocation')],
  ['bizTransactionList', typedList('bizTransactionList', 'bizTransaction', 'BTT')],
  ['sourceList', typedList('sourceList', 'source', 'SDT')],
  ['destinationList', typedList('destinationList', 'destination', 'SDT')],
  ['sensorElementList', sensorElementList],
  ['ilmd', ilmd],
];
const CANONICAL_FIELDS = new Set(CANONICAL_ORDER.map(([key]) => key));

export function preHashString(event: JsonObject, prefixes: Prefixes, valueForms: HashValueForms = CBV2_VALUE_FORMS): string {
  // The rules are pure functions of one event; the forms are set for the duration of this
  // synchronous call only, so they need not be threaded through every rule.
  forms = valueForms;
  try {
    const type = typeof event['type'] === 'string' ? event['type'] : '';
    return `eventType=${type}${ordered(event, CANONICAL_ORDER, prefixes)}${extensions(event, CANONICAL_FIELDS, prefixes)}`;
  } finally {
    forms = CBV2_VALUE_FORMS;
  }
}

/** `ni:///sha-256;<hex>?ver=CBV2.0` of the event. */
export function eventHashOf(event: JsonObject, prefixes: Prefixes, valueForms: HashValueForms = CBV2_VALUE_FORMS): string {
  const digest = createHash('sha256').update(preHashString(event, prefixes, valueForms), 'utf8').digest('hex');
  return `ni:///sha-256;${digest}?ver=${EVENT_HASH_VERSION}`;
}

export type { Json, JsonObject };
