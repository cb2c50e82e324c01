import { readFileSync } from 'node:fs';
import { allTopicSpecs } from '@traceport/contracts';
import { describe, expect, it } from 'vitest';
import { kafkaTopicResources, renderKafkaTopics, TOPICS_MANIFEST } from './tooling/kafka-topics.ts';

describe('KafkaTopic manifests', () => {
  it('are exactly what libs/contracts says (regenerate: node deploy/k8s/tooling/generate-topics.ts)', () => {
    expect(readFileSync(TOPICS_MANIFEST, 'utf8')).toBe(renderKafkaTopics(allTopicSpecs()));
  });

  it('carry each topic’s name, partitions and retention', () => {
    const byName = new Map(kafkaTopicResources(allTopicSpecs()).map((resource) => [(resource as { spec: { topicName: string } }).spec.topicName, resource]));
    for (const spec of allTopicSpecs()) {
      expect(byName.get(spec.name)).toMatchObject({
        kind: 'KafkaTopic',
        metadata: { name: spec.name, labels: { 'strimzi.io/cluster': 'traceport' } },
        spec: { partitions: spec.partitions, config: { 'retention.ms': spec.retentionMs } },
      });
    }
    expect(byName.size).toBe(allTopicSpecs().length);
  });
});
