import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import { SUBSCRIPTION_LOGGER, SubscriptionMatcherConsumer } from './subscription-matcher.consumer.js';
import { SubscriptionGrpcController } from './subscription.grpc.controller.js';
import { SubscriptionService } from './subscription.service.js';
import { WEBHOOK_LOGGER, WEBHOOK_SETTINGS, WebhookDeliveryWorker, type WebhookSettings } from './webhook-delivery.worker.js';

/** EPCIS 2.0 query subscriptions with webhook delivery (traceport.v1.EpcisSubscriptionService). */
@Module({})
export class SubscriptionModule {
  static forRoot(options: { logger: Logger; webhooks: WebhookSettings }): DynamicModule {
    return {
      module: SubscriptionModule,
      controllers: [SubscriptionGrpcController],
      providers: [
        { provide: SUBSCRIPTION_LOGGER, useValue: options.logger },
        { provide: WEBHOOK_LOGGER, useValue: options.logger.child({ component: 'webhooks' }) },
        { provide: WEBHOOK_SETTINGS, useValue: options.webhooks },
        WebhookDeliveryWorker,
        SubscriptionService,
        SubscriptionMatcherConsumer,
      ],
    };
  }
}
