import type { TopicSpec } from '@traceport/contracts';
import type { Admin, Kafka } from 'kafkajs';

/**
 * Creates the topics that do not exist yet (the broker does not auto-create them), and returns once
 * every partition of every topic given has a leader, so a consumer can subscribe at once.
 */
export async function ensureTopics(kafka: Kafka, specs: readonly TopicSpec[], timeoutMs = 30_000): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((spec) => !existing.has(spec.name));
    if (missing.length > 0) {
      // kafkajs's own waitForLeaders gives up at once when the broker has not yet learnt of a topic
      // the controller just created (UNKNOWN_TOPIC_OR_PARTITION under KRaft), which crashed services
      // that started together; waitForLeaders below retries that instead.
      await admin.createTopics({
        waitForLeaders: false,
        topics: missing.map((spec) => ({
          topic: spec.name,
          numPartitions: spec.partitions,
          replicationFactor: -1,
          configEntries: [{ name: 'retention.ms', value: String(spec.retentionMs) }],
        })),
      });
    }
    // Also for topics that exist: another service may have created them a moment ago.
    await waitForLeaders(admin, specs.map((spec) => spec.name), timeoutMs);
    return missing.map((spec) => spec.name);
  } finally {
    await admin.disconnect();
  }
}

async function waitForLeaders(admin: Admin, topics: string[], timeoutMs: number): Promise<void> {
  if (topics.length === 0) return;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let pending: string;
    try {
      const metadata = await admin.fetchTopicMetadata({ topics });
      const leaderless = metadata.topics.filter((topic) => topic.partitions.length === 0 || topic.partitions.some((partition) => partition.leader < 0));
      if (leaderless.length === 0) return;
      pending = `no leader yet for ${leaderless.map((topic) => topic.name).join(', ')}`;
    } catch (error) {
      pending = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() >= deadline) throw new Error(`Kafka topics not ready after ${timeoutMs} ms: ${pending}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Readiness: the cluster answers a metadata request. */
export async function pingKafka(kafka: Kafka): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.describeCluster();
  } finally {
    await admin.disconnect();
  }
}
