import type { TopicSpec } from '@traceport/contracts';
import { stringify } from 'yaml';

/** The Strimzi Kafka cluster (deploy/k8s/base/kafka/kafka-cluster.yaml) the topics belong to. */
export const KAFKA_CLUSTER = 'traceport';

/** The committed manifest; `node deploy/k8s/tooling/generate-topics.ts` rewrites it. */
export const TOPICS_MANIFEST = new URL('../base/kafka/kafka-topics.yaml', import.meta.url);

/** Replicas in the base (production-shaped) cluster; the dev overlay, with one broker, patches them to 1. */
const REPLICAS = 3;
const MIN_IN_SYNC_REPLICAS = 2;

/**
 * One KafkaTopic per topic of libs/contracts (each event topic and its dead-letter twin), with the
 * partitions and retention the contracts give. Partitions bound a consumer group's useful replicas,
 * so they are also what KEDA scales the consumers up to.
 */
export function kafkaTopicResources(specs: readonly TopicSpec[]): object[] {
  return [...specs]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((spec) => ({
      apiVersion: 'kafka.strimzi.io/v1',
      kind: 'KafkaTopic',
      metadata: {
        name: spec.name,
        labels: { 'strimzi.io/cluster': KAFKA_CLUSTER },
        annotations: { 'traceport.dev/keyed-by': spec.keyedBy },
      },
      spec: {
        topicName: spec.name,
        partitions: spec.partitions,
        replicas: REPLICAS,
        config: { 'retention.ms': spec.retentionMs, 'cleanup.policy': 'delete', 'min.insync.replicas': MIN_IN_SYNC_REPLICAS },
      },
    }));
}

export function renderKafkaTopics(specs: readonly TopicSpec[]): string {
  const header = [
    '# GENERATED from libs/contracts (allTopicSpecs) by deploy/k8s/tooling/generate-topics.ts: do not edit.',
    '# deploy/k8s/kafka-topics.spec.ts fails when this file and libs/contracts disagree.',
  ].join('\n');
  return `${header}\n${kafkaTopicResources(specs)
    .map((resource) => stringify(resource, { lineWidth: 0 }))
    .join('---\n')}`;
}
