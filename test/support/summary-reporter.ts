import { writeFileSync } from 'node:fs';
import type { Reporter, TestModule } from 'vitest/node';

// CI reads the last line of the run: "N passed, N failed" (", N skipped" when any were skipped).
// ./traceport test repeats it after stopping its platform, from TRACEPORT_TEST_SUMMARY_FILE.
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    let passed = 0;
    let failed = unhandledErrors.length;
    let skipped = 0;
    for (const module of testModules) {
      const tests = [...module.children.allTests()];
      let failedHere = 0;
      for (const test of tests) {
        const state = test.result().state;
        if (state === 'passed') passed += 1;
        else if (state === 'failed') failedHere += 1;
        else skipped += 1;
      }
      // A file that failed to load, or whose hook failed (its tests then show as skipped), is a
      // failure even when no single test failed.
      if (failedHere === 0 && module.state() === 'failed') failedHere = 1;
      failed += failedHere;
    }
    const line = `${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`;
    process.stdout.write(`\n${line}\n`);
    const file = process.env['TRACEPORT_TEST_SUMMARY_FILE'];
    if (file) writeFileSync(file, `${line}\n`);
  }
}
