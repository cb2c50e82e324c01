export * from './snake-naming.strategy.js';
export * from './data-source.factory.js';
export * from './database.module.js';
export * from './cursor-batches.js';
export * from './polling-worker.js';
export * from './copy-rows.js';
