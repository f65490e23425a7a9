export * from './identity';
export * from './directory';
export * from './imports';
