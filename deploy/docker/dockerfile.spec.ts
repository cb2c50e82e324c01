import { execFileSync } from 'node:child_process';
import { existsSync, globSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// No Docker engine here, so the image build is checked by what can be checked without one: the
// Dockerfile against the workspace (every COPY source exists and is in the build context, every
// workspace manifest is copied, the images run as non-root, their entry points exist after a build),
// and the run-time tree it assembles, made by the same script from the local build.

const root = fileURLToPath(new URL('../../', import.meta.url));
const SERVICES = ['data-service', 'decision-engine', 'interaction-gateway', 'ledger-anchor'];

interface Instruction {
  readonly stage: string;
  readonly keyword: string;
  readonly args: string;
}

function instructionsOf(dockerfile: string): Instruction[] {
  const logical = dockerfile.replace(/\\\n/g, ' ').split('\n').map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#'));
  let stage = '';
  return logical.map((line) => {
    const [keyword = '', ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    if (keyword.toUpperCase() === 'FROM') stage = /\bAS\s+(\S+)/i.exec(args)?.[1] ?? args;
    return { stage, keyword: keyword.toUpperCase(), args };
  });
}

/** .dockerignore's patterns as the builder reads them (the subset of the syntax the file uses). */
function ignoredByDockerignore(path: string): boolean {
  const patterns = readFileSync(join(root, '.dockerignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  return patterns.some((pattern) => {
    const regex = new RegExp(
      `^${pattern
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .split('**/')
        .map((part) => part.replace(/\*/g, '[^/]*'))
        .join('(?:.*/)?')}(?:/.*)?$`,
    );
    return regex.test(path);
  });
}

const instructions = instructionsOf(readFileSync(join(root, 'deploy/docker/Dockerfile'), 'utf8'));
const copies = instructions.filter((instruction) => instruction.keyword === 'COPY');
const fromContext = copies.filter((copy) => !copy.args.startsWith('--from='));

describe('deploy/docker/Dockerfile', () => {
  it('copies only sources that exist and that .dockerignore lets into the build context', () => {
    const sources = fromContext.flatMap((copy) => copy.args.split(/\s+/).filter((arg) => !arg.startsWith('--')).slice(0, -1));
    expect(sources.length).toBeGreaterThan(10);
    for (const source of sources) {
      expect(existsSync(join(root, source)), source).toBe(true);
      expect(ignoredByDockerignore(source), `${source} is excluded by .dockerignore`).toBe(false);
    }
    // …and keeps out what the image builds itself or must never contain.
    for (const path of ['node_modules', 'libs/ledger/dist', '.git', '.run', '.cache', 'apps/ledger-anchor/test', 'libs/ledger/src/merkle-hash.spec.ts']) {
      expect(ignoredByDockerignore(path), path).toBe(true);
    }
  });

  it('copies the manifest of every npm workspace before npm ci, so node_modules links them all', () => {
    const workspaces = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { workspaces: string[] }).workspaces
      .flatMap((pattern) => globSync(`${pattern}/package.json`, { cwd: root }))
      .sort();
    const copied = fromContext
      .filter((copy) => copy.stage === 'manifests')
      .flatMap((copy) => copy.args.split(/\s+/).slice(0, -1))
      .filter((source) => /^(apps|libs)\/[^/]+\/package\.json$/.test(source))
      .sort();
    expect(copied).toEqual(workspaces);
  });

  it('builds one image per service that runs its entry point as a non-root user', () => {
    const users = instructions.filter((instruction) => instruction.keyword === 'USER');
    expect(users.map((user) => `${user.stage} ${user.args}`)).toEqual(['runtime 1000:1000']);
    const entrypoint = instructions.find((instruction) => instruction.keyword === 'ENTRYPOINT' && instruction.stage === 'runtime')!;
    const preload = (JSON.parse(entrypoint.args) as string[]).find((arg) => arg.includes('tracing-preload'))!;
    expect(existsSync(join(root, preload)), `${preload} (build the workspace first)`).toBe(true);
    for (const service of SERVICES) {
      expect(instructions.some((instruction) => instruction.keyword === 'FROM' && instruction.args === `runtime AS ${service}`), service).toBe(true);
      const command = instructions.find((instruction) => instruction.keyword === 'CMD' && instruction.stage === service)!;
      const [main] = JSON.parse(command.args) as string[];
      expect(main).toBe(`apps/${service}/dist/main.js`);
      expect(existsSync(join(root, main!)), `${main} (build the workspace first)`).toBe(true);
    }
  });
});

describe('deploy/docker/assemble-runtime.sh on the local build', () => {
  let out: string;
  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'traceport-runtime-'));
    execFileSync('sh', [join(root, 'deploy/docker/assemble-runtime.sh'), out], { cwd: root });
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('holds compiled JavaScript, no TypeScript sources, tests or the testing lib', () => {
    expect(globSync('**/*.ts', { cwd: out })).toEqual([]);
    expect(globSync('**/{test,src}/', { cwd: out })).toEqual([]);
    expect(existsSync(join(out, 'libs/testing'))).toBe(false);
    for (const service of SERVICES) expect(existsSync(join(out, 'apps', service, 'dist/main.js')), service).toBe(true);
  });

  it('holds what each lib exports and every file its code locates beside itself (protos, schemas)', () => {
    for (const manifest of globSync('libs/*/package.json', { cwd: out })) {
      const exported = (JSON.parse(readFileSync(join(out, manifest), 'utf8')) as { exports: { '.': { default: string } } }).exports['.'].default;
      expect(existsSync(join(out, dirname(manifest), exported)), `${manifest} exports ${exported}`).toBe(true);
    }
    const located = globSync('{apps,libs}/*/dist/**/*.js', { cwd: out }).flatMap((file) =>
      [...readFileSync(join(out, file), 'utf8').matchAll(/new URL\('([^']+)', import\.meta\.url\)/g)].map((match) =>
        relative(out, resolve(out, dirname(file), match[1]!)),
      ),
    );
    expect(located).toContain('libs/contracts/proto');
    for (const path of located) expect(existsSync(join(out, path)), path).toBe(true);
  });
});
