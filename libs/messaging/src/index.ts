export * from './messaging-tables.js';
export * from './outbox.js';
export * from './outbox-relay.js';
export * from './kafka.factory.js';
export * from './topic-provisioner.js';
export * from './idempotent-consumer.js';
export * from './messaging.module.js';
export * from './outbox-relay.module.js';
