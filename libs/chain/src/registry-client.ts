import {
  createPublicClient,
  createWalletClient,
  defineChain,
  getAddress,
  http,
  parseEventLogs,
  toHex,
  zeroAddress,
  zeroHash,
  type Address,
  type Chain,
  type ContractFunctionArgs,
  type ContractFunctionReturnType,
  type Hash,
  type Hex,
  type PublicClient,
  type TransactionReceipt,
  type Transport,
  type WalletClient,
} from 'viem';
import { privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts';

import { ChainException, toChainException } from './chain.exception.js';
import { traceportRegistryAbi, traceportRegistryBytecode } from './generated/traceport-registry.artifact.js';
import { ProposalKind, proposalKindName, type ProposalKindName } from './registry-roles.js';

/** 32 bytes, as hex or raw bytes (what a Merkle library hands out). */
export type Bytes32 = Hex | Uint8Array;

export interface RegistryMember {
  readonly account: Address;
  /** OR of Role bits. */
  readonly roles: number;
}

export interface ConnectionOptions {
  readonly rpcUrl: string;
  /** Signs writes; omit for a read-only client (e.g. a verifier). */
  readonly privateKey?: Hex;
  /** How long a write waits for its receipt. */
  readonly receiptTimeoutMs?: number;
  /** How often receipts and blocks are polled; QBFT blocks come every few seconds, automine at once. */
  readonly pollingIntervalMs?: number;
}

export interface RegistryClientOptions extends ConnectionOptions {
  readonly contract: Address;
}

export interface DeployRegistryOptions extends ConnectionOptions {
  readonly privateKey: Hex;
  readonly members: readonly RegistryMember[];
  /** How long a governance proposal stays open; 7 days unless given. */
  readonly proposalLifetimeSeconds?: number;
}

export interface DeployedRegistry {
  readonly contract: Address;
  readonly chainId: number;
  readonly deployer: Address;
  readonly txHash: Hash;
  readonly blockNumber: bigint;
}

/** Where a write landed: what a proof's `anchor` records. */
export interface ChainReceipt {
  readonly txHash: Hash;
  readonly blockNumber: bigint;
  readonly chainId: number;
  readonly contract: Address;
  readonly gasUsed: bigint;
}

export interface LogHead {
  readonly treeSize: bigint;
  readonly root: Hex;
}

export interface AppendHeadInput {
  readonly treeSize: bigint | number;
  readonly root: Bytes32;
  /** RFC 9162 consistency proof from the latest anchored head; empty for the first head. */
  readonly consistencyProof: readonly Bytes32[];
}

export interface ProposalReceipt extends ChainReceipt {
  readonly proposalId: bigint;
  /** True when this transaction's approval reached quorum and the change took effect. */
  readonly executed: boolean;
}

export interface ProposalState {
  readonly id: bigint;
  readonly kind: ProposalKindName;
  readonly account: Address;
  readonly roles: number;
  readonly proposer: Address;
  /** Unix seconds after which it can no longer be approved. */
  readonly deadline: bigint;
  readonly executed: boolean;
  /** Approvals of current members. */
  readonly approvals: bigint;
}

export interface Attestation {
  readonly agency: Address;
  readonly resultHash: Hex;
  /** Unix seconds of the block that recorded it. */
  readonly attestedAt: bigint;
}

const defaultProposalLifetimeSeconds = 7 * 24 * 60 * 60;
const defaultReceiptTimeoutMs = 60_000;
const defaultPollingIntervalMs = 250;

type Registry = typeof traceportRegistryAbi;

interface Connection {
  readonly chain: Chain;
  readonly publicClient: PublicClient<Transport, Chain>;
  readonly walletClient: WalletClient<Transport, Chain, PrivateKeyAccount> | undefined;
  readonly receiptTimeoutMs: number;
}

/** Deploys TraceportRegistry with its initial members and waits until it is mined. */
export async function deployRegistry(options: DeployRegistryOptions): Promise<DeployedRegistry> {
  const { chain, publicClient, walletClient, receiptTimeoutMs } = await connect(options);
  const wallet = walletClient as NonNullable<typeof walletClient>;
  try {
    const txHash = await wallet.deployContract({
      abi: traceportRegistryAbi,
      bytecode: traceportRegistryBytecode,
      args: [
        options.members.map((m) => getAddress(m.account)),
        options.members.map((m) => m.roles),
        BigInt(options.proposalLifetimeSeconds ?? defaultProposalLifetimeSeconds),
      ],
    });
    const receipt = await publicClient.waitForTransactionReceipt({ hash: txHash, timeout: receiptTimeoutMs });
    if (receipt.status !== 'success' || receipt.contractAddress == null) {
      throw new ChainException('chain-transaction-failed', 'internal', `TraceportRegistry deployment ${txHash} failed`);
    }
    return {
      contract: getAddress(receipt.contractAddress),
      chainId: chain.id,
      deployer: wallet.account.address,
      txHash,
      blockNumber: receipt.blockNumber,
    };
  } catch (error) {
    throw toChainException(error, 'TraceportRegistry deployment');
  }
}

/**
 * A TraceportRegistry on one chain, reached over JSON-RPC. Reads need no key; writes are signed by the
 * client's key, simulated first (so a rejected write fails with the registry's custom error and costs no
 * gas) and awaited until mined. Writes from one client are meant to be issued one at a time.
 */
export class RegistryClient {
  private constructor(
    private readonly connection: Connection,
    readonly contract: Address,
  ) {}

  /** Connects and checks that registry code exists at `contract` on that chain. */
  static async connect(options: RegistryClientOptions): Promise<RegistryClient> {
    const connection = await connect(options);
    const contract = getAddress(options.contract);
    const code = await connection.publicClient.getCode({ address: contract }).catch((error: unknown) => {
      throw toChainException(error, 'TraceportRegistry lookup');
    });
    if (code === undefined || code === '0x') {
      throw new ChainException(
        'chain-registry-not-found',
        'not_found',
        `no contract at ${contract} on chain ${connection.chain.id} (${options.rpcUrl})`,
      );
    }
    return new RegistryClient(connection, contract);
  }

  /** The signer's address, or undefined for a read-only client. */
  get account(): Address | undefined {
    return this.connection.walletClient?.account.address;
  }

  async chainId(): Promise<number> {
    return this.connection.chain.id;
  }

  // ------------------------------------------------------------------ log heads

  async appendHead(input: AppendHeadInput): Promise<ChainReceipt> {
    const args = [BigInt(input.treeSize), bytes32(input.root), input.consistencyProof.map(bytes32)] as const;
    return (await this.send('appendHead', args)).result;
  }

  /**
   * Where the head of `treeSize` was written (its HeadAnchored event), so an anchorer that crashed
   * between sending and recording can record it without writing the head again.
   */
  async headAnchoredReceipt(treeSize: bigint | number): Promise<ChainReceipt> {
    const { publicClient, chain } = this.connection;
    let logs;
    try {
      logs = await publicClient.getContractEvents({
        address: this.contract,
        abi: traceportRegistryAbi,
        eventName: 'HeadAnchored',
        args: { treeSize: BigInt(treeSize) },
        fromBlock: 'earliest',
        toBlock: 'latest',
      });
    } catch (error) {
      throw toChainException(error, 'TraceportRegistry HeadAnchored lookup');
    }
    const found = logs[0];
    if (found === undefined || found.transactionHash === null || found.blockNumber === null) {
      throw new ChainException('chain-head-not-found', 'not_found', `no HeadAnchored event for tree size ${treeSize}`);
    }
    const receipt = await publicClient.getTransactionReceipt({ hash: found.transactionHash });
    return { txHash: found.transactionHash, blockNumber: found.blockNumber, chainId: chain.id, contract: this.contract, gasUsed: receipt.gasUsed };
  }

  /** The root anchored for `treeSize`, or null when no head of that size was anchored. */
  async rootAt(treeSize: bigint | number): Promise<Hex | null> {
    const root = await this.call('rootAt', [BigInt(treeSize)]);
    return root === zeroHash ? null : root;
  }

  /** The latest anchored head, or null before the first. */
  async latestHead(): Promise<LogHead | null> {
    const [treeSize, root] = await this.call('latestHead', []);
    return treeSize === 0n ? null : { treeSize, root };
  }

  async headCount(): Promise<bigint> {
    return this.call('headCount', []);
  }

  /** The `index`-th anchored head, oldest first. */
  async headAt(index: bigint | number): Promise<LogHead> {
    const [treeSize, root] = await this.call('headAt', [BigInt(index)]);
    return { treeSize, root };
  }

  // -------------------------------------------------------------------- members

  async isMember(account: Address): Promise<boolean> {
    return this.call('isMember', [getAddress(account)]);
  }

  /** OR of Role bits; 0 for a non-member. */
  async roles(account: Address): Promise<number> {
    return this.call('roles', [getAddress(account)]);
  }

  async members(): Promise<readonly Address[]> {
    return this.call('members', []);
  }

  // ----------------------------------------------------------------- governance

  /** Proposes admitting `account` with `roles`; executes at once if the proposer alone is a quorum. */
  async proposeMember(input: { account: Address; roles: number }): Promise<ProposalReceipt> {
    return this.propose(ProposalKind.Admit, input.account, input.roles);
  }

  async proposeRemoval(account: Address): Promise<ProposalReceipt> {
    return this.propose(ProposalKind.Remove, account, 0);
  }

  async proposeRoleChange(input: { account: Address; roles: number }): Promise<ProposalReceipt> {
    return this.propose(ProposalKind.ChangeRoles, input.account, input.roles);
  }

  /** Approves a proposal; the approval that reaches quorum executes it (`executed` in the result). */
  async approve(proposalId: bigint | number): Promise<ProposalReceipt> {
    const id = BigInt(proposalId);
    const { receipt, result } = await this.send('approve', [id]);
    return { ...result, proposalId: id, executed: executedIn(receipt, id) };
  }

  /** Executes a proposal that already has a quorum of current members' approvals. */
  async executeProposal(proposalId: bigint | number): Promise<ChainReceipt> {
    return (await this.send('execute', [BigInt(proposalId)])).result;
  }

  async proposal(proposalId: bigint | number): Promise<ProposalState> {
    const id = BigInt(proposalId);
    const [kind, account, roles, proposer, deadline, executed, approvals] = await this.call('proposal', [id]);
    return { id, kind: proposalKindName(kind), account, roles, proposer, deadline, executed, approvals };
  }

  // --------------------------------------------------------------- attestations

  async attest(input: { subject: Bytes32; resultHash: Bytes32 }): Promise<ChainReceipt> {
    const args = [bytes32(input.subject), bytes32(input.resultHash)] as const;
    return (await this.send('attest', args)).result;
  }

  /** The attestation recorded for `subject`, or null when there is none. */
  async attestation(subject: Bytes32): Promise<Attestation | null> {
    const [agency, resultHash, attestedAt] = await this.call('attestation', [bytes32(subject)]);
    return agency === zeroAddress ? null : { agency, resultHash, attestedAt };
  }

  // ------------------------------------------------------------------- plumbing

  private async propose(kind: number, account: Address, roles: number): Promise<ProposalReceipt> {
    const args = [kind, getAddress(account), roles] as const;
    const { receipt, result } = await this.send('propose', args);
    const [created] = parseEventLogs({ abi: traceportRegistryAbi, eventName: 'ProposalCreated', logs: receipt.logs });
    if (created === undefined) {
      throw new ChainException('chain-error', 'internal', `propose ${result.txHash} emitted no ProposalCreated event`);
    }
    return { ...result, proposalId: created.args.id, executed: executedIn(receipt, created.args.id) };
  }

  // Typed by viem from the ABI: the function name picks the argument and result types.
  private async call<const F extends ViewFunction>(functionName: F, args: ViewArgs<F>): Promise<ViewResult<F>> {
    try {
      return (await this.connection.publicClient.readContract({
        address: this.contract,
        abi: traceportRegistryAbi,
        functionName,
        args,
      } as never)) as ViewResult<F>;
    } catch (error) {
      throw toChainException(error, `TraceportRegistry.${functionName}`);
    }
  }

  private async send<const F extends WriteFunction>(
    functionName: F,
    args: WriteArgs<F>,
  ): Promise<{ receipt: TransactionReceipt; result: ChainReceipt }> {
    const action = `TraceportRegistry.${functionName}`;
    const wallet = this.requireWallet(functionName);
    const { publicClient, chain, receiptTimeoutMs } = this.connection;
    const simulate = () =>
      publicClient.simulateContract({
        address: this.contract,
        abi: traceportRegistryAbi,
        functionName,
        args,
        account: wallet.account,
      } as never);
    let hash: Hash;
    try {
      const { request } = await simulate();
      hash = await wallet.writeContract(request as never);
    } catch (error) {
      throw toChainException(error, action);
    }
    let receipt: TransactionReceipt;
    try {
      receipt = await publicClient.waitForTransactionReceipt({ hash, timeout: receiptTimeoutMs });
    } catch (error) {
      throw toChainException(error, `${action} (${hash})`);
    }
    if (receipt.status !== 'success') {
      // Simulation passed but the mined transaction failed: the state moved in between (e.g. another
      // anchorer appended first). Replaying against the state now usually recovers the reason.
      try {
        await simulate();
      } catch (error) {
        throw toChainException(error, `${action} (${hash}, block ${receipt.blockNumber})`);
      }
      throw new ChainException('chain-transaction-failed', 'internal', `${action} ${hash} failed in block ${receipt.blockNumber}`);
    }
    return {
      receipt,
      result: { txHash: hash, blockNumber: receipt.blockNumber, chainId: chain.id, contract: this.contract, gasUsed: receipt.gasUsed },
    };
  }

  private requireWallet(functionName: string): NonNullable<Connection['walletClient']> {
    const wallet = this.connection.walletClient;
    if (wallet === undefined) {
      throw new ChainException('chain-read-only', 'forbidden', `TraceportRegistry.${functionName} needs a client with a private key`);
    }
    return wallet;
  }
}

type ViewFunction = Extract<Registry[number], { type: 'function'; stateMutability: 'view' | 'pure' }>['name'];
type WriteFunction = Extract<Registry[number], { type: 'function'; stateMutability: 'nonpayable' }>['name'];
type ViewArgs<F extends ViewFunction> = ContractFunctionArgs<Registry, 'view' | 'pure', F>;
type ViewResult<F extends ViewFunction> = ContractFunctionReturnType<Registry, 'view' | 'pure', F>;
type WriteArgs<F extends WriteFunction> = ContractFunctionArgs<Registry, 'nonpayable', F>;

function executedIn(receipt: TransactionReceipt, proposalId: bigint): boolean {
  return parseEventLogs({ abi: traceportRegistryAbi, eventName: 'ProposalExecuted', logs: receipt.logs }).some(
    (log) => log.args.id === proposalId,
  );
}

function bytes32(value: Bytes32): Hex {
  const hex = typeof value === 'string' ? value.toLowerCase() as Hex : toHex(value);
  if (!/^0x[0-9a-f]{64}$/.test(hex)) throw new ChainException('chain-error', 'invalid', `expected 32 bytes, got ${hex}`);
  return hex;
}

async function connect(options: ConnectionOptions): Promise<Connection> {
  const pollingInterval = options.pollingIntervalMs ?? defaultPollingIntervalMs;
  const transport = http(options.rpcUrl, { retryCount: 2 });
  let chainId: number;
  try {
    chainId = await createPublicClient({ transport }).getChainId();
  } catch (error) {
    throw toChainException(error, `chain at ${options.rpcUrl}`);
  }
  // The consortium chain is not one of viem's known chains: describe it from what the node reports.
  const chain = defineChain({
    id: chainId,
    name: `traceport-consortium-${chainId}`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [options.rpcUrl] } },
  });
  const publicClient = createPublicClient({ chain, transport, pollingInterval });
  const walletClient =
    options.privateKey === undefined
      ? undefined
      : createWalletClient({ chain, transport, pollingInterval, account: privateKeyToAccount(options.privateKey) });
  return { chain, publicClient, walletClient, receiptTimeoutMs: options.receiptTimeoutMs ?? defaultReceiptTimeoutMs };
}
