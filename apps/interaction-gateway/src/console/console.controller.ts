import { Controller, Get, Inject, Param, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { DomainException, notFound } from '@traceport/errors';
import type { Response } from 'express';
import { ApiDoc } from '../openapi/api-doc.decorator.js';
import { CONSOLE_CSP, REVALIDATE_CACHE, resolveConsoleFile } from './console-files.js';

export const CONSOLE_DIR = Symbol('CONSOLE_DIR');

// Our Cache-Control, not Express's default; ETag and Last-Modified for revalidation.
const SEND_OPTIONS = { cacheControl: false, etag: true, lastModified: true } as const;

/**
 * The operations console (apps/console), a single-page application served from its built files:
 * `/console/` and every client-side route under it answer the application page; its hashed assets
 * are cached for good. The page itself holds no data: it calls the REST API with the user's key.
 */
@ApiTags('Console')
@Controller('console')
export class ConsoleController {
  constructor(@Inject(CONSOLE_DIR) private readonly root: string) {}

  @Get()
  @ApiDoc({
    summary: 'The operations console',
    description: 'The web application for operations staff (dashboard, archive, sampling rules, whitelist, inspections, ledger). It calls this API with the API key the user signs in with.',
    response: { status: 200, description: 'The application page.', contentType: 'text/html' },
    problems: [404],
  })
  page(@Res() response: Response): void {
    this.send(response, '');
  }

  @Get('*path')
  @ApiDoc({
    summary: "The console's files and client-side routes",
    description: 'A built file (scripts and styles under assets/ are immutable, cached a year), or the application page for any route of the console.',
    params: { path: 'A file of the console, or one of its routes (e.g. rules).' },
    response: { status: 200, description: 'The file, or the application page.', contentType: ['text/html', 'text/javascript', 'text/css', 'image/svg+xml'] },
    problems: [404],
  })
  file(@Param('path') segments: string[] | string, @Res() response: Response): void {
    this.send(response, Array.isArray(segments) ? segments.join('/') : segments);
  }

  private send(response: Response, relative: string): void {
    const found = resolveConsoleFile(this.root, relative);
    switch (found.kind) {
      case 'not-built':
        throw new DomainException('console-not-built', 'unavailable', 'the console is not built: run the build (./traceport up and ./traceport test build it)');
      case 'missing':
        throw notFound('not-found', `the console has no file ${relative}`);
      case 'page':
        response.set({ 'Cache-Control': REVALIDATE_CACHE, 'Content-Security-Policy': CONSOLE_CSP, 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer' });
        response.sendFile(found.absolutePath, SEND_OPTIONS);
        return;
      case 'file':
        response.set({ 'Cache-Control': found.cacheControl, 'X-Content-Type-Options': 'nosniff' });
        response.sendFile(found.absolutePath, SEND_OPTIONS);
        return;
    }
  }
}
