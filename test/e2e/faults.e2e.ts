import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RegistryClient } from '@traceport/chain';
import { anchorableTopics, deadLetterTopicOf } from '@traceport/contracts';
import { randomGtin, testPlatform } from '@traceport/testing';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDeadLetters, type DeadLetter } from '../../deploy/local/cli/dlq-command.ts';
import { createArchiveRecord } from '../support/archive-fixtures.js';
import { CaptureLoad, type LoadProduct } from '../support/capture-load.js';
import { gatewayFetch } from '../support/gateway-client.js';
import { NothingLost } from '../support/nothing-lost.js';
import { allServicesReady, SERVICES, signalGroup, supervised, timeUntil } from '../support/platform-processes.js';

// Faults under a sustained load of EPCIS captures and lot receipts: each service killed with
// SIGKILL (the supervisor restarts it), the Kafka broker restarted, every database connection of the
// platform terminated, the chain's JSON-RPC frozen, and a poison message on each topic. After each
// fault: every capture answered 202 is stored exactly once, every received lot decided as the rule
// set says, every record appended to the log once, anchored, and provable against the chain, and no
// head written twice. Recovery times are printed as a table (and written to the profile's run
// folder); docs/reliability.md keeps the figures.
//
// PostgreSQL is the machine's shared server, so it is not restarted: terminating every backend of
// the platform's database (pg_terminate_backend) is what a restart does to the services' connections.
// The local chain (Hardhat's EDR node) keeps its state in memory, so it is frozen (SIGSTOP), not
// killed: its JSON-RPC stops answering, and it comes back with its state on SIGCONT.
//
// TRACEPORT_FAULTS=long: a 60 s chain outage, a higher load, a kill -9 of the broker besides its
// restart, and a database whose connections are cut every few seconds for half a minute.

const LONG = process.env['TRACEPORT_FAULTS'] === 'long';
const CHAIN_OUTAGE_MS = LONG ? 60_000 : 15_000;
const LOAD_BEFORE_FAULT_MS = LONG ? 10_000 : 3_000;
const RECOVERY_TIMEOUT_MS = 240_000;
const FAULT_TEST_TIMEOUT_MS = 2 * RECOVERY_TIMEOUT_MS + CHAIN_OUTAGE_MS + 60_000;

const platform = testPlatform();
const profileName = process.env['TRACEPORT_PROFILE'] ?? 'test';
const run = randomUUID().replaceAll('-', '').slice(0, 8);
const db = new pg.Client({ connectionString: platform.databaseUrl });
const kafka = new Kafka({ clientId: 'fault-test', brokers: platform.kafkaBrokers, logLevel: logLevel.NOTHING });
let registry: RegistryClient;
let load: CaptureLoad;
let checks: NothingLost;

interface Recovery {
  readonly fault: string;
  readonly outageMs: number;
  /** From the end of the fault until every service answers ready again. */
  readonly readyMs: number;
  /** From the end of the fault until everything accepted before the platform was ready is stored, decided, appended and anchored. */
  readonly drainedMs: number;
  readonly acceptedDuring: number;
  readonly failedDuring: number;
}
const recoveries: Recovery[] = [];
/** Set by the last test once everything accepted was found stored, decided and anchored exactly once. */
let nothingLost = false;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Lets the load run, injects the fault, then measures: the platform ready again (with `restarted`
 * restarted by the supervisor), the backlog drained, and checks that nothing was lost.
 */
