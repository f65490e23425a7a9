export * from './sms/sms.provider';
export * from './sms/sms-templates';
export * from './sms/dev-outbox.service';
export * from './sms/dev-outbox.repository';
export * from './channels.module';
export * from './sms/sms-delivery.service';
