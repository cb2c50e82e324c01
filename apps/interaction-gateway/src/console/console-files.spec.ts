import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMMUTABLE_CACHE, resolveConsoleFile, REVALIDATE_CACHE } from './console-files.js';

let root: string;

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'console-files-'));
  mkdirSync(path.join(root, 'assets'));
  writeFileSync(path.join(root, 'index.html'), '<!doctype html>');
  writeFileSync(path.join(root, 'assets', 'index-abc123.js'), '');
  writeFileSync(path.join(root, 'robots.txt'), '');
  writeFileSync(path.join(path.dirname(root), 'outside.txt'), '');
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('resolveConsoleFile', () => {
  it('serves hashed assets as immutable and other files for revalidation', () => {
    expect(resolveConsoleFile(root, 'assets/index-abc123.js')).toEqual({ kind: 'file', absolutePath: path.join(root, 'assets', 'index-abc123.js'), cacheControl: IMMUTABLE_CACHE });
    expect(resolveConsoleFile(root, 'robots.txt')).toMatchObject({ kind: 'file', cacheControl: REVALIDATE_CACHE });
  });

  it('answers the application page for the root and for client-side routes', () => {
    for (const route of ['', 'index.html', 'rules', 'archive/factories']) expect(resolveConsoleFile(root, route), route).toEqual({ kind: 'page', absolutePath: path.join(root, 'index.html') });
  });

  it('answers nothing for a missing file, a missing asset, or a path out of the folder', () => {
    // `/x` is what /console/%2Fx decodes to: an absolute path, out of the folder (found by the REST fuzz).
    for (const relative of ['assets/gone.js', 'assets/gone', 'favicon.ico', '../outside.txt', '../../etc/passwd', '/etc/passwd', '/)gA0"yVl\\']) {
      expect(resolveConsoleFile(root, relative), relative).toEqual({ kind: 'missing' });
    }
  });

  it('says so when the console is not built, whatever is asked', () => {
    for (const relative of ['', 'rules', 'assets/app.js']) expect(resolveConsoleFile(path.join(root, 'assets'), relative), relative).toEqual({ kind: 'not-built' });
  });
});
