import { ContractFunctionRevertedError, HttpRequestError, encodeErrorResult, type Hex } from 'viem';
import { describe, expect, it } from 'vitest';

import { ChainException, decodeRegistryRevert, toChainException } from './chain.exception.js';
import { traceportRegistryAbi } from './generated/traceport-registry.artifact.js';

const account = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';

function reverted(data: Hex): ContractFunctionRevertedError {
  return new ContractFunctionRevertedError({ abi: traceportRegistryAbi, data, functionName: 'appendHead' });
}

describe('toChainException', () => {
  it('names the registry custom error and its arguments', () => {
    const data = encodeErrorResult({ abi: traceportRegistryAbi, errorName: 'MissingRole', args: [account, 1] });
    const error = toChainException(reverted(data), 'TraceportRegistry.appendHead');
    expect(error).toBeInstanceOf(ChainException);
    expect(error.code).toBe('chain-reverted');
    expect(error.kind).toBe('forbidden');
    expect(error.revert).toEqual({ name: 'MissingRole', args: { account, role: 1 } });
    expect(error.message).toBe(`TraceportRegistry.appendHead reverted: MissingRole(account: ${account}, role: 1)`);
  });

  it('classifies a stale head as a conflict and a bad proof as invalid input', () => {
    const stale = encodeErrorResult({ abi: traceportRegistryAbi, errorName: 'HeadNotNewer', args: [5n, 5n] });
    expect(toChainException(reverted(stale)).kind).toBe('conflict');
    const proof = encodeErrorResult({ abi: traceportRegistryAbi, errorName: 'InvalidConsistencyProof', args: [5n, 9n] });
    expect(toChainException(reverted(proof)).kind).toBe('invalid');
  });

  it('decodes bare revert data, as a failed deployment carries it', () => {
    const data = encodeErrorResult({ abi: traceportRegistryAbi, errorName: 'LengthMismatch', args: [3n, 2n] });
    const wrapped = Object.assign(new HttpRequestError({ url: 'http://x' }), { data });
    expect(decodeRegistryRevert(wrapped)).toEqual({ name: 'LengthMismatch', args: { members: 3n, roles: 2n } });
  });

  it('reports an unreachable node as unavailable', () => {
    const error = toChainException(new HttpRequestError({ url: 'http://127.0.0.1:1' }), 'chain at http://127.0.0.1:1');
    expect(error.code).toBe('chain-unavailable');
    expect(error.kind).toBe('unavailable');
  });

  it('passes a ChainException through unchanged', () => {
    const original = new ChainException('chain-read-only', 'forbidden', 'no key');
    expect(toChainException(original)).toBe(original);
  });
});
