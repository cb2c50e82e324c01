import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { DEMO_RULE_SET } from '../../deploy/local/cli/seed-decisions.ts';
import { gatewayFetch } from '../support/gateway-client.js';
import { anyJson, anyText, HOSTILE_STRINGS, serviceRestarts } from './arbitraries.js';
import { SERVICES, supervisedProcesses } from '../support/platform-processes.js';

let restartsBefore: Record<string, number>;
beforeAll(() => {
  restartsBefore = serviceRestarts(supervisedProcesses(), SERVICES);
});

// Property-based fuzzing of the two richest inputs: EPCIS documents (a valid document of three
// events with one to three mutations anywhere in its tree — a value replaced by anything, a field
// removed, an identifier's check digit broken) and CEL rule text (token soup built from CEL's own
// vocabulary and the decision context's names, plus hostile strings). Properties: a capture is
// accepted whole (202, every event stored) or refused whole (4xx problem+json, none of its events
// stored); a rule set is validated (errors with line and column) or refused, never a 5xx.

const EPCIS_RUNS = Number(process.env['FUZZ_RUNS_EPCIS'] ?? 600);
const CEL_RUNS = Number(process.env['FUZZ_RUNS_CEL'] ?? 1_000);
const SEED = process.env['FUZZ_SEED'] === undefined ? undefined : Number(process.env['FUZZ_SEED']);
const tally = { captures: 0, accepted: 0, refused: 0, rules: 0, ruleStatuses: new Map<number, number>() };

afterAll(() => {
  console.info(
    `EPCIS fuzz: ${tally.captures} documents, ${tally.accepted} accepted whole, ${tally.refused} refused whole; CEL fuzz: ${tally.rules} rule sets, statuses ${[...tally.ruleStatuses].map(([code, count]) => `${code}×${count}`).join(' ')}`,
  );
});

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function validDocument(): { document: Record<string, Json>; eventIds: string[] } {
  const gtin = '09506000134352';
  const lot = `FZ${randomUUID().slice(0, 8)}`;
  const eventIds = [0, 1, 2].map(() => `urn:uuid:${randomUUID()}`);
  const items = [1, 2, 3].map((serial) => `https://id.gs1.org/01/${gtin}/21/${lot}-${serial}`);
  const now = new Date().toISOString();
  return {
    eventIds,
    document: {
      '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
      type: 'EPCISDocument',
      schemaVersion: '2.0',
      creationDate: now,
      epcisBody: {
        eventList: [
          { type: 'ObjectEvent', eventID: eventIds[0]!, eventTime: now, eventTimeZoneOffset: '+02:00', epcList: items, action: 'ADD', bizStep: 'commissioning', disposition: 'active', readPoint: { id: 'https://id.gs1.org/414/9506000001005' } },
          { type: 'AggregationEvent', eventID: eventIds[1]!, eventTime: now, eventTimeZoneOffset: '+02:00', parentID: 'https://id.gs1.org/00/095060001000000012', childEPCs: items, action: 'ADD', bizStep: 'packing', disposition: 'in_progress' },
          {
            type: 'ObjectEvent',
            eventID: eventIds[2]!,
            eventTime: now,
            eventTimeZoneOffset: '+08:00',
            quantityList: [{ epcClass: `https://id.gs1.org/01/${gtin}/10/${lot}`, quantity: 3, uom: 'EA' }],
            action: 'OBSERVE',
            bizStep: 'receiving',
            disposition: 'in_progress',
            bizLocation: { id: 'https://id.gs1.org/414/9506000002002' },
          },
        ],
      },
    },
  };
}

/** Every path into a JSON tree (object keys and array indexes). */
function pathsOf(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((item, index) => [[...prefix, index], ...pathsOf(item, [...prefix, index])]);
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([key, item]) => [[...prefix, key], ...pathsOf(item, [...prefix, key])]);
  return [];
}

type Mutation = { kind: 'replace'; at: number; value: unknown } | { kind: 'delete'; at: number } | { kind: 'break-check-digit'; at: number } | { kind: 'hostile'; at: number; value: string };

const mutationArbitrary: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: anyJson }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('break-check-digit' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('hostile' as const), at: fc.nat(), value: fc.constantFrom(...HOSTILE_STRINGS) }),
);

function mutate(document: Record<string, Json>, mutation: Mutation): void {
  const paths = pathsOf(document);
  const path = paths[mutation.at % paths.length]!;
  const parent = path.slice(0, -1).reduce<Json>((node, key) => (node as Record<string | number, Json>)[key]!, document) as Record<string | number, Json> | Json[];
  const key = path.at(-1)!;
  switch (mutation.kind) {
    case 'replace':
    case 'hostile':
      (parent as Record<string | number, unknown>)[key] = mutation.value;
      return;
    case 'delete':
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
      return;
    case 'break-check-digit': {
      const current = (parent as Record<string | number, Json>)[key];
      if (typeof current === 'string') (parent as Record<string | number, Json>)[key] = current.replace(/(\/01\/\d{13})(\d)/, (_, head: string, digit: string) => `${head}${(Number(digit) + 1) % 10}`);
      return;
    }
  }
}

async function stored(eventId: string): Promise<boolean> {
  const response = await gatewayFetch(`/epcis/events/${encodeURIComponent(eventId)}`);
  await response.arrayBuffer();
  return response.status === 200;
}

