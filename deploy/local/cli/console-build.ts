// Builds the operations console (apps/console, React + Vite) into apps/console/dist, which the
// gateway serves at /console. Skipped when the build is newer than every source, as tsc -b skips
// what is up to date, so `./traceport up` and `./traceport test` stay quick once built.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { run, say } from './steps.ts';

function newestChange(path: string): number {
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestChange(join(path, name))), stats.mtimeMs);
}

export function consoleBuildIsCurrent(root: string): boolean {
  const project = join(root, 'apps/console');
  const built = join(project, 'dist/index.html');
  if (!existsSync(built)) return false;
  const sources = [join(project, 'src'), join(project, 'index.html'), join(project, 'vite.config.ts'), join(root, 'package-lock.json')];
  return Math.max(...sources.map(newestChange)) < statSync(built).mtimeMs;
}

export async function buildConsole(root: string): Promise<void> {
  if (consoleBuildIsCurrent(root)) return;
  const started = Date.now();
  say('build: bundling the operations console (vite build apps/console)');
  await run(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', 'apps/console', '--logLevel', 'warn'], { cwd: root });
  say(`build: console done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
