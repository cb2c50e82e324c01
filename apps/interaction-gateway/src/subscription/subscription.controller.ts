import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { EPCIS_VERSION, type DeliveryMessage, type NamedQueryMessage, type SubscriptionMessage } from '@traceport/contracts';
import type { Response } from 'express';
import { parseBody, parseQuery } from '../decision/decision-request.js';
import { ApiDoc } from '../openapi/api-doc.decorator.js';
import { SubscriptionGateway } from './subscription.gateway.js';
import { NamedQuery, namedQueryBody, Notification, NotificationPage, notificationsQuery, QuerySubscription, subscriptionBody } from './subscription.schemas.js';

const orNull = (value: string) => (value === '' ? null : value);

function namedQueryJson(query: NamedQueryMessage) {
  const grouped: Record<string, string[]> = {};
  for (const parameter of query.parameters) (grouped[parameter.name] ??= []).push(parameter.value);
  return { name: query.name, query: grouped, createdAt: query.createdAt };
}

function subscriptionJson(subscription: SubscriptionMessage) {
  return {
    subscriptionID: subscription.subscriptionId,
    queryName: subscription.queryName,
    dest: subscription.dest,
    stream: subscription.stream,
    reportIfEmpty: subscription.reportIfEmpty,
    createdAt: subscription.createdAt,
    lastNotifiedAt: orNull(subscription.lastNotifiedAt),
    signed: subscription.signed,
  };
}

export function notificationJson(delivery: DeliveryMessage) {
  return {
    id: delivery.id,
    subscriptionID: delivery.subscriptionId,
    queryName: delivery.queryName,
    dest: delivery.dest,
    eventIDs: delivery.eventIds,
    status: delivery.status,
    attempts: delivery.attempts,
    createdAt: delivery.createdAt,
    nextAttemptAt: orNull(delivery.nextAttemptAt),
    deliveredAt: orNull(delivery.deliveredAt),
    lastError: orNull(delivery.lastError),
  };
}

const QUERY_NAME = { queryName: 'The named query.' };

/**
 * The EPCIS 2.0 binding's named queries and their query subscriptions (mounted at /epcis/queries):
 * each event captured later that matches a subscribed query is POSTed to the subscription's dest
 * as an EPCISQueryDocument, signed in GS1-Signature (docs/product-control.md).
 */
@ApiTags('EPCIS 2.0')
@Controller('epcis/queries')
export class EpcisQueryController {
  constructor(private readonly subscriptions: SubscriptionGateway) {}

  @Post()
  @HttpCode(201)
  @ApiDoc({
    summary: 'Create a named query',
    body: { schema: namedQueryBody },
    response: { status: 201, description: 'The named query.', schema: NamedQuery, headers: { Location: 'The query.' } },
    problems: [400, 409],
  })
  async create(@Body() body: unknown, @Res({ passthrough: true }) response: Response) {
    const { name, query } = parseBody(namedQueryBody, body);
    const parameters = Object.entries(query).flatMap(([parameter, value]) => (Array.isArray(value) ? value : [value]).map((item) => ({ name: parameter, value: item })));
    const created = await this.subscriptions.createQuery({ name, parameters });
    response.setHeader('GS1-EPCIS-Version', EPCIS_VERSION);
    response.location(`/epcis/queries/${encodeURIComponent(created.name)}`);
    return namedQueryJson(created);
  }

  @Get()
  @ApiDoc({ summary: 'The named queries', response: { status: 200, description: 'Every named query.', schema: NamedQuery.array() } })
  async list() {
    return (await this.subscriptions.listQueries()).queries.map(namedQueryJson);
  }

  @Get(':queryName')
  @ApiDoc({ summary: 'A named query', params: QUERY_NAME, response: { status: 200, description: 'The query.', schema: NamedQuery }, problems: [404] })
  async get(@Param('queryName') queryName: string) {
    return namedQueryJson(await this.subscriptions.getQuery(queryName));
  }

  @Delete(':queryName')
  @HttpCode(204)
  @ApiDoc({ summary: 'Delete a named query and its subscriptions', params: QUERY_NAME, response: { status: 204, description: 'Deleted.' }, problems: [404] })
  async delete(@Param('queryName') queryName: string): Promise<void> {
    await this.subscriptions.deleteQuery(queryName);
  }

