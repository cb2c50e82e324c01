/** Sealing thresholds, from configuration. */
export class LedgerSettings {
  constructor(
    readonly sealIntervalMs: number,
    readonly sealMaxLeaves: number,
    /** 0 turns the scheduled audit off (it still runs on demand). */
    readonly auditIntervalMs = 0,
  ) {}
}
