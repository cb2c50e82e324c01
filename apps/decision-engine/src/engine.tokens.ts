export const ENGINE_LOGGER = Symbol('ENGINE_LOGGER');
export const ENGINE_CONFIG = Symbol('ENGINE_CONFIG');
