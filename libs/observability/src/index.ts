export * from './correlation.js';
export * from './correlation.interceptor.js';
export * from './correlation.middleware.js';
export * from './health.js';
export * from './logger.js';
export * from './metrics.js';
export * from './observability.module.js';
export * from './service-bootstrap.js';
