import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { hardhatDevAccounts, startChainNode, type ChainNode } from '@traceport/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { RegistryClient, Role } from '../src/index.js';

const run = promisify(execFile);
const deployScript = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../scripts/deploy.ts');

let node: ChainNode;
let workDir: string;

async function deploy(outputPath: string, rpcUrl: string): Promise<string> {
  // Exactly as ./traceport runs it: plain Node with type stripping, no workspace tooling.
  const { stdout } = await run(process.execPath, [deployScript, outputPath], {
    env: { ...process.env, CHAIN_RPC_URL: rpcUrl, CHAIN_DEPLOYER_PRIVATE_KEY: '', CHAIN_INITIAL_MEMBERS: '' },
  });
  return stdout;
}

beforeAll(async () => {
  node = await startChainNode();
  workDir = await mkdtemp(path.join(tmpdir(), 'traceport-chain-'));
});

afterAll(async () => {
  await node?.stop();
  if (workDir !== undefined) await rm(workDir, { recursive: true, force: true });
});

describe('libs/chain/scripts/deploy.ts', () => {
  it('deploys the local consortium once, records it, and is a no-op the second time', async () => {
    const output = path.join(workDir, 'chain', 'deployment.json');
    expect(await deploy(output, node.rpcUrl)).toMatch(/chain: registry deployed at 0x[0-9a-fA-F]{40}/);
    const recorded = JSON.parse(await readFile(output, 'utf8')) as Record<string, unknown>;
    expect(recorded).toMatchObject({ chainId: 31337, deployer: hardhatDevAccounts[0]?.address });
    expect(typeof recorded['blockNumber']).toBe('number');
    expect(new Date(recorded['deployedAt'] as string).toString()).not.toBe('Invalid Date');

    const registry = await RegistryClient.connect({ rpcUrl: node.rpcUrl, contract: recorded['contract'] as `0x${string}` });
    const [account0, account1, account2] = hardhatDevAccounts.map((a) => a.address);
    expect(await registry.roles(account0 as `0x${string}`)).toBe(Role.Anchorer | Role.Auditor);
    expect(await registry.roles(account1 as `0x${string}`)).toBe(Role.Agency);
    expect(await registry.roles(account2 as `0x${string}`)).toBe(Role.Agency);

    expect(await deploy(output, node.rpcUrl)).toBe(`chain: registry already deployed at ${String(recorded['contract'])}\n`);
    expect(JSON.parse(await readFile(output, 'utf8'))).toEqual(recorded);
  });

  it('deploys again when the recorded contract is gone (a restarted, empty node)', async () => {
    const output = path.join(workDir, 'restart', 'deployment.json');
    await deploy(output, node.rpcUrl);
    await node.stop();
    node = await startChainNode();
    expect(await deploy(output, node.rpcUrl)).toContain('deploying again');
    const recorded = JSON.parse(await readFile(output, 'utf8')) as { contract: `0x${string}` };
    await expect(RegistryClient.connect({ rpcUrl: node.rpcUrl, contract: recorded.contract })).resolves.toBeInstanceOf(RegistryClient);
  });
});
