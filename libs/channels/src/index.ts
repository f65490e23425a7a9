export * from './sms/sms.provider';
