// The key ceremony of the consortium chain's nodes, run by whoever operates them:
//
//   node deploy/k8s/tooling/besu-keys.ts new > besu-node-keys.yaml
//       fresh random keys for every node in network.json: the Secret `besu-node-keys` goes to stdout
//       (apply it, keep it in your secret store, never commit it); network.json gets the public keys.
//   node deploy/k8s/tooling/besu-keys.ts test-mnemonic | kubectl apply -n traceport-dev -f -
//       the dev overlay's keys: derived from Hardhat's public test mnemonic, so anyone can recreate
//       them. For a throwaway cluster only.
//
// Afterwards run tooling/generate-besu-network.ts to rewrite the genesis and the allowlists.
import { readFileSync, writeFileSync } from 'node:fs';
import { generatePrivateKey, mnemonicToAccount, privateKeyToAccount } from 'viem/accounts';
import { bytesToHex, type Hex } from 'viem';
import { stringify } from 'yaml';
import { NETWORK_FILE, type BesuNetwork, type BesuNode } from './besu-network.ts';

const TEST_MNEMONIC = 'test test test test test test test test test test test junk';
// Indices 0-9 are the local platform's accounts (anchorer, agencies); the nodes take the next ones.
const FIRST_TEST_INDEX = 10;

const mode = process.argv[2];
if (mode !== 'new' && mode !== 'test-mnemonic') {
  console.error('usage: node deploy/k8s/tooling/besu-keys.ts new|test-mnemonic');
  process.exit(2);
}

const network = JSON.parse(readFileSync(NETWORK_FILE, 'utf8')) as BesuNetwork;
const nodes = [...network.validators, ...network.rpcNodes];
const keys: Record<string, Hex> = {};
const withKey = (node: BesuNode, index: number): BesuNode => {
  const privateKey =
    mode === 'new' ? generatePrivateKey() : bytesToHex(mnemonicToAccount(TEST_MNEMONIC, { addressIndex: FIRST_TEST_INDEX + index }).getHdKey().privateKey!);
  keys[node.name] = privateKey;
  return { name: node.name, publicKey: privateKeyToAccount(privateKey).publicKey.slice(4) };
};
const updated: BesuNetwork = {
  ...network,
  validators: network.validators.map((node, index) => withKey(node, index)),
  rpcNodes: network.rpcNodes.map((node, index) => withKey(node, network.validators.length + index)),
};
writeFileSync(NETWORK_FILE, `${JSON.stringify(updated, null, 2)}\n`);
process.stdout.write(
  stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'besu-node-keys' }, type: 'Opaque', stringData: keys }),
);
console.error(`network.json: public keys of ${nodes.length} nodes written; now run node deploy/k8s/tooling/generate-besu-network.ts`);
