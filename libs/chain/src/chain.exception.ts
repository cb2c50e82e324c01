import { DomainException, type ErrorKind } from '@traceport/errors';
import {
  BaseError,
  ContractFunctionRevertedError,
  HttpRequestError,
  TimeoutError,
  WaitForTransactionReceiptTimeoutError,
  decodeErrorResult,
  isHex,
  type Abi,
} from 'viem';

import { traceportRegistryAbi } from './generated/traceport-registry.artifact.js';

export type ChainErrorCode =
  /** The registry rejected the call; `revert` names its custom error. */
  | 'chain-reverted'
  /** A mined transaction failed and no reason could be recovered. */
  | 'chain-transaction-failed'
  /** The node could not be reached, or a receipt did not arrive in time. */
  | 'chain-unavailable'
  /** No registry code at the configured address on this chain. */
  | 'chain-registry-not-found'
  /** A write was attempted on a client created without a private key. */
  | 'chain-read-only'
  /** No HeadAnchored event for a tree size the caller expected on chain. */
  | 'chain-head-not-found'
  | 'chain-error';

/** A decoded custom error of TraceportRegistry, e.g. `{ name: 'HeadNotNewer', args: { latestTreeSize: 5n, treeSize: 5n } }`. */
export interface RegistryRevert {
  readonly name: string;
  readonly args: Readonly<Record<string, unknown>>;
}

export class ChainException extends DomainException<ChainErrorCode> {
  constructor(
    code: ChainErrorCode,
    kind: ErrorKind,
    message: string,
    readonly revert?: RegistryRevert,
    options?: { cause?: unknown },
  ) {
    super(code, kind, message);
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

// How each registry error reads to a caller; anything unlisted is bad input ('invalid').
const revertKinds: Readonly<Record<string, ErrorKind>> = {
  NotMember: 'forbidden',
  MissingRole: 'forbidden',
  AlreadyMember: 'conflict',
  AlreadyApproved: 'conflict',
  AlreadyAttested: 'conflict',
  HeadNotNewer: 'conflict',
  ProposalAlreadyExecuted: 'conflict',
  ProposalExpired: 'conflict',
  UnknownProposal: 'not_found',
  UnknownMember: 'not_found',
};

/**
 * Turns whatever viem threw into a ChainException whose message names the registry's custom error and its
 * arguments, e.g. `TraceportRegistry.appendHead reverted: HeadNotNewer(latestTreeSize: 5, treeSize: 5)`.
 */
export function toChainException(error: unknown, action = 'TraceportRegistry call'): ChainException {
  if (error instanceof ChainException) return error;
  const revert = decodeRegistryRevert(error);
  if (revert !== undefined) {
    return new ChainException(
      'chain-reverted',
      revertKinds[revert.name] ?? 'invalid',
      `${action} reverted: ${formatRevert(revert)}`,
      revert,
      { cause: error },
    );
  }
  if (error instanceof BaseError) {
    const unavailable = error.walk(
      (e) => e instanceof HttpRequestError || e instanceof TimeoutError || e instanceof WaitForTransactionReceiptTimeoutError,
    );
    if (unavailable !== null) {
      return new ChainException('chain-unavailable', 'unavailable', `${action} failed: ${error.shortMessage}`, undefined, {
        cause: error,
      });
    }
    return new ChainException('chain-error', 'internal', `${action} failed: ${error.shortMessage}`, undefined, { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ChainException('chain-error', 'internal', `${action} failed: ${message}`, undefined, { cause: error });
}

export function decodeRegistryRevert(error: unknown): RegistryRevert | undefined {
  if (!(error instanceof BaseError)) return undefined;
  const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
  if (reverted instanceof ContractFunctionRevertedError && reverted.data !== undefined) {
    return namedRevert(reverted.data.errorName, abiInputs(reverted.data.abiItem), reverted.data.args ?? []);
  }
  // Deployment and raw calls carry only the revert data (e.g. a constructor's custom error): decode it here.
  const withData = error.walk((e) => typeof (e as { data?: unknown }).data === 'string' && isHex((e as { data: string }).data));
  const data = (withData as { data?: `0x${string}` } | null)?.data;
  if (data === undefined || data.length < 10) return undefined;
  try {
    const decoded = decodeErrorResult({ abi: traceportRegistryAbi as Abi, data });
    return namedRevert(decoded.errorName, abiInputs(decoded.abiItem), decoded.args ?? []);
  } catch {
    return undefined;
  }
}

function abiInputs(item: Abi[number]): readonly { name?: string | undefined }[] {
  return 'inputs' in item ? item.inputs : [];
}

function namedRevert(name: string, inputs: readonly { name?: string | undefined }[], values: readonly unknown[]): RegistryRevert {
  const args: Record<string, unknown> = {};
  inputs.forEach((input, i) => {
    args[input.name !== undefined && input.name !== '' ? input.name : `arg${i}`] = values[i];
  });
  return { name, args };
}

function formatRevert(revert: RegistryRevert): string {
  const args = Object.entries(revert.args).map(([key, value]) => `${key}: ${String(value)}`);
  return `${revert.name}(${args.join(', ')})`;
}
