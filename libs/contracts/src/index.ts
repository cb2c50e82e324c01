export * from './topics.js';
export * from './cloud-event.js';
export * from './kafka-binding.js';
export * from './anchorable-record.js';
export * from './proto-root.js';
export * from './archive/archive-records.js';
export * from './events/archive-record-versioned.v1.js';
