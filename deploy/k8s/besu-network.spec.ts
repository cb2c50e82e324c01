import { readFileSync } from 'node:fs';
import { privateKeyToAccount } from 'viem/accounts';
import { describe, expect, it } from 'vitest';
import {
  addressOfPublicKey,
  GENERATED_FILES,
  NETWORK_FILE,
  qbftExtraData,
  renderBesuNetwork,
  validatorsInExtraData,
  type BesuNetwork,
} from './tooling/besu-network.ts';

const network = JSON.parse(readFileSync(NETWORK_FILE, 'utf8')) as BesuNetwork;

describe('the Besu QBFT network', () => {
  it('has generated files that match network.json (regenerate: node deploy/k8s/tooling/generate-besu-network.ts)', () => {
    const rendered = renderBesuNetwork(network);
    for (const [name, url] of Object.entries(GENERATED_FILES) as [keyof typeof GENERATED_FILES, URL][]) {
      expect(readFileSync(url, 'utf8'), name).toBe(rendered[name]);
    }
  });

  it('starts with four validators whose addresses are in the genesis extraData', () => {
    expect(network.validators).toHaveLength(4);
    const genesis = JSON.parse(readFileSync(GENERATED_FILES.genesis, 'utf8')) as { extraData: `0x${string}`; config: { qbft: object } };
    expect(genesis.config.qbft).toBeDefined();
    expect(validatorsInExtraData(genesis.extraData)).toEqual(network.validators.map((node) => addressOfPublicKey(node.publicKey)));
  });

  it('encodes extraData as Besu does', () => {
    // Besu's documentation example: four validators, RLP([vanity, validators, vote, round, seals]).
    const validators = [
      '0x64a702e6263b7297a96638cac6ae65e6541f4169',
      '0x3923390ad55e90c237593b3b0e401f3b08a03185',
      '0xaefdb9a738c9f433e5b6b212a6d62f6370c2f692',
      '0xc7eeb9a4e00ce683cf93039b212648e01c6c6b78',
    ] as const;
    expect(qbftExtraData(validators)).toBe(
      '0xf87aa00000000000000000000000000000000000000000000000000000000000000000f8549464a702e6263b7297a96638cac6ae65e6541f4169943923390ad55e90c237593b3b0e401f3b08a0318594aefdb9a738c9f433e5b6b212a6d62f6370c2f69294c7eeb9a4e00ce683cf93039b212648e01c6c6b78c080c0',
    );
  });

  it('derives a node’s address from its public key like Ethereum does', () => {
    const account = privateKeyToAccount('0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80');
    expect(addressOfPublicKey(account.publicKey.slice(4))).toBe(account.address);
  });

  it('lets every node peer and the anchorer transact (local permissioning)', () => {
    const permissions = readFileSync(GENERATED_FILES.permissions, 'utf8');
    for (const node of [...network.validators, ...network.rpcNodes]) expect(permissions).toContain(`enode://${node.publicKey}@${node.name}.`);
    expect(permissions).toContain('0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266');
  });
});
