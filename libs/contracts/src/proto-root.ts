import { fileURLToPath } from 'node:url';

/**
 * Folder holding the .proto files (package traceport.v1). Resolved from this module's own location,
 * which works from src/ under tests and from dist/ at run time, since both sit beside proto/.
 */
export const PROTO_ROOT = fileURLToPath(new URL('../proto/', import.meta.url));

export const PROTO_PACKAGE = 'traceport.v1';

export const PROTO_FILES = ['traceport/v1/archive.proto', 'traceport/v1/ledger.proto', 'traceport/v1/epcis.proto', 'traceport/v1/decision.proto', 'traceport/v1/identity.proto', 'traceport/v1/scan.proto', 'traceport/v1/trace-graph.proto', 'traceport/v1/control.proto', 'traceport/v1/subscription.proto', 'traceport/v1/record-digest.proto'] as const;
