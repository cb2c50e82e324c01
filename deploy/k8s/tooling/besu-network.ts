import { fromRlp, getAddress, keccak256, toRlp, type Hex } from 'viem';

/**
 * The public identity of the consortium chain's nodes, as committed in deploy/k8s/base/besu/network.json.
 * A node's identity is its secp256k1 key: the public key is its enode id (who it is on the p2p
 * network), the address derived from it is its validator address in QBFT. Private keys never enter
 * the repository: tooling/besu-keys.ts turns them into a Kubernetes Secret at deploy time.
 */
export interface BesuNetwork {
  readonly chainId: number;
  /** Seconds between blocks. */
  readonly blockPeriodSeconds: number;
  readonly validators: readonly BesuNode[];
  /** Non-validating nodes serving JSON-RPC to the ledger-anchor and to verifiers. */
  readonly rpcNodes: readonly BesuNode[];
  /** Accounts allowed to send transactions (local account permissioning): the anchorers, agencies. */
  readonly accounts: readonly Hex[];
}

export interface BesuNode {
  /** The pod name, which is also its DNS name in the namespace (StatefulSet pod + headless Service). */
  readonly name: string;
  /** Uncompressed secp256k1 public key without the 0x04 prefix: 128 hex digits, the enode id. */
  readonly publicKey: string;
}

export const NETWORK_FILE = new URL('../base/besu/network.json', import.meta.url);
export const GENERATED_FILES = {
  genesis: new URL('../base/besu/genesis.json', import.meta.url),
  config: new URL('../base/besu/config.toml', import.meta.url),
  permissions: new URL('../base/besu/permissions_config.toml', import.meta.url),
} as const;

const P2P_PORT = 30303;

export function addressOfPublicKey(publicKey: string): Hex {
  if (!/^[0-9a-f]{128}$/.test(publicKey)) throw new Error(`not a 64-byte public key in lower-case hex: ${publicKey}`);
  return getAddress(`0x${keccak256(`0x${publicKey}`).slice(-40)}`);
}

/** Headless Services give each pod <pod>.<service>; validators and RPC nodes have one each. */
export function hostOf(node: BesuNode): string {
  return `${node.name}.${node.name.startsWith('besu-validator-') ? 'besu-validators' : 'besu-rpc-nodes'}`;
}

export function enodeOf(node: BesuNode): string {
  return `enode://${node.publicKey}@${hostOf(node)}:${P2P_PORT}`;
}

/**
 * QBFT genesis extraData: RLP([32-byte vanity, [validator addresses], vote (empty), round 0, seals
 * (empty)]), the same bytes as `besu rlp encode --type=QBFT_EXTRA_DATA` produces.
 */
export function qbftExtraData(validators: readonly Hex[]): Hex {
  return toRlp([`0x${'00'.repeat(32)}`, validators.map((address) => address.toLowerCase() as Hex), [], '0x', []]);
}

export function validatorsInExtraData(extraData: Hex): Hex[] {
  const decoded = fromRlp(extraData, 'hex') as unknown as [Hex, Hex[], unknown, Hex, unknown];
  return decoded[1].map((address) => getAddress(address));
}

export function genesisOf(network: BesuNetwork): object {
  return {
    config: {
      chainId: network.chainId,
      homesteadBlock: 0,
      eip150Block: 0,
      eip155Block: 0,
      eip158Block: 0,
      byzantiumBlock: 0,
      constantinopleBlock: 0,
      petersburgBlock: 0,
      istanbulBlock: 0,
      berlinBlock: 0,
      londonBlock: 0,
      shanghaiTime: 0,
      // The registry is compiled for cancun (libs/chain/scripts/compile.ts).
      cancunTime: 0,
      // A permissioned network: members pay no gas, so no account needs funding.
      zeroBaseFee: true,
      qbft: { blockperiodseconds: network.blockPeriodSeconds, epochlength: 30000, requesttimeoutseconds: network.blockPeriodSeconds * 2 },
    },
    nonce: '0x0',
    timestamp: '0x0',
    gasLimit: '0x1c9c380',
    difficulty: '0x1',
    // QBFT's fixed mix hash ("Istanbul" BFT marker).
    mixHash: '0x63746963616c2062797a616e74696e65206661756c7420746f6c6572616e6365',
    coinbase: '0x0000000000000000000000000000000000000000',
    alloc: {},
    extraData: qbftExtraData(network.validators.map((node) => addressOfPublicKey(node.publicKey))),
  };
}

const toml = (values: readonly string[]) => `[${values.map((value) => `"${value}"`).join(', ')}]`;

/** Settings every node shares; the StatefulSets add the node key and, for validators, nothing else. */
export function besuConfigOf(network: BesuNetwork): string {
  return [
    '# GENERATED from network.json by deploy/k8s/tooling/generate-besu-network.ts: do not edit.',
    'genesis-file="/etc/besu/genesis.json"',
    'data-path="/data"',
    `p2p-port=${P2P_PORT}`,
    `bootnodes=${toml(network.validators.map(enodeOf))}`,
    '# Peers are named by DNS (the headless Services), which is how the allowlist names them too.',
    'Xdns-enabled=true',
    'Xdns-update-enabled=true',
    'rpc-http-enabled=true',
    'rpc-http-host="0.0.0.0"',
    'rpc-http-port=8545',
    'rpc-http-api=["ETH", "NET", "WEB3", "QBFT"]',
    'host-allowlist=["*"]',
    'min-gas-price=0',
    'metrics-enabled=true',
    'metrics-host="0.0.0.0"',
    'metrics-port=9545',
    'permissions-nodes-config-file-enabled=true',
    'permissions-nodes-config-file="/etc/besu/permissions_config.toml"',
    'permissions-accounts-config-file-enabled=true',
    'permissions-accounts-config-file="/etc/besu/permissions_config.toml"',
    '',
  ].join('\n');
}

/** Local permissioning: only these nodes may peer, only these accounts may transact. */
export function permissionsConfigOf(network: BesuNetwork): string {
  return [
    '# GENERATED from network.json by deploy/k8s/tooling/generate-besu-network.ts: do not edit.',
    `nodes-allowlist=${toml([...network.validators, ...network.rpcNodes].map(enodeOf))}`,
    `accounts-allowlist=${toml(network.accounts.map((account) => getAddress(account)))}`,
    '',
  ].join('\n');
}

export function renderBesuNetwork(network: BesuNetwork): Record<keyof typeof GENERATED_FILES, string> {
  return {
    genesis: `${JSON.stringify(genesisOf(network), null, 2)}\n`,
    config: besuConfigOf(network),
    permissions: permissionsConfigOf(network),
  };
}
