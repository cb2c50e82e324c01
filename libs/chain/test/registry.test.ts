import { hardhatDevAccounts, startChainNode, type ChainNode } from '@traceport/testing';
import { createPublicClient, http, type Address, type Hex } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The lib's own source, not its package entry: a test of libs/chain must never run against a stale dist.
import {
  ChainException,
  RegistryClient,
  Role,
  deployRegistry,
  traceportRegistryAbi,
  type ChainReceipt,
} from '../src/index.js';
import { TestLog } from './rfc9162-tree.js';

const [anchorer, agency1, agency2, outsider, newcomer] = hardhatDevAccounts as [
  (typeof hardhatDevAccounts)[number],
  (typeof hardhatDevAccounts)[number],
  (typeof hardhatDevAccounts)[number],
  (typeof hardhatDevAccounts)[number],
  (typeof hardhatDevAccounts)[number],
];

const proposalLifetimeSeconds = 24 * 60 * 60;

let node: ChainNode;
let contract: Address;
const clients: Record<string, RegistryClient> = {};

async function client(account: { address: Address; privateKey: Hex }): Promise<RegistryClient> {
  clients[account.address] ??= await RegistryClient.connect({ rpcUrl: node.rpcUrl, contract, privateKey: account.privateKey });
  return clients[account.address] as RegistryClient;
}

/** Resolves to the ChainException a rejected registry call threw (and fails if it did not reject). */
async function rejection(promise: Promise<unknown>): Promise<ChainException> {
  const outcome = await promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  if (outcome.ok) throw new Error(`expected a revert, got ${JSON.stringify(outcome.value, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`);
  expect(outcome.error).toBeInstanceOf(ChainException);
  return outcome.error as ChainException;
}

function flip(hash: Hex): Hex {
  const last = Number.parseInt(hash.slice(-2), 16) ^ 0x01;
  return `${hash.slice(0, -2)}${last.toString(16).padStart(2, '0')}` as Hex;
}

beforeAll(async () => {
  node = await startChainNode();
  const deployed = await deployRegistry({
    rpcUrl: node.rpcUrl,
    privateKey: anchorer.privateKey,
    members: [
      { account: anchorer.address, roles: Role.Anchorer | Role.Auditor },
      { account: agency1.address, roles: Role.Agency },
      { account: agency2.address, roles: Role.Agency },
    ],
    proposalLifetimeSeconds,
  });
  contract = deployed.contract;
  expect(deployed.chainId).toBe(31337);
  expect(deployed.deployer).toBe(anchorer.address);
});

afterAll(async () => {
  await node?.stop();
});

