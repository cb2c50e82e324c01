import { CreateAccess1764800000000 } from './1764800000000-create-access.js';

/** In order of application. */
export const GATEWAY_MIGRATIONS = [CreateAccess1764800000000];
