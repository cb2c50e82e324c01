// Writes the Besu network's genesis.json, config.toml and permissions_config.toml from network.json.
//
//   node deploy/k8s/tooling/generate-besu-network.ts           rewrite them
//   node deploy/k8s/tooling/generate-besu-network.ts --check   exit 1 when one is out of date
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { GENERATED_FILES, NETWORK_FILE, renderBesuNetwork, type BesuNetwork } from './besu-network.ts';

const network = JSON.parse(readFileSync(NETWORK_FILE, 'utf8')) as BesuNetwork;
const rendered = renderBesuNetwork(network);
let stale = false;
for (const [name, url] of Object.entries(GENERATED_FILES) as [keyof typeof GENERATED_FILES, URL][]) {
  const path = fileURLToPath(url);
  let current = '';
  try {
    current = readFileSync(path, 'utf8');
  } catch {
    // Not written yet.
  }
  if (current === rendered[name]) continue;
  if (process.argv.includes('--check')) {
    console.error(`${path} is out of date with network.json`);
    stale = true;
  } else {
    writeFileSync(path, rendered[name]);
    console.log(`wrote ${path}`);
  }
}
if (stale) {
  console.error('run: node deploy/k8s/tooling/generate-besu-network.ts');
  process.exit(1);
}
