import { CreateProductProfiles1764115400000 } from './1764115400000-create-product-profiles.js';

/** In order of application. */
export const DECISION_ENGINE_MIGRATIONS = [CreateProductProfiles1764115400000];
