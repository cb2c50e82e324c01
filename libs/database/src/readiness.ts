/** Structural twin of observability's ReadinessCheck, so this lib needs no import of it. */
export interface ReadinessCheckLike {
  readonly name: string;
  check(): Promise<void>;
}
