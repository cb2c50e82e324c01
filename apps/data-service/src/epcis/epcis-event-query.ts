import { createHash } from 'node:crypto';
import { canonicalCbv } from './cbv-vocabulary.js';
import { invalidQuery } from './epcis.exception.js';
import { EPCIS_EVENT_TYPES } from './epcis-document.validator.js';
import { EpcPatternProblem, identifierSelectionOf, type IdentifierKind } from './epc-pattern.js';
import { canonicalIdentifierOrSelf } from './gs1-identifier.js';

export interface QueryParameter {
  readonly name: string;
  readonly value: string;
}

/** A parsed EPCIS 2.0 query: SQL conditions over the indexed columns, and the page to read. */
export interface EventQuery {
  readonly where: string[];
  readonly values: unknown[];
  readonly perPage: number;
  /** Fingerprint of the filters, so a page token is only honoured for the query that issued it. */
  readonly fingerprint: string;
}

export const DEFAULT_PER_PAGE = 100;
export const MAX_PER_PAGE = 1000;

interface PageToken {
  readonly t: string;
  readonly s: string;
  readonly q: string;
}

export function encodePageToken(eventTime: Date, seq: string, fingerprint: string): string {
  return Buffer.from(JSON.stringify({ t: eventTime.toISOString(), s: seq, q: fingerprint } satisfies PageToken)).toString('base64url');
}

function decodePageToken(token: string, fingerprint: string): PageToken {
  let parsed: Partial<PageToken>;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Partial<PageToken>;
  } catch {
    throw invalidQuery('nextPageToken', 'not a token this server issued');
  }
  if (typeof parsed.t !== 'string' || typeof parsed.s !== 'string' || !/^\d+$/.test(parsed.s) || Number.isNaN(Date.parse(parsed.t))) {
    throw invalidQuery('nextPageToken', 'not a token this server issued');
  }
  if (parsed.q !== fingerprint) throw invalidQuery('nextPageToken', 'the token belongs to a query with other parameters');
  return parsed as PageToken;
}

function timestamp(parameter: string, value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    throw invalidQuery(parameter, `"${value}" is not an RFC 3339 timestamp with an offset`);
  }
  return new Date(value).toISOString();
}

type Column = { column: string; canonical: (value: string) => string };

const EQUALS: Record<string, Column> = {
  EQ_bizStep: { column: 'biz_step', canonical: (value) => canonicalCbv('BizStep', value) },
  EQ_disposition: { column: 'disposition', canonical: (value) => canonicalCbv('Disp', value) },
  EQ_readPoint: { column: 'read_point', canonical: canonicalIdentifierOrSelf },
  EQ_bizLocation: { column: 'biz_location', canonical: canonicalIdentifierOrSelf },
  EQ_action: { column: 'action', canonical: (value) => value.trim() },
  EQ_eventID: { column: 'event_id', canonical: (value) => value.trim() },
};

/**
 * The MATCH_ parameters (EPCIS 2.0 §8.2.7.1): the column each one reads, and the GIN-indexed array
 * that contains it (every instance identifier is in any_epcs, every class in epc_classes), which
 * narrows the search before the column itself is checked.
 */
interface MatchField {
  readonly column: string;
  readonly kind: IdentifierKind;
  /** parentID is one value, not a list. */
  readonly single?: boolean;
  /** An extra condition: which event types carry the field. */
  readonly only?: string;
}

const MATCHES: Record<string, MatchField> = {
  MATCH_epc: { column: 'epcs', kind: 'instance' },
  MATCH_parentID: { column: 'parent_id', kind: 'instance', single: true },
  MATCH_inputEPC: { column: 'input_epcs', kind: 'instance' },
  MATCH_outputEPC: { column: 'output_epcs', kind: 'instance' },
  MATCH_anyEPC: { column: 'any_epcs', kind: 'instance' },
  // quantityList and childQuantityList: every event type's quantity lists but TransformationEvent's
  // (the schema gives it only input and output lists), so epc_classes less those.
  MATCH_epcClass: { column: 'epc_classes', kind: 'class', only: `e."event_type" <> 'TransformationEvent'` },
  MATCH_inputEPCClass: { column: 'input_epc_classes', kind: 'class' },
  MATCH_outputEPCClass: { column: 'output_epc_classes', kind: 'class' },
  MATCH_anyEPCClass: { column: 'epc_classes', kind: 'class' },
};

