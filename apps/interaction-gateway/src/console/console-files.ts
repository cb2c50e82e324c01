import { existsSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';

// Where the operations console's built files are and how each is served. The console is a
// single-page application (apps/console, built by Vite into apps/console/dist): its hashed
// assets never change, so browsers keep them a year; its index.html changes with every build, so
// it is revalidated each time, and it carries the console's Content-Security-Policy.

/** apps/console/dist, from this file in apps/interaction-gateway/{src,dist}/console/. */
export const DEFAULT_CONSOLE_DIR = path.resolve(import.meta.dirname, '../../../console/dist');

/** Scripts only from the gateway itself (no inline script); styles inline too, for the charts' SVG. */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const IMMUTABLE_CACHE = 'public, max-age=31536000, immutable';
export const REVALIDATE_CACHE = 'no-cache';

export type ConsoleFile =
  | { readonly kind: 'file'; readonly absolutePath: string; readonly cacheControl: string }
  | { readonly kind: 'page'; readonly absolutePath: string }
  | { readonly kind: 'missing' }
  | { readonly kind: 'not-built' };

/**
 * What `/console/<relative>` serves: a built file; the application page for a client-side route
 * (a path whose last segment has no extension); nothing for a missing file, so that a broken asset
 * link is a 404 rather than a page. Paths that climb out of the folder are missing. Without a
 * built index.html there is no console at all.
 */
export function resolveConsoleFile(root: string, relative: string): ConsoleFile {
  const page = path.join(root, 'index.html');
  if (!existsSync(page)) return { kind: 'not-built' };
  const realRoot = realpathSync(root);
  const candidate = path.resolve(realRoot, relative);
  if (candidate !== realRoot && !candidate.startsWith(`${realRoot}${path.sep}`)) return { kind: 'missing' };
  if (candidate === realRoot || candidate === page) return { kind: 'page', absolutePath: page };
  if (existsSync(candidate) && statSync(candidate).isFile()) {
    const hashed = relative.startsWith('assets/');
    return { kind: 'file', absolutePath: candidate, cacheControl: hashed ? IMMUTABLE_CACHE : REVALIDATE_CACHE };
  }
  const last = relative.split('/').at(-1) ?? '';
  return relative.startsWith('assets/') || last.includes('.') ? { kind: 'missing' } : { kind: 'page', absolutePath: page };
}