  @Post(':queryName/subscriptions')
  @HttpCode(201)
  @ApiDoc({
    summary: 'Subscribe a webhook to a named query',
    description:
      'stream must be true: every event captured from now on that matches the query is POSTed to dest as an EPCISQueryDocument (queryResults with queryName and subscriptionID), with GS1-Signature: sha256=<hex HMAC-SHA256 of the body keyed with signatureToken>. A failed delivery (no 2xx) is retried with exponential backoff, then kept as a dead letter (GET /v1/notifications?status=dead).',
    params: QUERY_NAME,
    body: { schema: subscriptionBody },
    response: { status: 201, description: 'The subscription (without its token).', schema: QuerySubscription, headers: { Location: 'The subscription, to unsubscribe with DELETE.' } },
    problems: [400, 404],
  })
  async subscribe(@Param('queryName') queryName: string, @Body() body: unknown, @Res({ passthrough: true }) response: Response) {
    const fields = parseBody(subscriptionBody, body);
    const subscription = await this.subscriptions.createSubscription({
      queryName,
      dest: fields.dest,
      signatureToken: fields.signatureToken ?? '',
      stream: fields.stream === true,
      reportIfEmpty: fields.reportIfEmpty === true,
    });
    response.location(`/epcis/queries/${encodeURIComponent(queryName)}/subscriptions/${subscription.subscriptionId}`);
    return subscriptionJson(subscription);
  }

  @Get(':queryName/subscriptions')
  @ApiDoc({ summary: "A named query's subscriptions", params: QUERY_NAME, response: { status: 200, description: 'Its active subscriptions.', schema: QuerySubscription.array() }, problems: [404] })
  async subscriptionsOf(@Param('queryName') queryName: string) {
    return (await this.subscriptions.listSubscriptions(queryName)).subscriptions.map(subscriptionJson);
  }

  @Get(':queryName/subscriptions/:subscriptionId')
  @ApiDoc({ summary: 'A subscription', params: { ...QUERY_NAME, subscriptionId: 'The subscription.' }, response: { status: 200, description: 'The subscription.', schema: QuerySubscription }, problems: [404] })
  async subscription(@Param('queryName') queryName: string, @Param('subscriptionId') subscriptionId: string) {
    return subscriptionJson(await this.subscriptions.getSubscription({ queryName, subscriptionId }));
  }

  @Delete(':queryName/subscriptions/:subscriptionId')
  @HttpCode(204)
  @ApiDoc({ summary: 'Unsubscribe', params: { ...QUERY_NAME, subscriptionId: 'The subscription.' }, response: { status: 204, description: 'Unsubscribed; its pending notifications are dropped.' }, problems: [404] })
  async unsubscribe(@Param('queryName') queryName: string, @Param('subscriptionId') subscriptionId: string): Promise<void> {
    await this.subscriptions.deleteSubscription({ queryName, subscriptionId });
  }
}

/** Webhook notifications and their dead letters (Traceport's own, beside the EPCIS binding). */
@ApiTags('EPCIS 2.0')
@Controller('v1/notifications')
export class NotificationController {
  constructor(private readonly subscriptions: SubscriptionGateway) {}

  @Get()
  @ApiDoc({
    summary: 'Webhook notifications, newest first',
    description: 'status=dead is the dead-letter list: notifications every attempt of which failed.',
    query: { schema: notificationsQuery, describe: { status: 'pending, delivered or dead.', subscription_id: 'Only this subscription’s.', page_size: '1 to 500 (50 by default).', page_token: 'nextPageToken of the previous page.' } },
    response: { status: 200, description: 'One page of notifications.', schema: NotificationPage },
    problems: [400],
  })
  async list(@Query() query: unknown) {
    const parsed = parseQuery(notificationsQuery, query);
    const page = await this.subscriptions.listDeliveries({ status: parsed.status ?? '', subscriptionId: parsed.subscription_id ?? '', pageSize: parsed.page_size ?? 0, pageToken: parsed.page_token ?? '' });
    return { items: page.deliveries.map(notificationJson), nextPageToken: orNull(page.nextPageToken) };
  }

  @Post(':id/redrive')
  @HttpCode(200)
  @ApiDoc({
    summary: 'Re-drive a dead letter',
    description: 'Back in the queue, attempted now with a fresh retry schedule. 409 when the notification is not dead.',
    params: { id: 'The notification.' },
    response: { status: 200, description: 'The notification, pending again.', schema: Notification },
    problems: [404, 409],
  })
  async redrive(@Param('id') id: string) {
    return notificationJson(await this.subscriptions.redrive(id));
  }
}
