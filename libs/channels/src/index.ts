export * from './sms/sms.provider';
export * from './wechat/wechat.module';
export * from './wechat/wechat-mp.client';
export * from './wechat/wecom.client';
export * from './wechat/wechat-message';
