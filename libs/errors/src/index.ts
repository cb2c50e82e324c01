export * from './domain.exception.js';
export * from './problem-details.js';
export * from './grpc-status.js';
export * from './all-exceptions.filter.js';
