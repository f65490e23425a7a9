export const REDIS = Symbol('REDIS');
export const LOGGER = Symbol('LOGGER');
export const DATABASE_HANDLE = Symbol('DATABASE_HANDLE');
export const APP_NAME = Symbol('APP_NAME');
