export const ENGINE_LOGGER = Symbol('ENGINE_LOGGER');
