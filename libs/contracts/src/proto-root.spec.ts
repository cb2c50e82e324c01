import { loadSync } from '@grpc/proto-loader';
import { describe, expect, it } from 'vitest';
import { PROTO_FILES, PROTO_ROOT } from './proto-root.js';

// A proto that does not resolve only shows when a service boots; this fails first, naming the type.
describe('the traceport.v1 protos', () => {
  it('load together, every type resolved', () => {
    const definition = loadSync(PROTO_FILES.map((file) => `${PROTO_ROOT}${file}`), { includeDirs: [PROTO_ROOT] });
    const services = Object.keys(definition).filter((name) => name.startsWith('traceport.v1.') && 'format' in definition[name]! === false);
    expect(services).toEqual(
      expect.arrayContaining(['traceport.v1.ArchiveService', 'traceport.v1.LedgerService', 'traceport.v1.SamplingService', 'traceport.v1.RuleSetService', 'traceport.v1.WhitelistService', 'traceport.v1.InspectionService', 'traceport.v1.IdentityService', 'traceport.v1.ScanService']),
    );
  });
});
