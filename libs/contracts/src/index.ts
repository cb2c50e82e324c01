export * from './topics.js';
export * from './cloud-event.js';
export * from './kafka-binding.js';
export * from './anchorable-record.js';
export * from './proto-root.js';
export * from './events/archive-product-registered.v1.js';
