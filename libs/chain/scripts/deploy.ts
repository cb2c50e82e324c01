// Deploys TraceportRegistry once and records where:
//
//   node libs/chain/scripts/deploy.ts .run/chain/deployment.json
//
// Env: CHAIN_RPC_URL (default http://127.0.0.1:8545), CHAIN_DEPLOYER_PRIVATE_KEY, CHAIN_INITIAL_MEMBERS
// ("0xaddress:roles,..." with roles the OR of ANCHORER=1, AGENCY=2, AUDITOR=4).
// Idempotent: when the recorded contract still has code on a chain with the recorded id, nothing happens;
// when it does not (a local node restarts empty), the registry is deployed again and the file rewritten.
//
// Runs under Node's type stripping, so it cannot use the workspace's TypeScript sources (their imports say
// `.js`); it uses viem directly and the generated artifact by its `.ts` path.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { createPublicClient, createWalletClient, defineChain, getAddress, http, isAddress, type Address, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';

import { compileContracts } from './compile.ts';

// Hardhat's dev account #0: its key is public (mnemonic "test test ... junk"). LOCAL NODE ONLY — any real
// chain must be given CHAIN_DEPLOYER_PRIVATE_KEY.
const hardhatDevAccount0Key: Hex = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';

const ANCHORER = 1;
const AGENCY = 2;
const AUDITOR = 4;

// Local consortium: dev account 0 anchors and audits, dev accounts 1 and 2 are inspection agencies.
const localMembers: readonly Member[] = [
  { account: '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266', roles: ANCHORER | AUDITOR },
  { account: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8', roles: AGENCY },
  { account: '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC', roles: AGENCY },
];

const proposalLifetimeSeconds = 7n * 24n * 60n * 60n;

interface Member {
  account: Address;
  roles: number;
}

export interface Deployment {
  chainId: number;
  contract: Address;
  deployer: Address;
  blockNumber: number;
  txHash: Hex;
  deployedAt: string;
}

export async function deploy(outputPath: string): Promise<Deployment> {
  const rpcUrl = env('CHAIN_RPC_URL') ?? 'http://127.0.0.1:8545';
  const privateKey = env('CHAIN_DEPLOYER_PRIVATE_KEY') ?? hardhatDevAccount0Key;
  if (!/^0x[0-9a-fA-F]{64}$/.test(privateKey)) throw new Error('chain: CHAIN_DEPLOYER_PRIVATE_KEY is not a 0x-prefixed 32-byte hex key');
  const members = parseMembers(env('CHAIN_INITIAL_MEMBERS')) ?? localMembers;

  const transport = http(rpcUrl);
  const chainId = await createPublicClient({ transport })
    .getChainId()
    .catch((error: unknown) => {
      const reason = (error as { shortMessage?: string }).shortMessage ?? (error as Error).message;
      throw new Error(`chain: cannot reach ${rpcUrl} (is the node running?): ${reason}`);
    });
  const chain = defineChain({
    id: chainId,
    name: `traceport-consortium-${chainId}`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
  const publicClient = createPublicClient({ chain, transport, pollingInterval: 250 });

  const recorded = await readDeployment(outputPath);
  if (recorded !== undefined && recorded.chainId === chainId) {
    const code = await publicClient.getCode({ address: recorded.contract });
    if (code !== undefined && code !== '0x') {
      console.log(`chain: registry already deployed at ${recorded.contract}`);
      return recorded;
    }
    console.log(`chain: no registry at the recorded ${recorded.contract} on chain ${chainId} any more; deploying again`);
  }

  await compileContracts();
  const { traceportRegistryAbi, traceportRegistryBytecode } = await import('../src/generated/traceport-registry.artifact.ts');

  const account = privateKeyToAccount(privateKey as Hex);
  const wallet = createWalletClient({ chain, transport, account });
  const txHash = await wallet.deployContract({
    abi: traceportRegistryAbi,
    bytecode: traceportRegistryBytecode,
    args: [members.map((m) => m.account), members.map((m) => m.roles), proposalLifetimeSeconds],
  });
  const receipt = await publicClient.waitForTransactionReceipt({ hash: txHash, timeout: 60_000 });
  if (receipt.status !== 'success' || receipt.contractAddress == null) {
    throw new Error(`chain: deployment transaction ${txHash} failed`);
  }
  const deployment: Deployment = {
    chainId,
    contract: getAddress(receipt.contractAddress),
    deployer: account.address,
    blockNumber: Number(receipt.blockNumber),
    txHash,
    deployedAt: new Date().toISOString(),
  };
  await mkdir(path.dirname(path.resolve(outputPath)), { recursive: true });
  const temporary = `${outputPath}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(deployment, null, 2)}\n`);
  await rename(temporary, outputPath);
  console.log(`chain: registry deployed at ${deployment.contract} on chain ${chainId} (block ${deployment.blockNumber})`);
  return deployment;
}

async function readDeployment(file: string): Promise<Deployment | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = JSON.parse(text) as Partial<Deployment>;
    if (typeof parsed.chainId === 'number' && typeof parsed.contract === 'string' && isAddress(parsed.contract)) {
      return parsed as Deployment;
    }
  } catch {
    // An unreadable record is as good as none: deploy and overwrite it.
  }
  console.log(`chain: ignoring unreadable ${file}`);
  return undefined;
}

// An empty variable (as env files and compose leave them) means "not set".
function env(name: string): string | undefined {
  const value = process.env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function parseMembers(spec: string | undefined): Member[] | undefined {
  if (spec === undefined) return undefined;
  return spec.split(',').map((entry) => {
    const [account, roles] = entry.trim().split(':');
    if (account === undefined || !isAddress(account) || roles === undefined || !/^[1-7]$/.test(roles)) {
      throw new Error(`chain: CHAIN_INITIAL_MEMBERS entry "${entry}" is not "0xaddress:roles" (roles 1-7)`);
    }
    return { account: getAddress(account), roles: Number(roles) };
  });
}

if (import.meta.main) {
  const outputPath = process.argv[2];
  if (outputPath === undefined) {
    console.error('usage: node libs/chain/scripts/deploy.ts <deployment.json>');
    process.exitCode = 2;
  } else {
    try {
      await deploy(outputPath);
    } catch (error) {
      console.error((error as Error).message);
      process.exitCode = 1;
    }
  }
}
