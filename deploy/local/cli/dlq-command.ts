import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Admin, type IHeaders } from 'kafkajs';
import type { Profile } from './profile.ts';

/**
 * `./traceport dlq`: what sits in the dead-letter topics (`<topic>.dlt`, where an idempotent
 * consumer puts an event it can never apply, with the error in `dlt_*` headers), and re-driving
 * them onto their source topic. A replay is safe to repeat: every consumer is idempotent by event
 * id, so one that already applied the event skips it, and one that still cannot apply it
 * dead-letters it again (with `dlt_replay_of` naming the dead letter it came from).
 *
 * What was replayed is remembered as the committed offsets of the consumer group REPLAY_GROUP on
 * each dead-letter topic (nothing else reads under that group), so a plain `replay` re-drives only
 * the dead letters that arrived since the last one.
 */
export const REPLAY_GROUP = 'traceport-dlq-replay';
const DLT_SUFFIX = '.dlt';
const READ_TIMEOUT_MS = 30_000;

export interface DeadLetter {
  readonly deadLetterTopic: string;
  readonly sourceTopic: string;
  readonly partition: number;
  readonly offset: string;
  readonly timestamp: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Record<string, string>;
  /** The CloudEvent id (`ce_id`), when the message carried one. */
  readonly eventId: string | null;
  readonly eventType: string | null;
  readonly error: string;
  readonly consumer: string;
  readonly attempts: number;
  /** `<topic>/<partition>@<offset>` of the message the consumer gave up on. */
  readonly source: string;
  /** Set when this dead letter came from a replay of another one. */
  readonly replayOf: string | null;
  /** True when a plain `replay` has already re-driven it. */
  readonly replayed: boolean;
}

function headerStrings(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) out[name] = first.toString();
  }
  return out;
}

function kafkaOf(profile: Profile): Kafka {
  return new Kafka({
    clientId: 'traceport-dlq',
    brokers: profile.kafkaBrokers.split(','),
    logLevel: logLevel.NOTHING,
    retry: { retries: 3 },
  });
}

/** `epcis.capture.stored.v1` or `epcis.capture.stored.v1.dlt` → the dead-letter topic's name. */
function deadLetterTopicName(topic: string): string {
  return topic.endsWith(DLT_SUFFIX) ? topic : `${topic}${DLT_SUFFIX}`;
}

async function allDeadLetterTopics(): Promise<string[]> {
  const { allTopicSpecs } = await import('@traceport/contracts');
  return allTopicSpecs()
    .map((spec) => spec.name)
    .filter((name) => name.endsWith(DLT_SUFFIX));
}

/** Offset (exclusive) up to which each partition was replayed; 0 when never. */
async function replayedUpTo(admin: Admin, topic: string): Promise<Map<number, bigint>> {
  const [offsets] = await admin.fetchOffsets({ groupId: REPLAY_GROUP, topics: [topic] });
  return new Map((offsets?.partitions ?? []).map((partition) => [partition.partition, BigInt(partition.offset === '-1' ? '0' : partition.offset)]));
}

/**
 * Every message in a dead-letter topic, oldest first. Read under a throwaway consumer group (kafkajs
 * reads only through groups), deleted afterwards.
 */
