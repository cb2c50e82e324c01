import { DomainException } from '@traceport/errors';

export const ProductErrorCode = {
  invalidProduct: 'invalid-product',
  gtinTaken: 'gtin-already-registered',
  notFound: 'product-not-found',
} as const;

export const productNotFound = (key: string) =>
  new DomainException(ProductErrorCode.notFound, 'not_found', `no product with ${key}`);

export const gtinTaken = (gtin: string) =>
  new DomainException(ProductErrorCode.gtinTaken, 'conflict', `GTIN ${gtin} is already registered`);