describe('the RFC 9162 test helper', () => {
  // Without this the contract and the helper could share one misreading of the RFC and still agree.
  it('reproduces the published Certificate Transparency roots and consistency proofs', () => {
    const log = new TestLog(8);
    expect(log.root(2)).toBe('0xfac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125');
    expect(log.root(5)).toBe('0x4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4');
    expect(log.root(8)).toBe('0x5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328');
    expect(log.consistencyProof(2, 5)).toEqual([
      '0x5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '0xbc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ]);
    expect(log.consistencyProof(6, 8)).toEqual([
      '0x0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      '0xca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      '0xd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ]);
  });
});

describe('TraceportRegistry log heads', () => {
  const log = new TestLog(1500);
  const gas: Record<string, bigint> = {};

  it('starts with no head', async () => {
    const reader = await RegistryClient.connect({ rpcUrl: node.rpcUrl, contract });
    expect(await reader.latestHead()).toBeNull();
    expect(await reader.headCount()).toBe(0n);
    expect(await reader.rootAt(2)).toBeNull();
  });

  it('lets the anchorer append the first head without a proof', async () => {
    const registry = await client(anchorer);
    const receipt = await registry.appendHead({ treeSize: 2, root: log.root(2), consistencyProof: [] });
    expect(receipt).toMatchObject({ chainId: 31337, contract });
    expect(receipt.txHash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(receipt.blockNumber).toBeGreaterThan(0n);
    gas['first head'] = receipt.gasUsed;
    expect(await registry.latestHead()).toEqual({ treeSize: 2n, root: log.root(2) });
    expect(await registry.rootAt(2)).toBe(log.root(2));
  });

  it('emits HeadAnchored with size, root and anchorer', async () => {
    const publicClient = createPublicClient({ transport: http(node.rpcUrl) });
    const [event] = await publicClient.getContractEvents({
      address: contract,
      abi: traceportRegistryAbi,
      eventName: 'HeadAnchored',
      fromBlock: 0n,
    });
    expect(event?.args).toEqual({ treeSize: 2n, root: log.root(2), anchorer: anchorer.address });
  });

  it('appends heads that extend the previous one, proven by RFC 9162 consistency proofs', async () => {
    const registry = await client(anchorer);
    // 2→5: old size a power of two (the RFC's "prepend first_hash" branch); 5→6 and 6→8: not; then bigger steps.
    const sizes = [5, 6, 8, 13, 1000, 1024, 1500];
    let previous = 2;
    for (const size of sizes) {
      const receipt: ChainReceipt = await registry.appendHead({
        treeSize: size,
        root: log.root(size),
        consistencyProof: log.consistencyProof(previous, size),
      });
      gas[`${previous}→${size} (${log.consistencyProof(previous, size).length} hashes)`] = receipt.gasUsed;
      previous = size;
    }
    expect(await registry.headCount()).toBe(BigInt(sizes.length + 1));
    expect(await registry.latestHead()).toEqual({ treeSize: 1500n, root: log.root(1500) });
    expect(await registry.headAt(0)).toEqual({ treeSize: 2n, root: log.root(2) });
    for (const size of [2, ...sizes]) expect(await registry.rootAt(size)).toBe(log.root(size));
    console.log('appendHead gas used:', Object.fromEntries(Object.entries(gas).map(([k, v]) => [k, Number(v)])));
  });

  it('rejects a head whose consistency proof is wrong, and keeps the previous head', async () => {
    const registry = await client(anchorer);
    const next = new TestLog(1600);
    const good = next.consistencyProof(1500, 1600);
    const tampered = [flip(good[0] as Hex), ...good.slice(1)];

    const wrongProof = await rejection(registry.appendHead({ treeSize: 1600, root: next.root(1600), consistencyProof: tampered }));
    expect(wrongProof.revert).toEqual({ name: 'InvalidConsistencyProof', args: { fromTreeSize: 1500n, toTreeSize: 1600n } });
    expect(wrongProof.kind).toBe('invalid');
    expect(wrongProof.message).toContain('InvalidConsistencyProof(fromTreeSize: 1500, toTreeSize: 1600)');

    // A root that does not extend the anchored log, even with a proof that is internally consistent.
    const forked = await rejection(registry.appendHead({ treeSize: 1600, root: flip(next.root(1600)), consistencyProof: good }));
    expect(forked.revert?.name).toBe('InvalidConsistencyProof');
    // A proof from the wrong old size.
    const stale = await rejection(
      registry.appendHead({ treeSize: 1600, root: next.root(1600), consistencyProof: next.consistencyProof(1024, 1600) }),
    );
    expect(stale.revert?.name).toBe('InvalidConsistencyProof');
    const empty = await rejection(registry.appendHead({ treeSize: 1600, root: next.root(1600), consistencyProof: [] }));
    expect(empty.revert?.name).toBe('InvalidConsistencyProof');

    expect(await registry.latestHead()).toEqual({ treeSize: 1500n, root: log.root(1500) });
    expect(await registry.rootAt(1600)).toBeNull();

    await registry.appendHead({ treeSize: 1600, root: next.root(1600), consistencyProof: good });
    expect(await registry.rootAt(1600)).toBe(next.root(1600));
  });

  it('rejects a head of the same size as the last, or smaller', async () => {
    const registry = await client(anchorer);
    const log1600 = new TestLog(1600);
    const same = await rejection(registry.appendHead({ treeSize: 1600, root: log1600.root(1600), consistencyProof: [] }));
    expect(same.revert).toEqual({ name: 'HeadNotNewer', args: { latestTreeSize: 1600n, treeSize: 1600n } });
    expect(same.kind).toBe('conflict');
    const smaller = await rejection(registry.appendHead({ treeSize: 13, root: log1600.root(13), consistencyProof: [] }));
    expect(smaller.revert?.name).toBe('HeadNotNewer');
  });

  it('refuses appends from a non-member and from a member without the ANCHORER role', async () => {
    const next = new TestLog(1700);
    const head = { treeSize: 1700, root: next.root(1700), consistencyProof: next.consistencyProof(1600, 1700) };

    const byOutsider = await rejection((await client(outsider)).appendHead(head));
    expect(byOutsider.revert).toEqual({ name: 'NotMember', args: { account: outsider.address } });
    expect(byOutsider.kind).toBe('forbidden');

    const byAgency = await rejection((await client(agency1)).appendHead(head));
    expect(byAgency.revert).toEqual({ name: 'MissingRole', args: { account: agency1.address, role: Role.Anchorer } });

    expect(await (await client(anchorer)).rootAt(1700)).toBeNull();
  });

  it('answers rootAt with zero (null) for sizes never anchored', async () => {
    const publicClient = createPublicClient({ transport: http(node.rpcUrl) });
    for (const size of [0n, 1n, 3n, 7n, 1501n, 2n ** 64n - 1n]) {
      // The raw ABI answer is what third-party verifiers see.
      const raw = await publicClient.readContract({ address: contract, abi: traceportRegistryAbi, functionName: 'rootAt', args: [size] });
      expect(raw).toBe(`0x${'00'.repeat(32)}`);
    }
    expect(await (await client(outsider)).rootAt(999)).toBeNull();
  });

  it('rejects an empty tree and a zero root', async () => {
    const registry = await client(anchorer);
    expect((await rejection(registry.appendHead({ treeSize: 0, root: flip(`0x${'00'.repeat(32)}`), consistencyProof: [] }))).revert?.name).toBe(
      'EmptyTree',
    );
    expect((await rejection(registry.appendHead({ treeSize: 1700, root: `0x${'00'.repeat(32)}`, consistencyProof: [] }))).revert?.name).toBe(
      'ZeroHash',
    );
  });
});

describe('TraceportRegistry consistency verification, exhaustively for small trees', () => {
  // One fresh registry whose latest head walks 1, 2, 3, ...; before each step every extension n > m is
  // simulated (eth_call, nothing mined) with the right proof and with broken variants.
  it('accepts exactly the correct proof for every 1 ≤ m < n ≤ 20', async () => {
    const max = 20;
    const log = new TestLog(max);
    const deployed = await deployRegistry({
      rpcUrl: node.rpcUrl,
      privateKey: anchorer.privateKey,
      members: [{ account: anchorer.address, roles: Role.Anchorer }],
    });
    const registry = await RegistryClient.connect({ rpcUrl: node.rpcUrl, contract: deployed.contract, privateKey: anchorer.privateKey });
    const publicClient = createPublicClient({ transport: http(node.rpcUrl) });
    const accepts = async (treeSize: number, root: Hex, proof: readonly Hex[]): Promise<boolean> =>
      publicClient
        .simulateContract({
          address: deployed.contract,
          abi: traceportRegistryAbi,
          functionName: 'appendHead',
          args: [BigInt(treeSize), root, proof],
          account: anchorer.address,
        })
        .then(
          () => true,
          () => false,
        );

    const wrongAnswers: string[] = [];
    await registry.appendHead({ treeSize: 1, root: log.root(1), consistencyProof: [] });
    for (let m = 1; m < max; m++) {
      for (let n = m + 1; n <= max; n++) {
        const proof = log.consistencyProof(m, n);
        const root = log.root(n);
        const cases: [string, Hex, readonly Hex[], boolean][] = [
          ['correct', root, proof, true],
          ['first hash flipped', root, [flip(proof[0] as Hex), ...proof.slice(1)], false],
          ['last hash flipped', root, [...proof.slice(0, -1), flip(proof.at(-1) as Hex)], false],
          ['new root flipped', flip(root), proof, false],
          ['extra hash', root, [...proof, proof[0] as Hex], false],
          ['hash missing', root, proof.slice(0, -1), false],
        ];
        for (const [label, r, p, expected] of cases) {
          if ((await accepts(n, r, p)) !== expected) wrongAnswers.push(`${m}→${n} ${label}`);
        }
      }
      await registry.appendHead({ treeSize: m + 1, root: log.root(m + 1), consistencyProof: log.consistencyProof(m, m + 1) });
    }
    expect(wrongAnswers).toEqual([]);
  });
});

describe('TraceportRegistry membership', () => {
  it('knows its initial members and their roles', async () => {
    const registry = await client(outsider);
    expect(await registry.isMember(anchorer.address)).toBe(true);
    expect(await registry.roles(anchorer.address)).toBe(Role.Anchorer | Role.Auditor);
    expect(await registry.roles(agency1.address)).toBe(Role.Agency);
    expect(await registry.isMember(outsider.address)).toBe(false);
    expect(await registry.roles(outsider.address)).toBe(0);
    expect(await registry.members()).toEqual([anchorer.address, agency1.address, agency2.address]);
    expect(await registry.chainId()).toBe(31337);
  });

  it('uses the role bits the client assumes', async () => {
    const publicClient = createPublicClient({ transport: http(node.rpcUrl) });
    const read = (functionName: 'ANCHORER' | 'AGENCY' | 'AUDITOR') =>
      publicClient.readContract({ address: contract, abi: traceportRegistryAbi, functionName });
    expect({ Anchorer: await read('ANCHORER'), Agency: await read('AGENCY'), Auditor: await read('AUDITOR') }).toEqual(Role);
  });

  it('admits a member only once a strict majority approves (3 members: 1 is not enough, 2 are)', async () => {
    const proposal = await (await client(anchorer)).proposeMember({ account: newcomer.address, roles: Role.Agency });
    expect(proposal.executed).toBe(false);
    expect(await (await client(anchorer)).isMember(newcomer.address)).toBe(false);
    expect(await (await client(anchorer)).proposal(proposal.proposalId)).toMatchObject({
      kind: 'Admit',
      account: newcomer.address,
      roles: Role.Agency,
      proposer: anchorer.address,
      executed: false,
      approvals: 1n,
    });

    // The proposal already counts as the proposer's approval; a second one is refused.
    const twice = await rejection((await client(anchorer)).approve(proposal.proposalId));
    expect(twice.revert?.name).toBe('AlreadyApproved');
    const byOutsider = await rejection((await client(outsider)).approve(proposal.proposalId));
    expect(byOutsider.revert?.name).toBe('NotMember');

    const second = await (await client(agency1)).approve(proposal.proposalId);
    expect(second.executed).toBe(true);
    expect(await (await client(anchorer)).isMember(newcomer.address)).toBe(true);
    expect(await (await client(anchorer)).roles(newcomer.address)).toBe(Role.Agency);

    const late = await rejection((await client(agency2)).approve(proposal.proposalId));
    expect(late.revert?.name).toBe('ProposalAlreadyExecuted');
  });

  it('needs 3 of 4 once there are four members, and then removes the member', async () => {
    const proposal = await (await client(newcomer)).proposeRemoval(agency2.address);
    expect(proposal.executed).toBe(false);
    expect((await (await client(agency1)).approve(proposal.proposalId)).executed).toBe(false);
    expect(await (await client(anchorer)).isMember(agency2.address)).toBe(true);
    expect((await (await client(anchorer)).approve(proposal.proposalId)).executed).toBe(true);
    expect(await (await client(anchorer)).isMember(agency2.address)).toBe(false);
    // A removed member can no longer write.
    const attest = await rejection((await client(agency2)).attest({ subject: `0x${'11'.repeat(32)}`, resultHash: `0x${'22'.repeat(32)}` }));
    expect(attest.revert?.name).toBe('NotMember');
  });

  it('changes roles by quorum', async () => {
    // Members now: anchorer, agency1, newcomer → quorum 2.
    const proposal = await (await client(anchorer)).proposeRoleChange({ account: newcomer.address, roles: Role.Agency | Role.Auditor });
    expect((await (await client(newcomer)).approve(proposal.proposalId)).executed).toBe(true);
    expect(await (await client(anchorer)).roles(newcomer.address)).toBe(Role.Agency | Role.Auditor);
  });

  it('refuses proposals from non-members and nonsensical ones', async () => {
    expect((await rejection((await client(outsider)).proposeMember({ account: outsider.address, roles: Role.Anchorer }))).revert?.name).toBe(
      'NotMember',
    );
    expect((await rejection((await client(anchorer)).proposeMember({ account: agency1.address, roles: Role.Agency }))).revert?.name).toBe(
      'AlreadyMember',
    );
    expect((await rejection((await client(anchorer)).proposeMember({ account: outsider.address, roles: 8 }))).revert?.name).toBe('InvalidRoles');
    expect((await rejection((await client(anchorer)).proposeRemoval(outsider.address))).revert?.name).toBe('UnknownMember');
  });
});

describe('TraceportRegistry attestations', () => {
  const subject: Hex = `0x${'ab'.repeat(32)}`;
  const resultHash: Hex = `0x${'cd'.repeat(32)}`;

  it('records an agency’s attestation', async () => {
    const registry = await client(agency1);
    expect(await registry.attestation(subject)).toBeNull();
    await registry.attest({ subject, resultHash });
    const recorded = await registry.attestation(subject);
    expect(recorded).toMatchObject({ agency: agency1.address, resultHash });
    expect(recorded?.attestedAt).toBeGreaterThan(0n);
  });

  it('lets an agency admitted by quorum attest', async () => {
    const admittedSubject: Hex = `0x${'a1'.repeat(32)}`;
    await (await client(newcomer)).attest({ subject: admittedSubject, resultHash });
    expect(await (await client(anchorer)).attestation(admittedSubject)).toMatchObject({ agency: newcomer.address, resultHash });
  });

  it('refuses attestations from members without the AGENCY role and from non-members, and duplicates', async () => {
    const other: Hex = `0x${'ef'.repeat(32)}`;
    const byAnchorer = await rejection((await client(anchorer)).attest({ subject: other, resultHash }));
    expect(byAnchorer.revert).toEqual({ name: 'MissingRole', args: { account: anchorer.address, role: Role.Agency } });
    const byOutsider = await rejection((await client(outsider)).attest({ subject: other, resultHash }));
    expect(byOutsider.revert?.name).toBe('NotMember');
    const again = await rejection((await client(newcomer)).attest({ subject, resultHash }));
    expect(again.revert?.name).toBe('AlreadyAttested');
    expect(await (await client(anchorer)).attestation(other)).toBeNull();
  });

  it('a read-only client cannot write', async () => {
    const reader = await RegistryClient.connect({ rpcUrl: node.rpcUrl, contract });
    const error = await rejection(reader.attest({ subject, resultHash }));
    expect(error.code).toBe('chain-read-only');
  });
});

describe('TraceportRegistry proposal expiry', () => {
  // Last: it moves the chain's clock forward.
  it('refuses approvals after the deadline', async () => {
    const proposal = await (await client(anchorer)).proposeMember({ account: outsider.address, roles: Role.Auditor });
    const publicClient = createPublicClient({ transport: http(node.rpcUrl) });
    await publicClient.request({ method: 'evm_increaseTime' as never, params: [proposalLifetimeSeconds + 1] as never });
    await publicClient.request({ method: 'evm_mine' as never });
    const expired = await rejection((await client(agency1)).approve(proposal.proposalId));
    expect(expired.revert?.name).toBe('ProposalExpired');
    expect(await (await client(anchorer)).isMember(outsider.address)).toBe(false);
  });
});
