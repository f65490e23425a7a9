export * from './identity';
export * from './directory';
export * from './imports';
export * from './messaging';
export * from './notifications';
export * from './courses';
