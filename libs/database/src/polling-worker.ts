/**
 * Runs a job table's steps one after another for as long as there is work, then waits: until the
 * next poll, or until `nudge()` says work was just queued. A failed step is logged and retried
 * after the wait (the step commits its progress in its own transaction, so a retry resumes).
 * `stop()` lets the step in progress finish.
 */
export class PollingWorker {
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(
    private readonly what: string,
    /** One step of work; false when there was none. */
    private readonly step: () => Promise<boolean>,
    private readonly logger: { warn(message: string): void },
    private readonly idleMs = 1_000,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  /** Work was queued: do not wait for the next poll. */
  nudge(): void {
    this.wake?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      let worked = false;
      try {
        worked = await this.step();
      } catch (error) {
        this.logger.warn(`${this.what} step failed, will retry: ${(error as Error).message}`);
      }
      if (worked) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.idleMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }
}
