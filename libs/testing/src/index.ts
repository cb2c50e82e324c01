export * from './chain-node.js';
