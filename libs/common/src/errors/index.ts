export * from './error-codes';
export * from './language';
export * from './domain.error';
export * from './validation-messages';