export async function readDeadLetters(kafka: Kafka, admin: Admin, topic: string): Promise<DeadLetter[]> {
  const ends = await admin.fetchTopicOffsets(topic);
  const pending = new Map(ends.filter((end) => BigInt(end.high) > BigInt(end.low)).map((end) => [end.partition, BigInt(end.high)]));
  if (pending.size === 0) return [];
  const replayed = await replayedUpTo(admin, topic);
  const groupId = `traceport-dlq-reader-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
  const letters: DeadLetter[] = [];
  const sourceTopic = topic.slice(0, -DLT_SUFFIX.length);
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`reading ${topic} took more than ${READ_TIMEOUT_MS / 1000} s`)), READ_TIMEOUT_MS);
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            const end = pending.get(partition);
            if (end === undefined || BigInt(message.offset) >= end) return;
            const headers = headerStrings(message.headers);
            letters.push({
              deadLetterTopic: topic,
              sourceTopic,
              partition,
              offset: message.offset,
              timestamp: new Date(Number(message.timestamp)).toISOString(),
              key: message.key,
              value: message.value,
              headers,
              eventId: headers['ce_id'] ?? null,
              eventType: headers['ce_type'] ?? null,
              error: headers['dlt_error'] ?? '(no dlt_error header)',
              consumer: headers['dlt_consumer'] ?? '?',
              attempts: Number(headers['dlt_attempts'] ?? 0),
              source: headers['dlt_source'] ?? '?',
              replayOf: headers['dlt_replay_of'] ?? null,
              replayed: BigInt(message.offset) < (replayed.get(partition) ?? 0n),
            });
            if (BigInt(message.offset) + 1n >= end) pending.delete(partition);
            if (pending.size === 0) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch((error: unknown) => {
          clearTimeout(timer);
          reject(error instanceof Error ? error : new Error(String(error)));
        });
    });
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await admin.deleteGroups([groupId]).catch(() => undefined);
  }
  return letters.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
}

export interface ReplayResult {
  /** Messages produced onto the source topic. */
  readonly replayed: number;
  /** Dead letters that named a message already re-driven in this replay (one per consumer group that gave up on it). */
  readonly sameSource: number;
  readonly sourceTopic: string;
}

/**
 * Re-drives dead letters onto their source topic, with their key (so they land on the partition,
 * and in the order, their entity's events use), value and original headers. One message per
 * source message, however many consumer groups dead-lettered it: each group sees the replay.
 */
export async function replayDeadLetters(
  kafka: Kafka,
  admin: Admin,
  topic: string,
  select: { eventId?: string; all?: boolean },
): Promise<ReplayResult> {
  const letters = await readDeadLetters(kafka, admin, topic);
  const chosen = letters.filter((letter) =>
    select.eventId !== undefined ? letter.eventId === select.eventId : select.all === true || !letter.replayed,
  );
  const sources = new Set<string>();
  const messages = [];
  for (const letter of chosen) {
    if (sources.has(letter.source)) continue;
    sources.add(letter.source);
    const headers = Object.fromEntries(Object.entries(letter.headers).filter(([name]) => !name.startsWith('dlt_')));
    headers['dlt_replay_of'] = `${letter.deadLetterTopic}/${letter.partition}@${letter.offset}`;
    messages.push({ key: letter.key, value: letter.value, headers });
  }
  const sourceTopic = topic.slice(0, -DLT_SUFFIX.length);
  if (messages.length > 0) {
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      await producer.send({ topic: sourceTopic, acks: -1, messages });
    } finally {
      await producer.disconnect();
    }
  }
  // A plain replay moves the mark past everything it read; --id and --all leave it where it was.
  if (select.eventId === undefined && select.all !== true && letters.length > 0) {
    const ends = await admin.fetchTopicOffsets(topic);
    const read = new Map<number, bigint>();
    for (const letter of letters) read.set(letter.partition, BigInt(letter.offset) + 1n);
    await admin.setOffsets({
      groupId: REPLAY_GROUP,
      topic,
      partitions: ends
        .filter((end) => read.has(end.partition))
        .map((end) => ({ partition: end.partition, offset: String(read.get(end.partition)) })),
    });
  }
  return { replayed: messages.length, sameSource: chosen.length - messages.length, sourceTopic };
}

function printLetters(letters: readonly DeadLetter[]): void {
  for (const letter of letters) {
    process.stdout.write(
      [
        `${letter.deadLetterTopic}/${letter.partition}@${letter.offset}  ${letter.timestamp}${letter.replayed ? '  (replayed)' : ''}`,
        `  event     ${letter.eventId ?? '(no ce_id)'}  ${letter.eventType ?? ''}`.trimEnd(),
        `  consumer  ${letter.consumer}, ${letter.attempts} attempt${letter.attempts === 1 ? '' : 's'}, from ${letter.source}${letter.replayOf === null ? '' : ` (a replay of ${letter.replayOf})`}`,
        `  error     ${letter.error}`,
        '',
      ].join('\n'),
    );
  }
}

const USAGE = `usage: ./traceport dlq list [topic] [--json]
       ./traceport dlq replay <topic> [--id <event id>] [--all]
  (topics are named with or without their .dlt suffix; --profile <name> picks the platform)
`;

export async function dlqCommand(profile: Profile, args: string[]): Promise<number> {
  const [action, ...rest] = args;
  const optionValue = (name: string) => {
    const index = rest.indexOf(name);
    return index < 0 ? undefined : rest[index + 1];
  };
  const positional = rest.filter((arg, index) => !arg.startsWith('--') && rest[index - 1] !== '--id');
  if ((action !== 'list' && action !== 'replay') || (action === 'replay' && positional[0] === undefined)) {
    process.stderr.write(USAGE);
    return 2;
  }
  const kafka = kafkaOf(profile);
  const admin = kafka.admin();
  await admin.connect().catch((error: unknown) => {
    throw new Error(`cannot reach Kafka at ${profile.kafkaBrokers} (is the ${profile.name} platform up? ./traceport status): ${error instanceof Error ? error.message : String(error)}`);
  });
  try {
    const known = new Set(await admin.listTopics());
    const topicOf = async (given: string | undefined): Promise<string[]> => {
      const wanted = given === undefined ? await allDeadLetterTopics() : [deadLetterTopicName(given)];
      for (const topic of wanted) {
        if (given !== undefined && !known.has(topic)) throw new Error(`no topic ${topic} on ${profile.kafkaBrokers}`);
      }
      return wanted.filter((topic) => known.has(topic));
    };
    switch (action) {
      case 'list': {
        const letters: DeadLetter[] = [];
        for (const topic of await topicOf(positional[0])) letters.push(...(await readDeadLetters(kafka, admin, topic)));
        if (rest.includes('--json')) {
          const json = letters.map(({ key, value, ...letter }) => ({ ...letter, key: key?.toString() ?? null, value: value?.toString() ?? null }));
          process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
        } else {
          printLetters(letters);
          const waiting = letters.filter((letter) => !letter.replayed).length;
          process.stdout.write(`${letters.length} dead letter${letters.length === 1 ? '' : 's'} (${waiting} not replayed) on ${profile.name}\n`);
        }
        return 0;
      }
      case 'replay': {
        if (positional[0] === undefined) {
          process.stderr.write(USAGE);
          return 2;
        }
        const eventId = optionValue('--id');
        if (rest.includes('--id') && eventId === undefined) {
          process.stderr.write(USAGE);
          return 2;
        }
        const [topic] = await topicOf(positional[0]);
        const result = await replayDeadLetters(kafka, admin, topic ?? deadLetterTopicName(positional[0]), { ...(eventId === undefined ? {} : { eventId }), all: rest.includes('--all') });
        if (eventId !== undefined && result.replayed === 0) {
          process.stderr.write(`traceport: no dead letter with event id ${eventId} in ${topic}\n`);
          return 1;
        }
        process.stdout.write(
          `replayed ${result.replayed} event${result.replayed === 1 ? '' : 's'} onto ${result.sourceTopic}` +
            `${result.sameSource > 0 ? ` (${result.sameSource} more dead letter${result.sameSource === 1 ? '' : 's'} named the same messages)` : ''}\n`,
        );
        return 0;
      }
      default:
        process.stderr.write(USAGE);
        return 2;
    }
  } finally {
    await admin.disconnect();
  }
}
