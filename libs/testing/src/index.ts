export * from './chain-node.js';
export * from './test-platform.js';
