import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { ProductService, type ProductView } from './product.service.js';

interface ProductMessage {
  id: string;
  version: number;
  gtin: string;
  name: string;
  brand: string;
  category: string;
  hsCode: string;
  originCountry: string;
  registeredAt: string;
}

function toMessage(view: ProductView): { product: ProductMessage; recordKey: string } {
  return { product: view.record, recordKey: view.recordKey };
}

/** traceport.v1.ArchiveService, as the gateway (and only the gateway) calls it. */
@Controller()
export class ProductGrpcController {
  constructor(private readonly products: ProductService) {}

  @GrpcMethod('ArchiveService', 'RegisterProduct')
  async registerProduct(request: unknown) {
    return toMessage(await this.products.register(request));
  }

  @GrpcMethod('ArchiveService', 'GetProduct')
  async getProduct(request: { id?: string; gtin?: string; key?: 'id' | 'gtin' }) {
    if (request.key === 'gtin') return toMessage(await this.products.getByGtin(request.gtin ?? ''));
    return toMessage(await this.products.get(request.id ?? ''));
  }
}
