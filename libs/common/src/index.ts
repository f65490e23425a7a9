export * from './config';
export * from './errors';
export * from './time';
export * from './phone';
export * from './pagination';
export * from './roles';
export * from './jobs';
export * from './redis';
export * from './http';
export * from './principal';
export * from './password.service';
export * from './realtime';
export * from './anonymous-seal.service';

export * from './password-policy';
export * from './privacy-notice';
export * from './decimal';
export * from './spreadsheet';
