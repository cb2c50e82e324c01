import type { ProofRejection } from './proof-verification.js';

/** Thrown by rootFromInclusion when the inputs cannot describe an inclusion proof. */
export class ProofVerificationException extends Error {
  override readonly name = 'ProofVerificationException';
  readonly reason: ProofRejection;

  constructor(reason: ProofRejection, message: string) {
    super(message);
    this.reason = reason;
  }
}
