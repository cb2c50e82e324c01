import { Controller, Get, Param } from '@nestjs/common';
import { proofJsonOf } from '../proof/proof.gateway.js';
import { ProductGateway } from './product.gateway.js';

/** Products by their natural key; the rest of /v1/products is the archive's (ArchiveController). */
@Controller('v1/products')
export class ProductController {
  constructor(private readonly products: ProductGateway) {}

  /** The product with this GTIN (8, 12, 13 or 14 digits), as anchored, with its proof. */
  @Get('gtin/:gtin')
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
