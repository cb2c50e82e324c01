import { Body, Controller, Get, HttpCode, Logger, Param, Post, Query, Res } from '@nestjs/common';
import type { IdentityMessage } from '@traceport/contracts';
import { invalid, type FieldViolation } from '@traceport/errors';
import { type LabelContent, parseDigitalLink, qrFriendlyUri, qrPng, qrSvg, writeLabelSheet } from '@traceport/identity';
import type { Response } from 'express';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ApiDoc } from '../openapi/api-doc.decorator.js';
import { Identity, IdentityPage, Issuance, IssuanceList } from '../openapi/schemas/identity.schemas.js';
import { identityJson, issuanceJson } from './identity-json.js';
import { IdentityGateway } from './identity.gateway.js';

const MAX_QUANTITY = 5_000_000;
const CODE_CACHE = 'public, max-age=3600';
const PAGE_LIMIT = 1_000;
const DEFAULT_PAGE = 100;

/** `{ "quantity": 1 … 5,000,000 }`, nothing else. */
function quantityOf(body: unknown): number {
  const fields = body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
  const violations: FieldViolation[] = [];
  if (fields === undefined) violations.push({ field: '(body)', message: 'a JSON object { "quantity": n }' });
  else {
    const quantity = fields['quantity'];
    if (quantity === undefined) violations.push({ field: 'quantity', message: 'required: how many identities to issue' });
    else if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY) {
      violations.push({ field: 'quantity', message: `a whole number from 1 to ${MAX_QUANTITY}` });
    }
    for (const key of Object.keys(fields)) if (key !== 'quantity') violations.push({ field: key, message: 'not a field of this request' });
  }
  if (violations.length > 0) throw invalid('invalid-body', `invalid request body: ${violations.map((violation) => `${violation.field}: ${violation.message}`).join('; ')}`, violations);
  return (fields as { quantity: number }).quantity;
}

/** Optional `from_index` and `limit` (of a label sheet, of a page): non-negative whole numbers, `limit` at most `maxLimit`. */
function rangeOf(query: Record<string, unknown>, maxLimit = Number.MAX_SAFE_INTEGER): { fromIndex: number; limit: number } {
  const violations: FieldViolation[] = [];
  const number = (name: string) => {
    const value = query[name];
    if (value === undefined) return 0;
    if (typeof value !== 'string' || !/^\d{1,7}$/.test(value)) {
      violations.push({ field: name, message: 'a non-negative whole number, given once' });
      return 0;
    }
    return Number(value);
  };
  const range = { fromIndex: number('from_index'), limit: number('limit') };
  if (range.limit > maxLimit) violations.push({ field: 'limit', message: `at most ${maxLimit}` });
  for (const key of Object.keys(query)) if (key !== 'from_index' && key !== 'limit') violations.push({ field: key, message: 'not a parameter of this resource' });
  if (violations.length > 0) throw invalid('invalid-query', `invalid query: ${violations.map((violation) => `${violation.field}: ${violation.message}`).join('; ')}`, violations);
  return range;
}

const codeParams = { gtin: ['The GTIN, 14 digits.', z.string().regex(/^\d{14}$/)], serial: 'The serial (GS1 AI 21).' } as const;
const rangeQuery = (maxLimit: number | undefined) =>
  z.object({ from_index: z.number().int().min(0).optional(), limit: (maxLimit === undefined ? z.number().int().min(0) : z.number().int().min(0).max(maxLimit)).optional() });

function labelOf(identity: IdentityMessage): LabelContent {
  const { expiry } = parseDigitalLink(identity.digitalLink);
  return { uri: identity.digitalLink, gtin: identity.gtin, lot: identity.lotNumber, serial: identity.serial, ...(expiry === undefined ? {} : { expiry }) };
}

/**
 * Item identities: bulk issuance for a lot (a job with progress), each identity with its proof of
 * issuance, its QR code, and print-ready label sheets streamed from the database to the client.
 */
@ApiTags('Identities')
@Controller('v1')
export class IdentityController {
  private readonly logger = new Logger(IdentityController.name);

  constructor(private readonly identities: IdentityGateway) {}

  /** Queues the issuance; 202 with the job, which GET /v1/identity-issuances/{id} follows. */
  @Post('lots/:lotId/identities')
  @HttpCode(202)
  @ApiDoc({
    summary: "Issue identities for a lot's units",
    description: 'Queues a bulk issuance (up to 5,000,000): unguessable serials, one GS1 Digital Link per unit, and an anchored issuance record.',
    params: { lotId: "The lot's archive id." },
    body: { schema: z.strictObject({ quantity: z.number().int().min(1).max(MAX_QUANTITY).meta({ description: 'How many identities to issue.' }) }) },
    response: { status: 202, description: 'The issuance job, queued.', schema: Issuance, headers: { Location: 'The job: follow its progress there.' } },
    problems: [400, 404, 409],
  })
  async issue(@Param('lotId') lotId: string, @Body() body: unknown, @Res({ passthrough: true }) response: Response) {
    const job = await this.identities.startIssuance(lotId, quantityOf(body));
    response.location(`/v1/identity-issuances/${job.id}`);
    return issuanceJson(job);
  }

  @Get('lots/:lotId/identity-issuances')
  @ApiDoc({ summary: "A lot's issuances", params: { lotId: "The lot's archive id." }, response: { status: 200, description: 'The issuances, oldest first.', schema: IssuanceList }, problems: [404] })
  async list(@Param('lotId') lotId: string) {
    return { issuances: (await this.identities.listIssuances(lotId)).map(issuanceJson) };
  }

