export * from './identity';
export * from './directory';
export * from './imports';
export * from './files';
export * from './messaging';
export * from './notifications';
export * from './courses';
export * from './committees';
export * from './campaigns';
export * from './model-schools';
export * from './counselling';
export * from './mailbox';
export * from './school-notices';

export * from './channels';
export * from './joining';
export * from './outbox';