async function expectProblem(response: Response, context: string): Promise<void> {
  expect(response.headers.get('content-type') ?? '', context).toMatch(/^application\/problem\+json/);
  const problem = (await response.json()) as { type?: unknown; title?: unknown };
  expect(typeof problem.type, context).toBe('string');
  expect(typeof problem.title, context).toBe('string');
}

describe('EPCIS capture fuzz', () => {
  it(`accepts or refuses ${EPCIS_RUNS} mutated documents whole, never a 5xx`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(mutationArbitrary, { minLength: 1, maxLength: 3 }), async (mutations) => {
        const { document, eventIds } = validDocument();
        for (const mutation of mutations) mutate(document, mutation);
        const body = JSON.stringify(document);
        const response = await gatewayFetch('/epcis/capture', { method: 'POST', headers: { 'content-type': 'application/ld+json' }, body });
        tally.captures += 1;
        const context = `${JSON.stringify(mutations).slice(0, 400)} → ${response.status}`;
        expect(response.status, context).toBeLessThan(500);
        const present = await Promise.all(eventIds.map(stored));
        if (response.status === 202) {
          const job = (await response.json()) as { success: boolean; running: boolean; storedCount: number; duplicateCount: number };
          expect(job, context).toMatchObject({ running: false, success: true });
          // Accepted whole: every event of the document stored (the generated event IDs are new, so none is a duplicate).
          const events = (document['epcisBody'] as { eventList: { eventID?: unknown }[] }).eventList;
          expect(job.storedCount + job.duplicateCount, context).toBe(events.length);
          const survivingIds = eventIds.filter((id) => events.some((event) => event.eventID === id));
          for (const id of survivingIds) expect(present[eventIds.indexOf(id)], `${context}: ${id} not stored`).toBe(true);
          tally.accepted += 1;
        } else {
          await expectProblem(response, context);
          // Refused whole: none of the document's events (those whose IDs survived) was stored.
          expect(present.filter(Boolean), context).toEqual([]);
          tally.refused += 1;
        }
      }),
      { numRuns: EPCIS_RUNS, seed: SEED, endOnFailure: true },
    );
    expect(tally.refused).toBeGreaterThan(0);
    expect(tally.accepted).toBeGreaterThan(0);
  }, 1_200_000);
});

const CEL_TOKENS = [
  'factory', 'merchant', 'product', 'lot', 'facts', 'random', 'tables', '.stats', '.certifications', '.lotsReceived', '.passRateLowerBound', '.category', '.originCountry', '.quantity',
  '.exists(c, ', '.all(x, ', '.map(', '.filter(', 'size(', 'has(', 'int(', 'double(', 'string(', 'timestamp(', 'duration(', 'matches(',
  '==', '!=', '<', '<=', '>', '>=', '&&', '||', '!', '+', '-', '*', '/', '%', '?', ':', 'in', '(', ')', '[', ']', '{', '}', ',', '.',
  'true', 'false', 'null', '0', '1', '-1', '0.9', '1e308', '9223372036854775807', '18446744073709551615u', "'ISO 22000'", '"x"', "b'\\x00'", "r'\\d+'", "'''", '\\', '\n', ' ',
];

const celText: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.array(fc.constantFrom(...CEL_TOKENS), { minLength: 1, maxLength: 25 }).map((tokens) => tokens.join(' ')) },
  { weight: 1, arbitrary: anyText },
  // Deep nesting: a parser's stack is a classic way down.
  { weight: 1, arbitrary: fc.integer({ min: 50, max: 5_000 }).map((depth) => `${'('.repeat(depth)}1${')'.repeat(depth)} == 1`) },
  { weight: 1, arbitrary: fc.integer({ min: 50, max: 2_000 }).map((count) => Array.from({ length: count }, () => 'lot.quantity > 1').join(' && ')) },
);

describe('CEL rule text fuzz', () => {
  it(`validates or refuses ${CEL_RUNS} generated rule conditions, never a 5xx`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(celText, { minLength: 1, maxLength: 3 }), async (conditions) => {
        const definition = { ...DEMO_RULE_SET, rules: conditions.map((condition, index) => ({ id: `fuzz-${index}`, priority: 10 + index, owner: 'fuzz@traceport.example', condition, action: { kind: 'inspect', level: 'II', aql: 1.0 } })) };
        const response = await gatewayFetch('/v1/rule-sets/validate', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ definition }) });
        tally.rules += 1;
        tally.ruleStatuses.set(response.status, (tally.ruleStatuses.get(response.status) ?? 0) + 1);
        const context = `${JSON.stringify(conditions).slice(0, 400)} → ${response.status}`;
        expect(response.status, context).toBeLessThan(500);
        if (response.status >= 400) {
          await expectProblem(response, context);
        } else {
          await response.arrayBuffer();
        }
      }),
      { numRuns: CEL_RUNS, seed: SEED, endOnFailure: true },
    );
  }, 1_200_000);
});

describe('after the fuzzing', () => {
  it('no service crashed: the supervisor restarted none of them', () => {
    expect(serviceRestarts(supervisedProcesses(), SERVICES)).toEqual(restartsBefore);
  });
});
