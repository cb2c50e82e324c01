import 'reflect-metadata';
import { createCloudEvent, deadLetterTopicOf, toKafkaRecord, type TopicSpec } from '@traceport/contracts';
import { ensureSchema, serviceDataSourceOptions } from '@traceport/database';
import { Metrics } from '@traceport/observability';
import { eventually, freshDatabase, testPlatform } from '@traceport/testing';
import type { Kafka, Producer } from 'kafkajs';
import { pino } from 'pino';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createKafka, enqueueEvent, ensureTopics, IdempotentConsumer, MESSAGING_ENTITIES, messagingTablesDdl, OutboxRelay } from '../src/index.js';

// Outbox → relay → real Kafka → idempotent consumer, on the real PostgreSQL: nothing committed is
// lost, nothing rolled back is published, nothing redelivered is applied twice, and what can never
// be applied lands in the dead-letter topic with its error.

const SCHEMA = 'messaging_it';
const logger = pino({ level: 'silent' });
const topic: TopicSpec = { name: `it.messaging.run${Date.now()}.v1`, partitions: 3, retentionMs: 3_600_000, keyedBy: 'test key', anchorable: false };
const dlt: TopicSpec = { ...topic, name: deadLetterTopicOf(topic.name), partitions: 1 };
const payloadSchema = z.object({ n: z.number().int() });

let database: Awaited<ReturnType<typeof freshDatabase>>;
let dataSource: DataSource;
let kafka: Kafka;
let producer: Producer;
let consumer: IdempotentConsumer;
const metrics = new Metrics('messaging-it');
/** Events whose after-commit effect ran: the handler registers one before it can fail. */
const committedEffects: string[] = [];

const groupId = `messaging-it-${Date.now()}`;

const appliedCount = async () => Number(((await dataSource.query(`SELECT count(*)::text AS c FROM "${SCHEMA}"."applied"`)) as { c: string }[])[0]!.c);

beforeAll(async () => {
  database = await freshDatabase('traceport_it_messaging');
  await ensureSchema(database.url, SCHEMA);
  dataSource = await new DataSource(
    serviceDataSourceOptions({ url: database.url, schema: SCHEMA, applicationName: 'messaging-it', entities: MESSAGING_ENTITIES, migrations: [] }),
  ).initialize();
  for (const statement of messagingTablesDdl(SCHEMA)) await dataSource.query(statement);
  await dataSource.query(`CREATE TABLE "${SCHEMA}"."applied" ("event_id" text PRIMARY KEY, "n" integer NOT NULL)`);
  kafka = createKafka({ clientId: 'messaging-it', brokers: testPlatform().kafkaBrokers, logger });
  await ensureTopics(kafka, [topic, dlt]);
  producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  consumer = new IdempotentConsumer({
    kafka,
    dataSource,
    producer,
    metrics,
    logger,
    schema: SCHEMA,
    groupId,
    topics: [topic.name],
    handler: async (event, _context, manager, afterCommit) => {
      afterCommit(() => committedEffects.push(event.id));
      const { n } = payloadSchema.parse(event.data);
      await manager.query(`INSERT INTO "${SCHEMA}"."applied" ("event_id", "n") VALUES ($1, $2)`, [event.id, n]);
    },
  });
  await consumer.start();
});

afterAll(async () => {
  await consumer?.stop();
  await producer?.disconnect();
  await dataSource?.destroy();
  await database?.drop();
});

