export * from './gtin.js';
