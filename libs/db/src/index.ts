export * from './client';
export * from './tokens';
export * from './errors';
export * as schema from './schema';
export * from './schema';
export * from './prepared';
