import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Bench } from 'tinybench';
import { build, say } from './steps.ts';

/** A result measured by hand (one long operation, or a platform figure) rather than by tinybench. */
interface Table {
  readonly name: string;
  readonly header: string[];
  readonly rows: string[][];
  /** Optional caveats, printed as a list under the table (what was measured, what could not be). */
  readonly notes?: string[];
}

interface BenchModule {
  readonly benchmarks: { readonly title: string; run(): Promise<(Bench | Table)[]> };
}

function machine(): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  return `${cpu}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}`;
}

function fixed(value: number): string {
  if (value >= 100) return value.toFixed(0);
  if (value >= 1) return value.toFixed(2);
  return value.toPrecision(3);
}

function render(result: Bench | Table): string {
  if ('tasks' in result) return table(result);
  return [
    `**${result.name}**`,
    '',
    `| ${result.header.join(' | ')} |`,
    `|${result.header.map((_, column) => (column === 0 ? '---' : '---:')).join('|')}|`,
    ...result.rows.map((row) => `| ${row.join(' | ')} |`),
    ...(result.notes?.length ? ['', ...result.notes.map((note) => `- ${note}`)] : []),
  ].join('\n');
}

function table(bench: Bench): string {
  const rows = bench.tasks.map((task) => {
    const result = task.result;
    if (!('latency' in result)) return `| ${task.name} | failed: ${'error' in result ? String(result.error) : result.state} | | | |`;
    return `| ${task.name} | ${fixed(result.throughput.mean)} | ${fixed(result.latency.mean)} | ${fixed(result.latency.p99)} | ±${result.latency.rme.toFixed(1)}% |`;
  });
  return [`**${bench.name}**`, '', '| contender | ops/s | mean ms | p99 ms | rme |', '|---|---:|---:|---:|---:|', ...rows].join('\n');
}

/**
 * `./traceport bench [name]`: runs bench/<name>.bench.ts (all when no name), prints each result
 * with the machine it ran on, and records it in docs/benchmarks.md under the benchmark's heading.
 */
export async function benchCommand(root: string, args: string[]): Promise<number> {
  const available = readdirSync(join(root, 'bench')).filter((file) => file.endsWith('.bench.ts')).map((file) => basename(file, '.bench.ts'));
  const wanted = args.filter((arg) => !arg.startsWith('-'));
  const unknown = wanted.filter((name) => !available.includes(name));
  if (unknown.length > 0) {
    process.stderr.write(`traceport: no benchmark named ${unknown.join(', ')}; there are: ${available.join(', ')}\n`);
    return 2;
  }
  await build(root);
  const docs = join(root, 'docs/benchmarks.md');
  mkdirSync(join(root, 'docs'), { recursive: true });
  let markdown = existsSync(docs) ? readFileSync(docs, 'utf8') : '# Benchmarks\n\nRecorded by `./traceport bench`; each section is replaced by the latest run of its benchmark.\n';
  for (const name of wanted.length > 0 ? wanted : available) {
    say(`bench: running ${name} (this takes a while; the machine should be otherwise idle)`);
    const module = (await import(pathToFileURL(join(root, 'bench', `${name}.bench.ts`)).href)) as BenchModule;
    const benches = await module.benchmarks.run();
    const section = [
      `<!-- bench:${name} -->`,
      `## ${module.benchmarks.title}`,
      '',
      `Command: \`./traceport bench ${name}\` · ${new Date().toISOString().slice(0, 10)} · ${machine()}`,
      '',
      ...benches.map(render).flatMap((block) => [block, '']),
      `<!-- /bench:${name} -->`,
    ].join('\n');
    process.stdout.write(`\n${section}\n`);
    const pattern = new RegExp(`<!-- bench:${name} -->[\\s\\S]*?<!-- /bench:${name} -->`);
    markdown = pattern.test(markdown) ? markdown.replace(pattern, section) : `${markdown.trimEnd()}\n\n${section}\n`;
  }
  writeFileSync(docs, markdown);
  say(`bench: recorded in ${docs}`);
  return 0;
}
