import { Controller, Get, Param } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ApiDoc } from '../openapi/api-doc.decorator.js';
import { ProductByGtin } from '../openapi/schemas/archive.schemas.js';
import { proofJsonOf } from '../proof/proof.gateway.js';
import { ProductGateway } from './product.gateway.js';

/** Products by their natural key; the rest of /v1/products is the archive's (ArchiveController). */
@ApiTags('Products')
@Controller('v1/products')
export class ProductController {
  constructor(private readonly products: ProductGateway) {}

  /** The product with this GTIN (8, 12, 13 or 14 digits), as anchored, with its proof. */
  @Get('gtin/:gtin')
  @ApiDoc({
    summary: 'The product with this GTIN, with its proof',
    params: { gtin: ['The GTIN: 8, 12, 13 or 14 digits.', z.string().regex(/^(\d{8}|\d{12,14})$/)] },
    response: { status: 200, description: 'The current product record.', schema: ProductByGtin },
    problems: [400, 404],
  })
  async getByGtin(@Param('gtin') gtin: string) {
    const found = await this.products.get({ gtin });
    return {
      type: 'archive.product',
      record: found.product,
      record_key: found.recordKey,
      proof: found.proof === null ? null : proofJsonOf(found.proof),
    };
  }
}