/** The condition of one MATCH_ parameter: equal identifiers through the index, patterns by scanning. */
function matchCondition(name: string, values: readonly string[], bind: (value: unknown) => string): string {
  const { column, kind, single = false, only } = MATCHES[name]!;
  const exact = new Set<string>();
  const patterns = new Set<string>();
  for (const value of values) {
    try {
      const selection = identifierSelectionOf(value, kind);
      selection.exact.forEach((id) => exact.add(id));
      selection.patterns.forEach((pattern) => patterns.add(pattern));
    } catch (error) {
      if (error instanceof EpcPatternProblem) throw invalidQuery(name, error.message);
      throw error;
    }
  }
  const indexed = kind === 'instance' ? 'any_epcs' : 'epc_classes';
  const alternatives: string[] = [];
  if (exact.size > 0) {
    const ids = bind([...exact]);
    const recheck = column === indexed ? '' : single ? ` AND e."${column}" = ANY(${ids}::text[])` : ` AND e."${column}" && ${ids}::text[]`;
    alternatives.push(`e."${indexed}" && ${ids}::text[]${recheck}`);
  }
  if (patterns.size > 0) {
    const expressions = bind([...patterns]);
    alternatives.push(
      single ? `e."${column}" ~ ANY(${expressions}::text[])` : `EXISTS (SELECT 1 FROM unnest(e."${column}") AS id WHERE id ~ ANY(${expressions}::text[]))`,
    );
  }
  const matched = alternatives.length === 1 ? alternatives[0]! : `(${alternatives.map((alternative) => `(${alternative})`).join(' OR ')})`;
  return only === undefined ? matched : `${matched} AND ${only}`;
}

const TIMES: Record<string, { column: string; operator: string }> = {
  GE_eventTime: { column: 'event_time', operator: '>=' },
  LT_eventTime: { column: 'event_time', operator: '<' },
  GE_recordTime: { column: 'record_time', operator: '>=' },
  LT_recordTime: { column: 'record_time', operator: '<' },
};

/**
 * Reads EPCIS 2.0 REST query parameters (EPCIS 2.0 §8.2.7 SimpleEventQuery names). Several values for
 * one parameter (repeated, or separated by "|") mean any of them. Identifiers and vocabulary are
 * compared in canonical form, so a URN query finds a Digital Link capture and the other way round;
 * MATCH_ parameters also take EPC pure identity patterns (epc-pattern.ts). An unknown parameter is an
 * error rather than silently ignored, as the standard asks.
 */
export function parseEventQuery(parameters: readonly QueryParameter[]): EventQuery {
  const grouped = new Map<string, string[]>();
  for (const { name, value } of parameters) {
    const values = value.split('|').map((part) => part.trim()).filter((part) => part.length > 0);
    grouped.set(name, [...(grouped.get(name) ?? []), ...values]);
  }
  const where: string[] = ['e."latest"'];
  const values: unknown[] = [];
  const bind = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  let perPage = DEFAULT_PER_PAGE;
  let pageToken: string | undefined;
  const fingerprintParts: string[] = [];

  for (const [name, list] of [...grouped].sort(([a], [b]) => a.localeCompare(b))) {
    if (list.length === 0) throw invalidQuery(name, 'a value is required');
    if (name === 'nextPageToken') {
      pageToken = list[0];
      continue;
    }
    fingerprintParts.push(`${name}=${list.join('|')}`);
    if (name === 'perPage') {
      const parsed = Number(list[0]);
      if (!Number.isInteger(parsed) || parsed < 1 || parsed > MAX_PER_PAGE) throw invalidQuery(name, `an integer from 1 to ${MAX_PER_PAGE}`);
      perPage = parsed;
    } else if (name === 'eventType') {
      const unknown = list.filter((type) => !(EPCIS_EVENT_TYPES as readonly string[]).includes(type));
      if (unknown.length > 0) throw invalidQuery(name, `unknown event type ${unknown.join(', ')}; one of ${EPCIS_EVENT_TYPES.join(', ')}`);
      where.push(`e."event_type" = ANY(${bind(list)}::text[])`);
    } else if (name in TIMES) {
      const { column, operator } = TIMES[name]!;
      where.push(`e."${column}" ${operator} ${bind(timestamp(name, list[0]!))}::timestamptz`);
    } else if (name in EQUALS) {
      const { column, canonical } = EQUALS[name]!;
      where.push(`e."${column}" = ANY(${bind(list.map(canonical))}::text[])`);
    } else if (name in MATCHES) {
      where.push(matchCondition(name, list, bind));
    } else {
      throw invalidQuery(name, 'not a query parameter this server supports');
    }
  }
  const fingerprint = createHash('sha256').update(fingerprintParts.join('&')).digest('base64url').slice(0, 16);
  if (pageToken !== undefined) {
    const after = decodePageToken(pageToken, fingerprint);
    where.push(`(e."event_time", e."seq") > (${bind(after.t)}::timestamptz, ${bind(after.s)}::bigint)`);
  }
  return { where, values, perPage, fingerprint };
}
