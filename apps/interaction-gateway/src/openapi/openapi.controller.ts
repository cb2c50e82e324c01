import { Controller, Get, Header, Param, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { notFound } from '@traceport/errors';
import type { Response } from 'express';
import { createRequire } from 'node:module';
import path from 'node:path';
import { z } from 'zod';
import { ApiDoc } from './api-doc.decorator.js';
import { OpenApiDocumentService } from './openapi-document.service.js';
import { DOCS_PATH, OPENAPI_PATH } from './openapi-document.js';

// Swagger UI's files, served by the gateway itself from node_modules: the page needs no CDN and
// sends nothing to third-party hosts (its validator badge is off).
const SWAGGER_UI_DIR = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const ASSETS: Readonly<Record<string, string>> = {
  'swagger-ui.css': 'text/css',
  'swagger-ui.css.map': 'application/json',
  'swagger-ui-bundle.js': 'text/javascript',
  'swagger-ui-bundle.js.map': 'application/json',
  'swagger-ui-standalone-preset.js': 'text/javascript',
  'swagger-ui-standalone-preset.js.map': 'application/json',
  'favicon-16x16.png': 'image/png',
  'favicon-32x32.png': 'image/png',
};

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Traceport API</title>
  <link rel="stylesheet" href="${DOCS_PATH}/swagger-ui.css">
  <link rel="icon" type="image/png" href="${DOCS_PATH}/favicon-32x32.png" sizes="32x32">
  <link rel="icon" type="image/png" href="${DOCS_PATH}/favicon-16x16.png" sizes="16x16">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="${DOCS_PATH}/swagger-ui-bundle.js"></script>
  <script src="${DOCS_PATH}/swagger-ui-standalone-preset.js"></script>
  <script src="${DOCS_PATH}/swagger-initializer.js"></script>
</body>
</html>
`;

// validatorUrl null: Swagger UI would otherwise send the document to validator.swagger.io.
const INITIALIZER = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: ${JSON.stringify(OPENAPI_PATH)},
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    plugins: [SwaggerUIBundle.plugins.DownloadUrl],
    layout: 'StandaloneLayout',
  });
});
`;

const ASSET_CACHE = 'public, max-age=86400';

/**
 * The page's own scripts and styles only. Swagger UI sets style attributes as it renders, hence
 * 'unsafe-inline' for styles (never for scripts); it fetches the document from this origin and
 * draws images from data: URLs.
 */
export const DOCS_CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The OpenAPI document and its interactive page. */
@ApiTags('Documentation')
@Controller()
export class OpenApiController {
  constructor(private readonly document: OpenApiDocumentService) {}

  @Get(OPENAPI_PATH.slice(1))
  @ApiDoc({ summary: 'This OpenAPI 3.1 document', response: { status: 200, description: 'The document.', schema: z.looseObject({ openapi: z.string() }) } })
  openApi(): unknown {
    return this.document.get();
  }

  @Get(DOCS_PATH.slice(1))
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Content-Security-Policy', DOCS_CONTENT_SECURITY_POLICY)
  @ApiDoc({ summary: 'The interactive API documentation (Swagger UI)', response: { status: 200, description: 'The page; its scripts and styles come from /docs/….', contentType: 'text/html' } })
  page(): string {
    return PAGE;
  }

  @Get(`${DOCS_PATH.slice(1)}/:asset`)
  @ApiDoc({
    summary: "The documentation page's scripts, styles and icons",
    params: { asset: ['swagger-initializer.js or a file of Swagger UI.', z.enum(['swagger-initializer.js', ...Object.keys(ASSETS)])] },
    response: { status: 200, description: 'The file.', contentType: ['text/javascript', 'text/css', 'image/png', 'application/json'] },
    problems: [404],
  })
  asset(@Param('asset') asset: string, @Res() response: Response): void {
    if (asset === 'swagger-initializer.js') {
      response.type('text/javascript').set('Cache-Control', 'no-cache').send(INITIALIZER);
      return;
    }
    // Own keys only: '__proto__' and 'constructor' are not files.
    const type = Object.hasOwn(ASSETS, asset) ? ASSETS[asset] : undefined;
    if (type === undefined) throw notFound('not-found', `no documentation asset ${asset}`);
    response.type(type).set('Cache-Control', ASSET_CACHE).sendFile(path.join(SWAGGER_UI_DIR, asset));
  }
}