async function survive(fault: string, inject: () => Promise<void>, restarted: readonly string[] = []): Promise<Recovery> {
  const restartsBefore = new Map(restarted.map((name) => [name, supervised(name).restarts]));
  await sleep(LOAD_BEFORE_FAULT_MS);
  const injectedAt = Date.now();
  await inject();
  const endedAt = Date.now();
  await timeUntil(
    `${fault}: the platform ready again`,
    async () => {
      for (const name of restarted) {
        const current = supervised(name);
        if (current.restarts <= restartsBefore.get(name)! || current.state !== 'ready') return false;
      }
      return allServicesReady();
    },
    RECOVERY_TIMEOUT_MS,
  );
  const readyAt = Date.now();
  try {
    await timeUntil(`${fault}: the backlog drained`, () => checks.drained(readyAt), RECOVERY_TIMEOUT_MS, 500);
  } catch (error) {
    throw new Error(`${(error as Error).message} (${checks.lastShortfall})`);
  }
  const drainedAt = Date.now();
  // What was committed while the fault lasted, seen by a client or not, reached the log too.
  await timeUntil(`${fault}: every committed record appended`, async () => (await checks.committedButNotAppended(new Date(readyAt))).length === 0, 60_000, 500).catch(
    async (error: unknown) => {
      throw new Error(`${(error as Error).message}: ${(await checks.committedButNotAppended(new Date(readyAt))).join(', ')}`);
    },
  );
  // A head on chain that the anchorer has not recorded yet settles within a tick; a real divergence stays.
  await timeUntil(`${fault}: log and heads consistent`, async () => (await checks.logAndHeadsConsistent(), true), 30_000, 500);
  for (const recordKey of await checks.sampleRecordKeys(readyAt, 3)) await checks.proofVerifies(recordKey);
  const during = load.captures.filter((capture) => capture.sentAt >= injectedAt && capture.sentAt <= readyAt);
  const recovery: Recovery = {
    fault,
    outageMs: endedAt - injectedAt,
    readyMs: readyAt - endedAt,
    drainedMs: drainedAt - endedAt,
    acceptedDuring: during.filter((capture) => capture.status === 202).reduce((sum, capture) => sum + capture.eventIds.length, 0),
    failedDuring: during.filter((capture) => capture.status !== 202).length,
  };
  recoveries.push(recovery);
  return recovery;
}

async function killService(name: string): Promise<void> {
  signalGroup(name, 'SIGKILL');
  // The supervisor notices at once; wait until it has, so "ready again" means the new process.
  await timeUntil(`${name} seen dead by the supervisor`, async () => supervised(name).state !== 'ready', 10_000, 50);
}

/** `./traceport dlq …` against this platform. */
function dlq(...args: string[]) {
  return spawnSync(process.execPath, ['--disable-warning=ExperimentalWarning', join(platform.root, 'deploy/local/cli/traceport.ts'), 'dlq', ...args, '--profile', profileName], {
    cwd: platform.root,
    encoding: 'utf8',
    timeout: 120_000,
  });
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(1);
}

