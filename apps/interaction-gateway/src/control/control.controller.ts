import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { principalOf } from '../access/principal.js';
import { parseBody, parseQuery } from '../decision/decision-request.js';
import { ApiDoc } from '../openapi/api-doc.decorator.js';
import { ControlGateway } from './control.gateway.js';
import { holdJson, recallJson } from './control.json.js';
import { Hold, HoldPage, holdsQuery, liftBody, Recall, recallBody, RecallPage, recallsQuery } from './control.schemas.js';

const ACTOR_HEADER = { name: 'X-Traceport-Actor', description: 'Who acts, for the record, when the call carries no API key of a named organisation.' };

/** Who acts: the organisation of the API key, else the X-Traceport-Actor header, else "operations". */
function actorOf(request: Request, stated: string | undefined): string {
  const principal = principalOf(request);
  if (principal !== null) return `${principal.organisation.name} (key ${principal.keyPrefix})`;
  return stated?.trim() || 'operations';
}

/** Holds and recalls (REST); the same through gRPC is ControlGrpcController. See docs/product-control.md. */
@ApiTags('Product control')
@Controller('v1')
export class ControlController {
  constructor(private readonly control: ControlGateway) {}

  @Get('holds')
  @ApiDoc({
    summary: 'Holds on lots, newest first',
    description: 'A lot is held when it fails inspection, when its factory loses a certification (expired or revoked), or by a recall; a held lot cannot be released until the hold is lifted.',
    query: { schema: holdsQuery, describe: { status: 'open or lifted (both when absent).', lot_id: 'Only the holds of this archive lot.', page_size: '1 to 500 (50 by default).', page_token: 'nextPageToken of the previous page.' } },
    response: { status: 200, description: 'One page of holds.', schema: HoldPage },
    problems: [400],
  })
  async holds(@Query() query: unknown) {
    const parsed = parseQuery(holdsQuery, query);
    const page = await this.control.listHolds({ status: parsed.status ?? '', lotId: parsed.lot_id ?? '', pageSize: parsed.page_size ?? 0, pageToken: parsed.page_token ?? '' });
    return { items: page.items.map(holdJson), nextPageToken: page.nextPageToken === '' ? null : page.nextPageToken };
  }

  @Get('holds/:id')
  @ApiDoc({ summary: 'A hold', params: { id: 'The hold id.' }, response: { status: 200, description: 'The hold, as its latest anchored version.', schema: Hold }, problems: [404] })
  async hold(@Param('id') id: string) {
    return holdJson(await this.control.getHold(id));
  }

  @Post('holds/:id/lift')
  @HttpCode(200)
  @ApiDoc({
    summary: 'Lift a hold',
    description: 'Recorded (who, when, why) as a new anchored version of the hold and an EPCIS event on the lot (disposition in_progress); the decision engine then gives the lot back the outcome its inspection decided.',
    params: { id: 'The hold id.' },
    headers: [ACTOR_HEADER],
    body: { schema: liftBody },
    response: { status: 200, description: 'The lifted hold.', schema: Hold },
    problems: [400, 404, 409],
  })
  async lift(@Param('id') id: string, @Body() body: unknown, @Req() request: Request, @Headers('x-traceport-actor') actor: string | undefined) {
    const { reason } = parseBody(liftBody, body);
    return holdJson(await this.control.liftHold({ id, reason, actor: actorOf(request, actor) }));
  }

  @Post('recalls')
  @HttpCode(201)
  @ApiDoc({
    summary: 'Recall a factory, a product, lots or a production window',
    description:
      'Finds the affected lots, items and containers by trace forward; holds every affected lot not yet shipped out of the warehouse; flags every affected item (its scan page shows the recall); records an EPCIS event (disposition recalled) that query subscriptions deliver; anchors the recall.',
    headers: [ACTOR_HEADER],
    body: { schema: recallBody },
    response: { status: 201, description: 'The recall with what it affected.', schema: Recall, headers: { Location: 'The recall.' } },
    problems: [400, 404],
  })
  async recall(@Body() body: unknown, @Req() request: Request, @Headers('x-traceport-actor') actor: string | undefined, @Res({ passthrough: true }) response: Response) {
    const { scope, reason } = parseBody(recallBody, body);
    const recall = await this.control.createRecall({
      scope: { factoryId: scope.factory_id ?? '', productId: scope.product_id ?? '', gtin: scope.gtin ?? '', lots: scope.lots ?? [], from: scope.from ?? '', to: scope.to ?? '' },
      reason,
      actor: actorOf(request, actor),
    });
    response.location(`/v1/recalls/${recall.id}`);
    return recallJson(recall);
  }

  @Get('recalls')
  @ApiDoc({
    summary: 'Recalls, newest first',
    query: { schema: recallsQuery, describe: { page_size: '1 to 500 (50 by default).', page_token: 'nextPageToken of the previous page.' } },
    response: { status: 200, description: 'One page of recalls.', schema: RecallPage },
    problems: [400],
  })
  async recalls(@Query() query: unknown) {
    const parsed = parseQuery(recallsQuery, query);
    const page = await this.control.listRecalls({ pageSize: parsed.page_size ?? 0, pageToken: parsed.page_token ?? '' });
    return { items: page.items.map(recallJson), nextPageToken: page.nextPageToken === '' ? null : page.nextPageToken };
  }

  @Get('recalls/:id')
  @ApiDoc({ summary: 'A recall', params: { id: 'The recall id.' }, response: { status: 200, description: 'The recall with what it affected.', schema: Recall }, problems: [404] })
  async getRecall(@Param('id') id: string) {
    return recallJson(await this.control.getRecall(id));
  }
}