  @Get('identity-issuances/:id')
  @ApiDoc({ summary: 'An issuance and its progress', params: { id: 'The issuance id.' }, response: { status: 200, description: 'The issuance.', schema: Issuance }, problems: [404] })
  async get(@Param('id') id: string) {
    return issuanceJson(await this.identities.getIssuance(id));
  }

  /**
   * A page of the issuance's identities in index order, without their proofs: `from_index` (default
   * 0) and `limit` (1 to 1,000, default 100); `next_from_index` is null on the last page.
   */
  @Get('identity-issuances/:id/identities')
  @ApiDoc({
    summary: "A page of an issuance's identities",
    description: 'In index order, without their proofs.',
    params: { id: 'The issuance id.' },
    query: { schema: rangeQuery(PAGE_LIMIT), describe: { from_index: 'The first index (default 0).', limit: `Identities per page (default ${DEFAULT_PAGE}, at most ${PAGE_LIMIT}).` } },
    response: { status: 200, description: 'The page.', schema: IdentityPage },
    problems: [400, 404, 409],
  })
  async identitiesPage(@Param('id') id: string, @Query() query: Record<string, unknown>) {
    const { fromIndex, limit } = rangeOf(query, PAGE_LIMIT);
    const size = limit === 0 ? DEFAULT_PAGE : limit;
    // One more than asked: whether it comes tells whether there is a next page.
    const identities: IdentityMessage[] = [];
    for await (const batch of this.identities.streamIdentities({ issuanceId: id, fromIndex, limit: size + 1 })) identities.push(...batch);
    return { identities: identities.slice(0, size).map(identityJson), next_from_index: identities.length > size ? fromIndex + size : null };
  }

  /**
   * The issuance's labels as one PDF (A4, 24 per page), streamed: identities are read from the
   * data-service a batch at a time as the client downloads, never the whole lot at once.
   * `from_index` and `limit` print part of it.
   */
  @Get('identity-issuances/:id/labels.pdf')
  @ApiDoc({
    summary: "The issuance's label sheet",
    description: 'A4, 24 labels per page, each with its QR code; streamed as it is made. from_index and limit print part of it.',
    params: { id: 'The issuance id.' },
    query: { schema: rangeQuery(undefined), describe: { from_index: 'The first index (default 0).', limit: 'How many labels (default all).' } },
    response: { status: 200, description: 'The PDF.', contentType: 'application/pdf' },
    problems: [400, 404, 409],
  })
  async labels(@Param('id') id: string, @Query() query: Record<string, unknown>, @Res() response: Response): Promise<void> {
    const range = rangeOf(query);
    const batches = this.identities.streamIdentities({ issuanceId: id, ...range });
    const iterator = batches[Symbol.asyncIterator]();
    // The first batch, or the upstream's refusal, before any byte is sent: an unknown or unfinished
    // issuance answers problem+json, not a broken PDF.
    const first = await iterator.next();
    response.on('close', () => batches.cancel());
    async function* labels(): AsyncGenerator<LabelContent> {
      for (let next = first; next.done !== true; next = await iterator.next()) {
        for (const identity of next.value) yield labelOf(identity);
      }
    }
    const title = first.done === true ? undefined : `GTIN ${first.value[0]?.gtin ?? ''} lot ${first.value[0]?.lotNumber ?? ''}`;
    response.status(200).attachment(`labels-${id}${range.fromIndex > 0 || range.limit > 0 ? `-${range.fromIndex}` : ''}.pdf`).type('application/pdf');
    try {
      const sheet = await writeLabelSheet(labels(), response, title === undefined ? {} : { title });
      this.logger.log(`label sheet of issuance ${id}: ${sheet.labels} labels on ${sheet.pages} pages`);
    } catch (error) {
      // Headers are gone: the only way left to say "incomplete" is to cut the download short.
      this.logger.warn(`label sheet of issuance ${id} not completed: ${(error as Error).message}`);
      batches.cancel();
      response.destroy();
    }
  }

  /** The identity and its proof of issuance: 404 problem+json for a code that was never issued. */
  @Get('identities/:gtin/:serial')
  @ApiDoc({ summary: 'An identity and its proof of issuance', params: codeParams, response: { status: 200, description: 'The identity.', schema: Identity }, problems: [404] })
  async identity(@Param('gtin') gtin: string, @Param('serial') serial: string) {
    return identityJson(await this.identities.getIdentity(gtin, serial));
  }

  /** The identity's QR code (its Digital Link with GTIN, lot, serial and expiry), as SVG. */
  @Get('identities/:gtin/:serial/qr.svg')
  @ApiDoc({ summary: "The identity's QR code, as SVG", params: codeParams, response: { status: 200, description: 'Its GS1 Digital Link as a QR code.', contentType: 'image/svg+xml' }, problems: [404] })
  async qrSvg(@Param('gtin') gtin: string, @Param('serial') serial: string, @Res() response: Response): Promise<void> {
    const identity = await this.identities.getIdentity(gtin, serial);
    response.type('image/svg+xml').set('Cache-Control', CODE_CACHE).send(await qrSvg(qrFriendlyUri(identity.digitalLink)));
  }

  /** The same QR code as PNG (8 pixels per module). */
  @Get('identities/:gtin/:serial/qr.png')
  @ApiDoc({ summary: "The identity's QR code, as PNG", params: codeParams, response: { status: 200, description: 'Its GS1 Digital Link as a QR code, 8 pixels per module.', contentType: 'image/png' }, problems: [404] })
  async qrPng(@Param('gtin') gtin: string, @Param('serial') serial: string, @Res() response: Response): Promise<void> {
    const identity = await this.identities.getIdentity(gtin, serial);
    response.type('image/png').set('Cache-Control', CODE_CACHE).send(await qrPng(qrFriendlyUri(identity.digitalLink)));
  }
}
