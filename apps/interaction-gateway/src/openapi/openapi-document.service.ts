import { Injectable, type INestApplication } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import { DomainException } from '@traceport/errors';
import { createOpenApiDocument } from './openapi-document.js';

/**
 * Holds the gateway's OpenAPI document. It is made from the application's own routes, so main.ts
 * publishes it once the application is up (before that, no request is taken anyway).
 */
@Injectable()
export class OpenApiDocumentService {
  private document: OpenAPIObject | undefined;

  publish(app: INestApplication): void {
    this.document = createOpenApiDocument(app);
  }

  get(): OpenAPIObject {
    if (this.document === undefined) throw new DomainException('starting', 'unavailable', 'the API documentation is being prepared; retry in a moment');
    return this.document;
  }
}
