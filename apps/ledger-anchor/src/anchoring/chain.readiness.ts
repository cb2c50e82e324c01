import type { RegistryClient } from '@traceport/chain';

/** Readiness: the chain answers and the registry contract is there. */
export class ChainReadiness {
  readonly name = 'chain';
  constructor(private readonly registry: RegistryClient) {}
  async check(): Promise<void> {
    await this.registry.latestHead();
  }
}
