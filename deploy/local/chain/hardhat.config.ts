import path from 'node:path';

import { defineConfig } from 'hardhat/config';

// Local consortium-chain stand-in: Hardhat's in-process EDR node served over JSON-RPC.
// Run from the repository root:
//   npx hardhat --config deploy/local/chain/hardhat.config.ts node --hostname 127.0.0.1 --port 8545
//
// Contracts are compiled by libs/chain/scripts/compile.ts with npm solc, never by Hardhat (no compiler
// download is allowed), so this config declares no Solidity settings and points `sources` at an empty
// directory. `hardhat node` does not compile anyway; it only watches the artifacts dir for build infos.
//
// Accounts are Hardhat's well-known dev accounts (mnemonic "test test test test test test test test test
// test test junk", 10,000 ETH each); their keys are public, so this node is for local use only:
//   #0 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266  (registry deployer; ANCHORER|AUDITOR)
//   #1 0x70997970C51812dc3A010C7d01b50e0d17dc79C8  (AGENCY)
//   #2 0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC  (AGENCY)
export default defineConfig({
  // Hardhat resolves relative paths against the project root (the repository root, where package.json
  // lives), not this file, so anchor them here; `hardhat node` creates artifacts/build-info on start.
  paths: {
    sources: path.join(import.meta.dirname, 'no-sources'),
    cache: path.join(import.meta.dirname, 'cache'),
    artifacts: path.join(import.meta.dirname, 'artifacts'),
  },
  networks: {
    // `hardhat node` serves the network named "node" unless --network says otherwise.
    node: {
      type: 'edr-simulated',
      chainType: 'l1',
      chainId: 31337,
      // Pinned so the local EVM does not move under us with Hardhat upgrades; the contracts target cancun.
      hardfork: 'prague',
      // Automine: every transaction is mined into its own block at once, so receipts come back immediately.
      mining: { auto: true, interval: 0 },
    },
  },
});
