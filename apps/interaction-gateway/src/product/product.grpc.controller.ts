import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { ProductGateway } from './product.gateway.js';

/** The public traceport.v1.ArchiveService for the supply-chain middle platform. */
@Controller()
export class ProductGrpcController {
  constructor(private readonly products: ProductGateway) {}

  @GrpcMethod('ArchiveService', 'RegisterProduct')
  registerProduct(request: unknown, _metadata: Metadata, call: ServerUnaryCall<unknown, unknown>) {
    return this.products.register(request, call);
  }

  @GrpcMethod('ArchiveService', 'GetProduct')
  getProduct(request: { id?: string; gtin?: string; key?: 'id' | 'gtin' }, _metadata: Metadata, call: ServerUnaryCall<unknown, unknown>) {
    return this.products.get(request.key === 'gtin' ? { gtin: request.gtin ?? '' } : { id: request.id ?? '' }, call);
  }
}
