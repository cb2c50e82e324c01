import { CreateArchiveProducts1764115200000 } from './1764115200000-create-archive-products.js';

/** In order of application. */
export const DATA_SERVICE_MIGRATIONS = [CreateArchiveProducts1764115200000];