function recoveryTable(): string {
  const summary = load.summary();
  const rows = recoveries.map((recovery) => [
    recovery.fault,
    recovery.outageMs < 1_000 ? '-' : seconds(recovery.outageMs),
    seconds(recovery.readyMs),
    seconds(recovery.drainedMs),
    String(recovery.acceptedDuring),
    String(recovery.failedDuring),
  ]);
  const header = ['fault', 'outage s', 'ready again s', 'backlog drained s', 'events accepted meanwhile', 'requests failed meanwhile'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
  return [
    `Faults under load (${LONG ? 'long' : 'short'} run): ${summary.eventsAccepted} events accepted in ${summary.accepted} captures over ${seconds(summary.seconds * 1000)} s ` +
      `(${summary.eventsPerSecond.toFixed(0)} events/s), ${summary.lotsReceived} lots received; ${summary.failed} requests failed during faults, ${summary.skipped} not sent (gateway saturated); ` +
      `records lost: ${nothingLost ? 0 : 'not established (see the failures above)'}`,
    line(header),
    line(widths.map((width) => '-'.repeat(width))),
    ...rows.map(line),
  ].join('\n');
}

beforeAll(async () => {
  await db.connect();
  registry = await RegistryClient.connect({ rpcUrl: platform.chainRpcUrl, contract: platform.registryAddress });
  const merchant = await createArchiveRecord('merchants', { legalName: `Fault Importer ${run} Ltd.`, country: 'CN', registrationNumber: `91310000F${run}` });
  const brand = await createArchiveRecord('brands', { name: `Fault Brand ${run}`, ownerMerchantId: merchant.id });
  const factory = await createArchiveRecord('factories', {
    name: `Fault Factory ${run}`,
    country: 'FR',
    address: '1 Rue de Test, Lyon',
    certifications: [{ type: 'ISO 9001', issuer: 'Bureau Veritas', number: `FR-${run}`, validFrom: '2019-01-01', validTo: '2030-12-31' }],
  });
  const products: LoadProduct[] = [];
  for (const expectedOutcome of ['held', 'released'] as const) {
    const gtin = randomGtin();
    const product = await createArchiveRecord('products', {
      gtin,
      name: `Fault ${expectedOutcome} ${run}`,
      brandId: brand.id,
      factoryId: factory.id,
      category: `fault-${expectedOutcome}-${run}`,
      hsCode: '190110',
      originCountry: 'FR',
    });
    products.push({ id: product.id, gtin, expectedOutcome });
  }
  // One rule holds the lots of one product's category; everything else is released.
  const draft = await gatewayFetch('/v1/rule-sets', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      note: 'fault suite',
      definition: {
        inspectionAgency: `Fault Agency ${run}`,
        defaultAction: { kind: 'release' },
        tables: {},
        rules: [{ id: 'fault-hold', priority: 100, owner: 'quality', description: 'Hold the held category', condition: `product.category == 'fault-held-${run}'`, action: { kind: 'hold' } }],
      },
    }),
  });
  const { version } = (await draft.json()) as { version: number };
  expect(draft.status).toBe(201);
  const published = await gatewayFetch(`/v1/rule-sets/${version}/publish`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  expect(published.status).toBe(200);

  load = new CaptureLoad({
    documentsPerSecond: LONG ? 20 : 10,
    eventsPerDocument: 6,
    lotEveryMs: 1_000,
    maxInFlight: 40,
    products,
    run,
  });
  checks = new NothingLost(db, load, registry);
  await checks.begin();
  load.start();
  // The load is flowing and the platform keeps up before the first fault.
  const warmedAt = Date.now() + 4_000;
  await sleep(4_000);
  await timeUntil('the load anchored before any fault', () => checks.drained(warmedAt), 60_000, 500);
}, 180_000);

afterAll(async () => {
  // Whatever failed, leave the platform whole for the tests that follow.
  try {
    signalGroup('chain', 'SIGCONT');
  } catch {
    // not running
  }
  await load?.stop();
  if (recoveries.length > 0) {
    const table = recoveryTable();
    process.stdout.write(`\n${table}\n\n`);
    writeFileSync(join(platform.root, '.run', profileName, 'fault-recovery.json'), `${JSON.stringify({ long: LONG, load: load.summary(), recoveries }, null, 2)}\n`);
  }
  await timeUntil('the platform ready after the fault suite', allServicesReady, RECOVERY_TIMEOUT_MS).catch(() => undefined);
  await db.end();
}, RECOVERY_TIMEOUT_MS + 30_000);

