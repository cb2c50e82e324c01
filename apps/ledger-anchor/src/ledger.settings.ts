/** Sealing thresholds, from configuration. */
export class LedgerSettings {
  constructor(
    readonly sealIntervalMs: number,
    readonly sealMaxLeaves: number,
  ) {}
}
