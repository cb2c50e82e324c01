// Writes deploy/k8s/base/kafka/kafka-topics.yaml from libs/contracts, the one list of topics.
//
//   node deploy/k8s/tooling/generate-topics.ts           rewrite the manifest
//   node deploy/k8s/tooling/generate-topics.ts --check   exit 1 when it is out of date
//
// Runs under Node's type stripping and imports the built @traceport/contracts (npm run build, or any
// ./traceport command, builds it first).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { allTopicSpecs } from '@traceport/contracts';
import { renderKafkaTopics, TOPICS_MANIFEST } from './kafka-topics.ts';

const rendered = renderKafkaTopics(allTopicSpecs());
const path = fileURLToPath(TOPICS_MANIFEST);
const current = (() => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
})();

if (process.argv.includes('--check')) {
  if (current !== rendered) {
    console.error(`${path} is out of date with libs/contracts; run: node deploy/k8s/tooling/generate-topics.ts`);
    process.exit(1);
  }
} else if (current !== rendered) {
  writeFileSync(path, rendered);
  console.log(`wrote ${path}`);
}
