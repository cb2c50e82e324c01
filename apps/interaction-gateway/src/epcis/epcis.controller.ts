import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Req, Res, type RawBodyRequest } from '@nestjs/common';
import { CBV_VERSION, EPCIS_VERSION } from '@traceport/contracts';
import { DomainException, invalid } from '@traceport/errors';
import type { Request, Response } from 'express';
import { ApiTags } from '@nestjs/swagger';
import { ApiDoc } from '../openapi/api-doc.decorator.js';
import { EPCIS_OPERATIONS } from '../openapi/epcis-operations.js';
import { epcisQueryDocumentJson } from './epcis-query-document.js';
import { TraceGateway, type CaptureJobMessage, type QueryParameterMessage } from './trace.gateway.js';

/** The most events one capture may carry (the data-service enforces the same bound). */
const CAPTURE_EVENT_LIMIT = 10_000;
const CAPTURE_BYTES_LIMIT = 10 * 1024 * 1024;

function versionHeaders(response: Response): void {
  response.setHeader('GS1-EPCIS-Version', EPCIS_VERSION);
  response.setHeader('GS1-CBV-Version', CBV_VERSION);
}

/** The capture job as the binding shows it, with the outcome counts beside. */
function captureJobJson(job: CaptureJobMessage) {
  return {
    captureID: job.captureId,
    createdAt: job.createdAt,
    ...(job.finishedAt === '' ? {} : { finishedAt: job.finishedAt }),
    running: job.running,
    success: job.success,
    captureErrorBehaviour: job.captureErrorBehaviour,
    errors: job.errors,
    eventCount: job.eventCount,
    storedCount: job.storedCount,
    duplicateCount: job.duplicateCount,
    newVersionCount: job.newVersionCount,
  };
}

/**
 * The body as it arrived, when it arrived as UTF-8 (JSON may also come as UTF-16 or UTF-32, which the
 * body parser decodes), without a byte order mark (which the parser drops and JSON.parse refuses).
 */
function utf8TextOf(request: RawBodyRequest<Request>): string | undefined {
  if (request.rawBody === undefined) return undefined;
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(request.headers['content-type'] ?? '')?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') return undefined;
  const text = request.rawBody.toString('utf8');
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}

/** Express gives a query parameter as a string, or as an array of them when it is repeated. */
function queryParametersOf(query: Record<string, unknown>): QueryParameterMessage[] {
  return Object.entries(query).flatMap(([name, value]) => {
    const values = Array.isArray(value) ? value : [value];
    return values.map((item) => {
      if (typeof item !== 'string') throw invalid('epcis-invalid-query', `query parameter ${name} must be a plain value`, [{ field: name, message: 'a plain value' }]);
      return { name, value: item };
    });
  });
}

/**
 * The EPCIS 2.0 REST binding, mounted at /epcis: capture, capture jobs, event queries and single
 * events. Documents are forwarded to the data-service as the JSON text they arrived as.
 */
@ApiTags('EPCIS 2.0')
@Controller('epcis')
export class EpcisController {
  constructor(private readonly trace: TraceGateway) {}

  @Post('capture')
  @HttpCode(202)
  @ApiDoc(EPCIS_OPERATIONS.capture)
  async capture(
    @Body() body: unknown,
    @Headers('gs1-capture-error-behaviour') behaviour: string | undefined,
    @Req() request: RawBodyRequest<Request>,
    @Res({ passthrough: true }) response: Response,
  ) {
    if (request.is(['application/json', 'application/ld+json']) === false || body === undefined) {
      throw new DomainException('unsupported-media-type', 'invalid', 'an EPCIS document is sent as application/json or application/ld+json');
    }
    // Forwarded as the JSON text it arrived as (the body parser keeps its bytes): the parsed value is
    // only needed for the checks above and the U+0000 guard, and encoding it again was 6% of the
    // gateway's CPU during bench epcis.
    const job = await this.trace.capture(utf8TextOf(request) ?? JSON.stringify(body), behaviour ?? '');
    versionHeaders(response);
    response.location(`/epcis/capture/${job.captureId}`);
    return captureJobJson(job);
  }

  /** The binding's discovery of capture limits. */
  @Get('capture')
  @ApiDoc(EPCIS_OPERATIONS.captureLimits)
  captureLimits(@Res({ passthrough: true }) response: Response) {
    versionHeaders(response);
    response.setHeader('GS1-EPCIS-Capture-Limit', String(CAPTURE_EVENT_LIMIT));
    response.setHeader('GS1-EPCIS-Capture-File-Size-Limit', String(CAPTURE_BYTES_LIMIT));
    response.setHeader('GS1-Capture-Error-Behaviour', 'rollback');
    return { captureLimit: CAPTURE_EVENT_LIMIT, captureFileSizeLimit: CAPTURE_BYTES_LIMIT, captureErrorBehaviour: ['rollback'] };
  }

  @Get('capture/:captureId')
  @ApiDoc(EPCIS_OPERATIONS.captureJob)
  async captureJob(@Param('captureId') captureId: string, @Res({ passthrough: true }) response: Response) {
    const job = await this.trace.captureJob(captureId);
    versionHeaders(response);
    return captureJobJson(job);
  }

  @Get('events')
  @ApiDoc(EPCIS_OPERATIONS.events)
  async events(@Query() query: Record<string, unknown>, @Req() request: Request, @Res() response: Response): Promise<void> {
    const page = await this.trace.query(queryParametersOf(query));
    versionHeaders(response);
    if (page.nextPageToken !== '') {
      const next = new URLSearchParams(request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '');
      next.set('nextPageToken', page.nextPageToken);
      response.setHeader('Link', `</epcis/events?${next.toString()}>; rel="next"`);
      response.setHeader('GS1-Next-Page-Token', page.nextPageToken);
    }
    response.status(200).type('application/json').send(epcisQueryDocumentJson(page.events));
  }

  /**
   * One event by its (URL-encoded) eventID, as an EPCISQueryDocument. Its latest version unless
   * `version` asks for an earlier one; every version's number is listed in Traceport-Event-Versions.
   */
  @Get('events/:eventId')
  @ApiDoc(EPCIS_OPERATIONS.event)
  async event(@Param('eventId') eventId: string, @Query('version') version: unknown, @Res() response: Response): Promise<void> {
    const wanted = version === undefined ? 0 : Number(version);
    if (!Number.isInteger(wanted) || wanted < 0) throw invalid('epcis-invalid-query', 'version must be a positive integer', [{ field: 'version', message: 'a positive integer' }]);
    const found = await this.trace.event(eventId, wanted);
    versionHeaders(response);
    response.setHeader('Traceport-Event-Version', String(found.event.version));
    response.setHeader('Traceport-Event-Versions', found.versions.join(','));
    response.setHeader('Traceport-Record-Key', found.event.recordKey);
    response.status(200).type('application/json').send(epcisQueryDocumentJson([found.event]));
  }
}