describe('outbox relay and idempotent consumer', () => {
  const events = Array.from({ length: 20 }, (_, n) => createCloudEvent({ type: 'io.traceport.test.v1', source: '/it', data: { n } }));

  it('publishes exactly the committed events and the consumer applies each once', async () => {
    for (const event of events) {
      await dataSource.transaction((manager) => enqueueEvent(manager, topic.name, `key-${event.data.n % 4}`, event));
    }
    const rolledBack = createCloudEvent({ type: 'io.traceport.test.v1', source: '/it', data: { n: 999 } });
    await expect(
      dataSource.transaction(async (manager) => {
        await enqueueEvent(manager, topic.name, 'key-x', rolledBack);
        throw new Error('the business change failed');
      }),
    ).rejects.toThrow('the business change failed');

    const relay = new OutboxRelay(dataSource, producer, { schema: SCHEMA, logger });
    expect(await relay.backlog()).toBe(20);
    let published = 0;
    for (let batch = await relay.drainOnce(); batch > 0; batch = await relay.drainOnce()) published += batch;
    expect(published).toBe(20);
    expect(await relay.backlog()).toBe(0);

    await eventually('20 events applied', async () => ((await appliedCount()) === 20 ? true : undefined));
    const rows: { n: number }[] = await dataSource.query(`SELECT "n" FROM "${SCHEMA}"."applied" ORDER BY "n"`);
    expect(rows.map((row) => row.n)).toEqual(events.map((event) => event.data.n));
    expect([...committedEffects].sort()).toEqual(events.map((event) => event.id).sort());
  });

  it('sends at most batchBytes of values at once, in order, and prunes published rows past their retention only', async () => {
    const big = Array.from({ length: 6 }, (_, n) => createCloudEvent({ type: 'io.traceport.test.v1', source: '/it', data: { n: 100 + n, padding: 'x'.repeat(40_000) } }));
    await dataSource.transaction(async (manager) => {
      for (const event of big) await enqueueEvent(manager, topic.name, 'key-big', event);
    });
    // ~40 KB each: a 100 KB budget sends three (the third starts under it), then three.
    const relay = new OutboxRelay(dataSource, producer, { schema: SCHEMA, logger, batchBytes: 100_000, retainPublishedMs: 60_000 });
    expect([await relay.drainOnce(), await relay.drainOnce(), await relay.drainOnce()]).toEqual([3, 3, 0]);
    await eventually('the big events applied', async () => ((await appliedCount()) === 26 ? true : undefined));

    const rowCount = async () => Number(((await dataSource.query(`SELECT count(*)::text AS c FROM "${SCHEMA}"."outbox"`)) as { c: string }[])[0]!.c);
    const before = await rowCount();
    const waiting = createCloudEvent({ type: 'io.traceport.test.v1', source: '/it', data: { n: 200 } });
    await dataSource.transaction((manager) => enqueueEvent(manager, topic.name, 'key-wait', waiting));
    // Within the retention nothing goes; past it every published row goes, never one still waiting.
    expect(await relay.pruneIfDue(Date.now())).toBe(0);
    expect(await relay.pruneIfDue(Date.now() + 120_000)).toBe(before);
    expect(await rowCount()).toBe(1);
    expect(await relay.backlog()).toBe(1);
    expect(await relay.drainOnce()).toBe(1);
    await eventually('the waiting event applied', async () => ((await appliedCount()) === 27 ? true : undefined));
  });

  it('skips redelivered events by id', async () => {
    const duplicates = events.slice(0, 5).map((event) => toKafkaRecord(event, 'key-dup'));
    await producer.send({ topic: topic.name, messages: duplicates.map((record) => ({ ...record })) });
    await eventually('5 duplicates seen', async () => {
      const metric = await metrics.messagesConsumed.get();
      const duplicatesSeen = metric.values.find((value) => value.labels['outcome'] === 'duplicate')?.value ?? 0;
      return duplicatesSeen >= 5 ? true : undefined;
    });
    expect(await appliedCount()).toBe(27);
  });

  it('dead-letters a message that is not a CloudEvent and one the handler can never apply, with the error', async () => {
    const invalid = toKafkaRecord(createCloudEvent({ type: 'io.traceport.test.v1', source: '/it', data: { n: 'not a number' } }), 'key-bad');
    await producer.send({
      topic: topic.name,
      messages: [{ key: 'poison', value: 'this is not JSON', headers: { ce_id: 'poison-1' } }, { ...invalid }],
    });
    const dead: { value: string; error: string }[] = [];
    const reader = kafka.consumer({ groupId: `dlt-reader-${Date.now()}` });
    await reader.connect();
    await reader.subscribe({ topic: dlt.name, fromBeginning: true });
    await reader.run({
      eachMessage: async ({ message }) => {
        dead.push({ value: message.value?.toString() ?? '', error: message.headers?.['dlt_error']?.toString() ?? '' });
      },
    });
    await eventually('2 dead letters', async () => (dead.length >= 2 ? true : undefined), 45_000);
    await reader.disconnect();
    expect(dead.find((letter) => letter.value === 'this is not JSON')?.error).toMatch(/MalformedCloudEventError/);
    expect(dead.find((letter) => letter.value.includes('not a number'))?.error).toMatch(/ZodError/);
    expect(await appliedCount()).toBe(27);
    // The rejected event's effect was registered on every attempt, but none of them committed.
    expect(committedEffects).toHaveLength(27);
  });
  it('commits what it applied once the commit interval has passed, with no further messages to prompt it', async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const ends = await admin.fetchTopicOffsets(topic.name);
      await eventually('the group committed every partition to its end', async () => {
        const [committed] = await admin.fetchOffsets({ groupId, topics: [topic.name] });
        const behind = ends.filter((end) => committed!.partitions.find((partition) => partition.partition === end.partition)?.offset !== end.high);
        return behind.length === 0 ? true : undefined;
      });
    } finally {
      await admin.disconnect();
    }
  });
});
