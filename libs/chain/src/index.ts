export * from './chain.exception.js';
export * from './registry-client.js';
export * from './registry-roles.js';
export { traceportRegistryAbi, traceportRegistryBytecode, traceportRegistryCompilerVersion } from './generated/traceport-registry.artifact.js';