describe('faults under a sustained load of captures and lot receipts', () => {
  for (const service of SERVICES) {
    it(
      `kill -9 of ${service}: the supervisor restarts it; nothing accepted is lost or doubled`,
      async () => {
        const killed = supervised(service).pid;
        await survive(`kill -9 ${service}`, () => killService(service), [service]);
        // A new process, which the supervisor records with its restart and last exit.
        expect(supervised(service)).toMatchObject({ state: 'ready', lastExit: expect.stringMatching(/ SIGKILL$/) });
        expect(supervised(service).pid).not.toBe(killed);
      },
      FAULT_TEST_TIMEOUT_MS,
    );
  }

  it(
    'a restart of the Kafka broker: producers and consumers reconnect; nothing is lost',
    async () => {
      await survive(
        'Kafka broker restart (SIGTERM)',
        async () => {
          signalGroup('kafka', 'SIGTERM');
          await timeUntil('the broker seen down by the supervisor', async () => supervised('kafka').state !== 'ready', 60_000, 100);
        },
        ['kafka'],
      );
      if (LONG) {
        await survive(
          'Kafka broker kill -9',
          async () => {
            signalGroup('kafka', 'SIGKILL');
            await timeUntil('the broker seen down by the supervisor', async () => supervised('kafka').state !== 'ready', 10_000, 50);
          },
          ['kafka'],
        );
      }
    },
    LONG ? 2 * FAULT_TEST_TIMEOUT_MS : FAULT_TEST_TIMEOUT_MS,
  );

  it(
    "every connection to the platform's database terminated (in place of a PostgreSQL restart): nothing is lost",
    async () => {
      let terminated = 0;
      const terminateAll = async () => {
        const { rows } = await db.query<{ terminated: number }>(
          `SELECT count(*) FILTER (WHERE pg_terminate_backend("pid"))::int AS "terminated"
           FROM pg_stat_activity WHERE "datname" = current_database() AND "pid" <> pg_backend_pid()`,
        );
        terminated += rows[0]!.terminated;
      };
      await survive(LONG ? 'database connections cut every 3 s for 30 s' : 'all database connections terminated', async () => {
        await terminateAll();
        if (LONG) {
          for (let round = 0; round < 10; round += 1) {
            await sleep(3_000);
            await terminateAll();
          }
        }
      });
      expect(terminated).toBeGreaterThan(0);
    },
    FAULT_TEST_TIMEOUT_MS,
  );

  it(
    `the chain's JSON-RPC unreachable for ${CHAIN_OUTAGE_MS / 1000} s: captures go on; heads are anchored afterwards, none twice`,
    async () => {
      const headsBefore = Number(await registry.headCount());
      let acceptedWhileDown = 0;
      await survive(`chain JSON-RPC unreachable ${CHAIN_OUTAGE_MS / 1000} s`, async () => {
        signalGroup('chain', 'SIGSTOP');
        const frozenAt = Date.now();
        try {
          await sleep(CHAIN_OUTAGE_MS);
        } finally {
          signalGroup('chain', 'SIGCONT');
        }
        acceptedWhileDown = load.captures.filter((capture) => capture.status === 202 && capture.sentAt >= frozenAt).length;
      });
      // Intake does not depend on the chain; the log waits and is anchored once it answers.
      expect(acceptedWhileDown).toBeGreaterThan(0);
      expect(Number(await registry.headCount())).toBeGreaterThan(headsBefore);
    },
    FAULT_TEST_TIMEOUT_MS,
  );

  // Long run only: the chain that the tests after this file see is then a new one (same registry
  // address, heads anchored afresh, earlier attestations gone).
  it.runIf(LONG)(
    'a crash of the local chain node, which loses its state: the registry is deployed again and the whole log anchored afresh',
    async () => {
      await survive(
        'chain node kill -9 (state lost; log re-anchored)',
        async () => {
          signalGroup('chain', 'SIGKILL');
          await timeUntil('the chain seen down by the supervisor', async () => supervised('chain').state !== 'ready', 10_000, 50);
          checks.chainReplaced();
        },
        ['chain', 'ledger-anchor'],
      );
      const log = await checks.logAndHeadsConsistent();
      expect(log.anchoredSize).toBeGreaterThan(0);
    },
    FAULT_TEST_TIMEOUT_MS,
  );

  it(
    'a poison message on each topic: dead-lettered with its error while the load flows on; `./traceport dlq replay` re-drives it and it is dead-lettered again',
    async () => {
      const producer = kafka.producer();
      await producer.connect();
      const admin = kafka.admin();
      await admin.connect();
      const poisons = anchorableTopics().map((topic) => ({ topic, id: `poison-${run}-${topic}` }));
      const sentAt = Date.now();
      try {
        for (const { topic, id } of poisons) {
          // A well-formed envelope whose data is no anchorable record: what a buggy producer would send.
          await producer.send({
            topic,
            messages: [
              {
                key: `poison-${run}`,
                value: JSON.stringify({ recordType: 'Not A Record Type', recordKey: '', record: 'not an object' }),
                headers: {
                  ce_specversion: '1.0',
                  ce_id: id,
                  ce_source: '/test/faults',
                  ce_type: `io.traceport.${topic}`,
                  ce_time: new Date().toISOString(),
                  'content-type': 'application/json',
                },
              },
            ],
          });
        }
        const ledgerLetter = async (topic: string, id: string, replayed: boolean): Promise<DeadLetter | undefined> =>
          (await readDeadLetters(kafka, admin, deadLetterTopicOf(topic))).find(
            (letter) => letter.eventId === id && letter.consumer === 'ledger-anchor.log-appender' && (letter.replayOf !== null) === replayed,
          );
        let deadLetteredMs = 0;
        for (const { topic, id } of poisons) {
          let letter: DeadLetter | undefined;
          await timeUntil(`the poison on ${topic} dead-lettered`, async () => (letter = await ledgerLetter(topic, id, false)) !== undefined, 120_000, 1_000);
          deadLetteredMs = Math.max(deadLetteredMs, Date.now() - sentAt);
          expect(letter!.error).toMatch(/ZodError|invalid/i);
          expect(letter!.source).toMatch(new RegExp(`^${topic.replaceAll('.', '\\.')}/\\d+@\\d+$`));
        }
        // The CLI lists them, error included.
        const listed = dlq('list');
        expect(listed.status, listed.stderr).toBe(0);
        for (const { id } of poisons) expect(listed.stdout).toContain(id);
        expect(listed.stdout).toMatch(/error {5}ZodError/);

        const replayStartedAt = Date.now();
        for (const { topic, id } of poisons) {
          const replay = dlq('replay', topic, '--id', id);
          expect(replay.status, replay.stderr).toBe(0);
          expect(replay.stdout).toMatch(new RegExp(`replayed 1 event onto ${topic.replaceAll('.', '\\.')}`));
        }
        // Still invalid: each consumer gives up on it again, saying which dead letter it came from.
        for (const { topic, id } of poisons) {
          let again: DeadLetter | undefined;
          await timeUntil(`the replayed poison on ${topic} dead-lettered again`, async () => (again = await ledgerLetter(topic, id, true)) !== undefined, 120_000, 1_000);
          expect(again!.replayOf).toMatch(new RegExp(`^${deadLetterTopicOf(topic).replaceAll('.', '\\.')}/\\d+@\\d+$`));
        }
        recoveries.push({
          fault: `poison message on each of ${poisons.length} topics (dead-lettered; replayed)`,
          outageMs: 0,
          readyMs: 0,
          drainedMs: deadLetteredMs,
          acceptedDuring: load.captures.filter((capture) => capture.status === 202 && capture.sentAt >= sentAt && capture.sentAt <= replayStartedAt).reduce((sum, capture) => sum + capture.eventIds.length, 0),
          failedDuring: load.captures.filter((capture) => capture.status !== 202 && capture.sentAt >= sentAt && capture.sentAt <= replayStartedAt).length,
        });
        // The load went on around the poison: everything accepted meanwhile is anchored.
        const cutoff = Date.now();
        await timeUntil('the load around the poison anchored', () => checks.drained(cutoff), RECOVERY_TIMEOUT_MS, 500);
      } finally {
        await producer.disconnect();
        await admin.disconnect();
      }
    },
    FAULT_TEST_TIMEOUT_MS,
  );

  it(
    'replaying an event every consumer already applied changes nothing: idempotent by event id',
    async () => {
      const admin = kafka.admin();
      await admin.connect();
      const producer = kafka.producer();
      await producer.connect();
      try {
        // A lot record of this run, applied long ago, as it would sit in a dead-letter topic had one
        // consumer once failed on it for a reason since fixed.
        const { rows } = await db.query<{ record_key: string; record_type: string; record_json: string; event_id: string; leaf_index: string }>(
          `SELECT "record_key", "record_type", "record_json", "event_id", "leaf_index"::text FROM "ledger"."leaves" WHERE "record_type" = 'archive.lot' ORDER BY "leaves"."leaf_index" DESC LIMIT 1`,
        );
        const applied = rows[0]!;
        const topic = 'archive.record.versioned.v1';
        await producer.send({
          topic: deadLetterTopicOf(topic),
          messages: [
            {
              key: JSON.parse(applied.record_json).id as string,
              value: JSON.stringify({ recordType: applied.record_type, recordKey: applied.record_key, record: JSON.parse(applied.record_json) }),
              headers: {
                ce_specversion: '1.0',
                ce_id: applied.event_id,
                ce_source: '/test/faults',
                ce_type: 'io.traceport.archive.record.versioned.v1',
                ce_time: new Date().toISOString(),
                'content-type': 'application/json',
                dlt_error: 'Error: a transient fault misread as permanent (simulated)',
                dlt_consumer: 'decision-engine.archive-projection',
                dlt_attempts: '3',
                dlt_source: `${topic}/0@replay-check-${run}`,
              },
            },
          ],
        });
        const leavesBefore = Number((await db.query<{ count: string }>(`SELECT count(*)::text AS "count" FROM "ledger"."leaves"`)).rows[0]!.count);
        const replay = dlq('replay', topic, '--id', applied.event_id);
        expect(replay.status, replay.stderr).toBe(0);
        expect(replay.stdout).toMatch(/replayed 1 event onto archive\.record\.versioned\.v1/);
        const ends = await admin.fetchTopicOffsets(topic);
        // Both consumer groups of the topic have read past the replay...
        for (const groupId of ['ledger-anchor.log-appender', 'decision-engine.archive-projection']) {
          await timeUntil(
            `${groupId} past the replay`,
            async () => {
              const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
              return ends.every(
                (end) => end.high === end.low || BigInt(committed!.partitions.find((partition) => partition.partition === end.partition)?.offset ?? '-1') >= BigInt(end.high),
              );
            },
            120_000,
            500,
          );
        }
        // ...and skipped it: the record is in the log once, at its old place, and nothing was dead-lettered.
        const after = await db.query<{ leaf_index: string }>(`SELECT "leaf_index"::text FROM "ledger"."leaves" WHERE "record_key" = $1`, [applied.record_key]);
        expect(after.rows).toEqual([{ leaf_index: applied.leaf_index }]);
        const letters = await readDeadLetters(kafka, admin, deadLetterTopicOf(topic));
        expect(letters.filter((letter) => letter.eventId === applied.event_id && letter.replayOf !== null)).toEqual([]);
        const leavesAfter = Number((await db.query<{ count: string }>(`SELECT count(*)::text AS "count" FROM "ledger"."leaves" WHERE "record_key" = $1`, [applied.record_key])).rows[0]!.count);
        expect(leavesAfter).toBe(1);
        expect(leavesBefore).toBeGreaterThan(0);
      } finally {
        await producer.disconnect();
        await admin.disconnect();
      }
    },
    FAULT_TEST_TIMEOUT_MS,
  );

  it('`./traceport dlq replay` re-drives each source message once, with its key and headers, and remembers what it replayed', async () => {
    // A topic of this test alone (no consumer reads it), so what lands on it is exactly what replay sent.
    const topic = `fault-test-${run}.v1`;
    const admin = kafka.admin();
    await admin.connect();
    const producer = kafka.producer();
    await producer.connect();
    const reader = kafka.consumer({ groupId: `fault-test-reader-${run}` });
    try {
      await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1 }, { topic: deadLetterTopicOf(topic), numPartitions: 1 }] });
      const letter = (id: string, consumer: string, source: string) => ({
        key: `key-${id}`,
        value: JSON.stringify({ id }),
        headers: { ce_id: id, ce_type: 'io.traceport.test.v1', dlt_error: `ZodError: ${id} is wrong`, dlt_consumer: consumer, dlt_attempts: '3', dlt_source: source },
      });
      // Two consumer groups gave up on the first message; one on the second.
      await producer.send({
        topic: deadLetterTopicOf(topic),
        messages: [letter('first', 'group-a', `${topic}/0@10`), letter('first', 'group-b', `${topic}/0@10`), letter('second', 'group-a', `${topic}/0@11`)],
      });
      const first = dlq('replay', topic);
      expect(first.status, first.stderr).toBe(0);
      expect(first.stdout).toContain(`replayed 2 events onto ${topic} (1 more dead letter named the same messages)`);
      const listed = dlq('list', topic);
      expect(listed.stdout.match(/\(replayed\)/g)).toHaveLength(3);
      expect(listed.stdout).toContain('3 dead letters (0 not replayed)');
      const again = dlq('replay', topic);
      expect(again.stdout).toContain(`replayed 0 events onto ${topic}`);

      const received: { key: string; value: string; headers: Record<string, string> }[] = [];
      await reader.connect();
      await reader.subscribe({ topic, fromBeginning: true });
      await reader.run({
        eachMessage: async ({ message }) => {
          received.push({
            key: message.key?.toString() ?? '',
            value: message.value?.toString() ?? '',
            headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)])),
          });
        },
      });
      await timeUntil('the replayed messages read back', async () => received.length >= 2, 30_000, 200);
      await sleep(1_000);
      expect(received.map((message) => message.key)).toEqual(['key-first', 'key-second']);
      expect(received[0]!.value).toBe(JSON.stringify({ id: 'first' }));
      expect(received[0]!.headers).toMatchObject({ ce_id: 'first', ce_type: 'io.traceport.test.v1', dlt_replay_of: `${deadLetterTopicOf(topic)}/0@0` });
      expect(Object.keys(received[0]!.headers).filter((name) => name.startsWith('dlt_') && name !== 'dlt_replay_of')).toEqual([]);
    } finally {
      await reader.disconnect();
      await producer.disconnect();
      await admin.disconnect();
    }
  }, 180_000);

  it('after every fault: each capture answered 202 stored exactly once, anchored and provable; the rest stored at most once; no head twice', async () => {
    await load.stop();
    const stoppedAt = Date.now();
    await timeUntil('everything accepted anchored', () => checks.drained(stoppedAt), RECOVERY_TIMEOUT_MS, 500);
    const unacknowledged = await checks.unacknowledgedAtMostOnce();
    expect(await checks.committedButNotAppended(new Date(stoppedAt))).toEqual([]);
    let log: Awaited<ReturnType<NothingLost['logAndHeadsConsistent']>> | undefined;
    await timeUntil('log and heads consistent', async () => ((log = await checks.logAndHeadsConsistent()), true), 30_000, 500);
    if (log === undefined) throw new Error('unreachable');
    expect(log.anchoredSize).toBeGreaterThan(0);
    for (const recordKey of await checks.sampleRecordKeys(stoppedAt, 5)) await checks.proofVerifies(recordKey);
    const summary = load.summary();
    expect(summary.eventsAccepted).toBeGreaterThan(0);
    expect(summary.lotsReceived).toBeGreaterThan(0);
    nothingLost = true;
    process.stdout.write(
      `fault suite: ${summary.eventsAccepted} events accepted and anchored, ${summary.lotsReceived} lots decided, ${unacknowledged.stored} of ${unacknowledged.stored + unacknowledged.notStored} unacknowledged events stored (once), log size ${log.treeSize}, ${log.heads} heads on chain\n`,
    );
  }, RECOVERY_TIMEOUT_MS + 60_000);
});
