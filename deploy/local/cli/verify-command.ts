import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, say } from './steps.ts';

interface ProofBundle {
  type?: string;
  record_key?: string;
  record: unknown;
  proof: {
    leaf_index: number;
    tree_size: number;
    leaf_hash?: string;
    inclusion_path: string[];
    root_hash: string;
    status?: string;
    anchor: { chain_id: number; contract: string; tx_hash: string; block_number: number } | null;
  } | null;
}

/**
 * `./traceport verify <url|file>`: checks a proof bundle without trusting Traceport — the record's
 * leaf hash (JCS, RFC 8785), its RFC 9162 inclusion in the tree head, and that exact head on the
 * consortium chain (rootAt(tree_size) on the registry contract). Given a scan page's URL, it checks
 * the code's proof of issuance (its serial is in the tree the anchored issuance record commits to)
 * and then every record the page shows.
 */
export async function verifyCommand(root: string, args: string[]): Promise<number> {
  const source = args.find((arg, index) => !arg.startsWith('--') && !['--rpc', '--log'].includes(args[index - 1] ?? ''));
  if (source === undefined) {
    process.stderr.write('usage: ./traceport verify <scan-url|proof-url|proof-file> [--rpc CHAIN_RPC_URL] [--log GATEWAY_URL]\n');
    return 2;
  }
  const option = (name: string) => {
    const index = args.indexOf(name);
    return index >= 0 ? args[index + 1] : undefined;
  };
  const rpcUrl = option('--rpc') ?? process.env['CHAIN_RPC_URL'] ?? 'http://127.0.0.1:8545';
  // Where to ask for a consistency proof between this head and the chain's latest (untrusted: it
  // is checked against both roots read from the chain).
  const logUrl = option('--log') ?? (/^https?:\/\//.test(source) ? new URL(source).origin : undefined);
  if (!existsSync(join(root, 'libs/ledger/dist/index.js')) || !existsSync(join(root, 'libs/chain/dist/index.js'))) await build(root);
  const ledger = await import('@traceport/ledger');
  const chain = await import('@traceport/chain');

  let fetched: ProofBundle | ScanPage;
  if (/^https?:\/\//.test(source)) {
    const response = await fetch(source, { headers: { accept: 'application/json' } });
    if (!response.ok) throw new Error(`${source} answered ${response.status}`);
    fetched = (await response.json()) as ProofBundle | ScanPage;
  } else {
    fetched = JSON.parse(readFileSync(source, 'utf8')) as ProofBundle | ScanPage;
  }
  const context: VerifyContext = { ledger, chain, rpcUrl, logUrl, registries: new Map() };
  if (!('records' in fetched)) return (await verifyBundle(fetched, context)) ? 0 : 1;

  // A scan page: the code's proof of issuance, then every record the page shows.
  const page = fetched;
  let ok = true;
  const issuance = page.records.find((record) => record.type === 'identity.issuance');
  const proof = page.code.issuance_proof;
  if (issuance === undefined || proof === undefined) {
    process.stdout.write('✗ the page shows no issuance record for this code\n');
    ok = false;
  } else {
    const leaf = ledger.leafHash({ gtin: page.code.gtin, serial: page.code.serial });
    const verdict = ledger.verifyInclusion({
      leafIndex: proof.leaf_index,
      treeSize: proof.tree_size,
      leafHash: leaf,
      inclusionPath: proof.inclusion_path.map((hash) => ledger.fromHex(hash)),
      rootHash: ledger.fromHex(proof.serials_root),
    });
    const rootMatches = issuance.record['serialsRoot'] === proof.serials_root;
    ok = verdict.valid && rootMatches;
    process.stdout.write(
      `${ok ? '✓' : '✗'} code ${page.code.gtin}/${page.code.serial} is serial ${proof.leaf_index} of the ${proof.tree_size} the issuance committed to (root ${proof.serials_root}${rootMatches ? '' : ', NOT the anchored record\'s'})\n`,
    );
  }
  for (const record of page.records) {
    process.stdout.write(`\n${record.type} ${record.record_key}\n`);
    ok = (await verifyBundle(record, context)) && ok;
  }
  process.stdout.write(ok ? `\nverified: the code and all ${page.records.length} records on its page are the ones anchored on chain\n` : '\nNOT verified\n');
  return ok ? 0 : 1;
}

interface ScanPage {
  code: { gtin: string; serial: string; issuance_proof?: { leaf_index: number; tree_size: number; inclusion_path: string[]; serials_root: string } };
  records: (ProofBundle & { type: string; record_key: string; record: Record<string, unknown> })[];
}

interface VerifyContext {
  ledger: typeof import('@traceport/ledger');
  chain: typeof import('@traceport/chain');
  rpcUrl: string;
  logUrl: string | undefined;
  registries: Map<string, Awaited<ReturnType<typeof import('@traceport/chain').RegistryClient.connect>>>;
}

/** One record: its leaf, its inclusion in the head, that head on chain, and the chain's latest head extending it. */
async function verifyBundle(bundle: ProofBundle, { ledger, chain, rpcUrl, logUrl, registries }: VerifyContext): Promise<boolean> {
  const proof = bundle.proof;
  if (proof === null || proof === undefined) {
    say('this record has no proof yet: the ledger has not appended it');
    return false;
  }
  let ok = true;
  const check = (passed: boolean, label: string) => {
    ok &&= passed;
    process.stdout.write(`${passed ? '✓' : '✗'} ${label}\n`);
  };

  const leaf = ledger.leafHash(bundle.record);
  const leafHex = ledger.toHex(leaf);
  if (proof.leaf_hash !== undefined) check(proof.leaf_hash === leafHex, `leaf hash SHA-256(0x00 || JCS(record)) = ${leafHex}`);
  const verdict = ledger.verifyInclusion({
    leafIndex: proof.leaf_index,
    treeSize: proof.tree_size,
    leafHash: leaf,
    inclusionPath: proof.inclusion_path.map((hash) => ledger.fromHex(hash)),
    rootHash: ledger.fromHex(proof.root_hash),
  });
  check(verdict.valid, `RFC 9162 inclusion of leaf ${proof.leaf_index} in the tree of size ${proof.tree_size} with root ${proof.root_hash}${verdict.valid ? "" : ` (${verdict.message})`}`);

  if (proof.anchor === null) {
    process.stdout.write('… the head is not anchored yet (provisional receipt); try again in a few seconds\n');
    return ok;
  }
  let registry = registries.get(proof.anchor.contract);
  if (registry === undefined) {
    registry = await chain.RegistryClient.connect({ rpcUrl, contract: proof.anchor.contract as `0x${string}` });
    registries.set(proof.anchor.contract, registry);
  }
  const chainId = await registry.chainId();
  check(chainId === proof.anchor.chain_id, `chain id ${chainId} at ${rpcUrl}`);
  const onChain = await registry.rootAt(proof.tree_size);
  check(
    onChain !== null && onChain.slice(2).toLowerCase() === proof.root_hash,
    `registry ${proof.anchor.contract} holds root ${onChain?.slice(2) ?? '(none)'} for tree size ${proof.tree_size} (tx ${proof.anchor.tx_hash}, block ${proof.anchor.block_number})`,
  );

  // The chain's latest head must extend this one (the contract checks this on every append; a
  // verifier checks it again rather than trust that).
  const latest = await registry.latestHead();
  if (ok && latest !== null && Number(latest.treeSize) > proof.tree_size) {
    if (logUrl === undefined) {
      process.stdout.write(`… not checked: consistency with the chain's latest head (size ${latest.treeSize}); pass --log <gateway URL>\n`);
    } else {
      const response = await fetch(`${logUrl}/v1/ledger/consistency?first=${proof.tree_size}&second=${latest.treeSize}`);
      const body = (await response.json()) as { proof?: string[]; detail?: string };
      const consistent =
        response.ok &&
        body.proof !== undefined &&
        ledger.verifyConsistency({
          size1: proof.tree_size,
          size2: Number(latest.treeSize),
          root1: ledger.fromHex(onChain!.slice(2)),
          root2: ledger.fromHex(latest.root.slice(2)),
          proof: body.proof.map((hash) => ledger.fromHex(hash)),
        }).valid;
      check(consistent, `the chain's latest head (size ${latest.treeSize}) extends this one (RFC 9162 consistency${response.ok ? '' : `: ${body.detail ?? response.status}`})`);
    }
  }
  process.stdout.write(ok ? 'verified: this record is the one anchored on chain\n' : 'NOT verified\n');
  return ok;
}
