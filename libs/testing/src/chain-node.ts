import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ChainNode {
  /** JSON-RPC endpoint on loopback, e.g. http://127.0.0.1:41659 */
  readonly rpcUrl: string;
  readonly chainId: number;
  /** Stops the node and waits until its process is gone. Safe to call twice. */
  stop(): Promise<void>;
}

export interface DevAccount {
  readonly address: `0x${string}`;
  readonly privateKey: `0x${string}`;
}

/**
 * The accounts a Hardhat node funds (10,000 ETH each), from the public mnemonic
 * "test test test test test test test test test test test junk". Their keys are public: tests and the local
 * node only.
 */
export const hardhatDevAccounts: readonly DevAccount[] = [
  { address: '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266', privateKey: '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80' },
  { address: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8', privateKey: '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d' },
  { address: '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC', privateKey: '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a' },
  { address: '0x90F79bf6EB2c4f870365E785982E1f101E93b906', privateKey: '0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6' },
  { address: '0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65', privateKey: '0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a' },
];

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const hardhatConfig = path.join(repositoryRoot, 'deploy/local/chain/hardhat.config.ts');
const startTimeoutMs = 60_000;
const stopTimeoutMs = 10_000;

// Nodes still running when the test process exits (a crashed run, a forgotten stop) are killed with it.
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) killGroup(child, 'SIGKILL');
});

/**
 * Starts a real Hardhat (EDR) node, the local stand-in for the consortium chain, on a free loopback port and
 * resolves once it answers eth_chainId. Each call is a fresh, empty chain (chain id 31337, automine).
 */
export async function startChainNode(): Promise<ChainNode> {
  const hardhatCli = path.join(
    path.dirname(createRequire(import.meta.url).resolve('hardhat/package.json')),
    'dist/src/cli.js',
  );
  // Port 0: the node binds a free port itself and prints it, so two test files never race for one.
  const child = spawn(
    process.execPath,
    [hardhatCli, '--config', hardhatConfig, 'node', '--hostname', '127.0.0.1', '--port', '0'],
    {
      cwd: repositoryRoot,
      // Own process group, so stop() takes down anything the CLI may have started too.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, HARDHAT_DISABLE_TELEMETRY: 'true', NO_COLOR: '1', FORCE_COLOR: '0' },
    },
  );
  running.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => running.delete(child));

  let output = '';
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    killGroup(child, 'SIGTERM');
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), stopTimeoutMs);
    await exited;
    clearTimeout(timer);
  };

  try {
    const rpcUrl = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`hardhat node did not start within ${startTimeoutMs} ms`)), startTimeoutMs);
      const onData = (chunk: Buffer): void => {
        output += chunk.toString();
        const match = /Started HTTP and WebSocket JSON-RPC server at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (match?.[1] !== undefined) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`hardhat node exited (${signal ?? code}) before listening`));
      });
    });
    const chainId = await waitForChainId(rpcUrl);
    // Keep draining the pipes so a chatty node never blocks on a full buffer.
    child.stdout?.resume();
    child.stderr?.resume();
    return { rpcUrl, chainId, stop };
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n--- hardhat output ---\n${output}`, { cause: error });
  }
}

async function waitForChainId(rpcUrl: string): Promise<number> {
  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    try {
      const response = await fetch(rpcUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
      });
      const body = (await response.json()) as { result?: string };
      if (typeof body.result === 'string') return Number.parseInt(body.result, 16);
    } catch {
      // Not accepting connections yet.
    }
    if (Date.now() > deadline) throw new Error(`${rpcUrl} did not answer eth_chainId within ${startTimeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}
