import { Controller, Get, Headers, Inject, Query, Req, Res } from '@nestjs/common';
import { DigitalLinkException, parseDigitalLinkPath } from '@traceport/identity';
import { notFound } from '@traceport/errors';
import type { Request, Response } from 'express';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ApiDoc } from '../openapi/api-doc.decorator.js';
import { ScanView } from '../openapi/schemas/identity.schemas.js';
import { Problem } from '../openapi/schemas/problem.schema.js';
import { SCAN_REGION_HEADER } from './identity-lookup.tokens.js';
import { renderNotGenuinePage, renderScanPage, SCAN_PAGE_CONTENT_SECURITY_POLICY } from './scan-page.html.js';
import { languageOf } from './scan-page.i18n.js';
import { ScanPageService } from './scan-page.service.js';

/** Only a region code, never more: the edge's GeoIP writes it; anything else is dropped, not stored. */
function regionOf(header: string | string[] | undefined): string {
  const value = (Array.isArray(header) ? header[0] : header)?.trim().toUpperCase() ?? '';
  return /^[A-Z]{2}(-[A-Z0-9]{1,3})?$/.test(value) ? value : '';
}

function wantsJson(accept: string | undefined): boolean {
  const value = accept ?? '';
  return /application\/(json|ld\+json)/.test(value) && !/text\/html/.test(value);
}

/**
 * The GS1 Digital Link resolver: `GET /01/{gtin}/21/{serial}` (with 10, 22 and ?17= allowed) answers
 * the scan page to browsers and the same content as JSON to `Accept: application/json`. Public, like
 * proofs. Every genuine scan is recorded (time and coarse region only).
 */
@ApiTags('Resolver')
@Controller()
export class ResolverController {
  constructor(
    private readonly pages: ScanPageService,
    @Inject(SCAN_REGION_HEADER) private readonly regionHeader: string,
  ) {}

  @Get('01/*path')
  @ApiDoc({
    summary: 'Resolve a GS1 Digital Link: the scan page, or its content as JSON',
    description:
      'Public. `Accept: text/html` answers the consumer scan page, `Accept: application/json` the same content as JSON: the factory and its certifications, customs, inspection, the lot, every trace event, scan history with cloning signals, and `records` with their proofs. Every genuine scan is recorded (time and coarse region only). Expiry may be given as ?17=YYMMDD.',
    query: { schema: z.object({ lang: z.enum(['en', 'zh']).optional(), 17: z.string().regex(/^\d{6}$/).optional() }), describe: { lang: 'The page language (Accept-Language otherwise).', 17: 'Expiry date (GS1 AI 17), YYMMDD.' } },
    response: { status: 200, description: 'The scan page, or its content.', content: { 'text/html': null, 'application/json': ScanView } },
    responses: [
      {
        status: 404,
        description: 'A code Traceport never issued (the package may be counterfeit), or not a Digital Link: a warning page, or problem+json (code-not-genuine) to JSON clients.',
        content: { 'text/html': null, 'application/problem+json': Problem },
      },
    ],
  })
  async resolve(@Req() request: Request, @Res() response: Response, @Headers('accept') accept: string | undefined, @Headers('accept-language') acceptLanguage: string | undefined, @Query('lang') lang: unknown) {
    const json = wantsJson(accept);
    const language = languageOf(lang, acceptLanguage);
    const switchHref = `${request.path}?${new URLSearchParams({ ...Object.fromEntries(Object.entries(request.query).filter(([key, value]) => key !== 'lang' && typeof value === 'string') as [string, string][]), lang: language === 'zh' ? 'en' : 'zh' }).toString()}`;
    response.setHeader('Cache-Control', 'no-store');
    response.setHeader('Vary', 'Accept, Accept-Language');
    if (!json) response.setHeader('Content-Security-Policy', SCAN_PAGE_CONTENT_SECURITY_POLICY);
    let keys: ReturnType<typeof parseDigitalLinkPath> | null = null;
    try {
      keys = parseDigitalLinkPath(request.originalUrl.replace(/([?&])lang=[^&]*&?/, '$1').replace(/[?&]$/, ''));
    } catch (error) {
      if (!(error instanceof DigitalLinkException)) throw error;
    }
    const view = keys?.serial === undefined ? null : await this.pages.view(keys.gtin, keys.serial, regionOf(request.headers[this.regionHeader]));
    if (view === null) {
      if (json) throw notFound('code-not-genuine', keys === null ? 'this is not a GS1 Digital Link product code' : 'Traceport never issued this code: the package may be counterfeit');
      response.status(404).type('html').send(renderNotGenuinePage(request.originalUrl, language, switchHref, keys === null || keys.serial === undefined));
      return;
    }
    if (json) {
      response.type('application/json').send(JSON.stringify(view));
      return;
    }
    response.type('html').send(renderScanPage(view, language, switchHref));
  }
}
