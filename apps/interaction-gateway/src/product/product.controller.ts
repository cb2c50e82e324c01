import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { proofJsonOf } from '../proof/proof.gateway.js';
import { ProductGateway } from './product.gateway.js';

/** REST for the archive's products. */
@Controller('v1/products')
export class ProductController {
  constructor(private readonly products: ProductGateway) {}

  @Post()
  @HttpCode(201)
  async register(@Body() body: unknown, @Res({ passthrough: true }) response: Response) {
    const created = await this.products.register(body ?? {});
    response.location(`/v1/products/${created.product.id}`);
    return { type: 'archive.product', record: created.product, record_key: created.recordKey };
  }

  /** The product with this GTIN, as anchored, with its proof. */
  @Get('gtin/:gtin')
  async getByGtin(@Param('gtin') gtin: string) {
    return this.view(await this.products.get({ gtin }));
  }

  /** The product as anchored, with its proof (null until the ledger has appended it). */
  @Get(':id')
  async get(@Param('id') id: string) {
    return this.view(await this.products.get({ id }));
  }

  private view(found: Awaited<ReturnType<ProductGateway['get']>>) {
    return {
      type: 'archive.product',
      record: found.product,
      record_key: found.recordKey,
      proof: found.proof === null ? null : proofJsonOf(found.proof),
    };
  }
}
