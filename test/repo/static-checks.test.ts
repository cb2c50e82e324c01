import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The rules the code lives by, as tests: a type error anywhere (specs and tools included) or a lint
// error (module boundaries, promise safety, exhaustive switches) fails the run like any other test.

const root = join(import.meta.dirname, '../..');

function run(script: string, args: string[]) {
  const result = spawnSync(process.execPath, [join(root, script), ...args], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 2 ** 20,
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
  });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('static checks', () => {
  it('type-checks every project, its specs and tests, the CLI and the benchmarks', () => {
    const { code, output } = run('node_modules/typescript/bin/tsc', ['-b', 'tsconfig.checks.json']);
    expect(output).toBe('');
    expect(code).toBe(0);
  });

  it('passes ESLint, including module boundaries and promise safety, with no errors', () => {
    // @nx/enforce-module-boundaries reads Nx's project graph and silently skips without one (a
    // clean clone has none): compute it first, so boundaries are really checked.
    const graph = run('node_modules/nx/dist/bin/nx.js', ['show', 'projects']);
    expect(graph.code).toBe(0);
    const { code, output } = run('node_modules/eslint/bin/eslint.js', ['.', '--quiet']);
    expect(output).toBe('');
    expect(code).toBe(0);
  });
});
