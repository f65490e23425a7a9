/**
 * Outbound SMS. Chinese carriers only deliver pre-approved templates: every message is a
 * template id plus named parameters, never free text. Providers (development outbox, Aliyun,
 * Tencent Cloud) are chosen by configuration and share this interface.
 */
export const SMS_TEMPLATES = [
  /** a sign-in / activation code: params {code, minutes} */
  'login_code',
  /** a password-reset code: params {code, minutes} */
  'reset_code',
  /** a notice staff marked urgent: params {school, title} */
  'notice_urgent',
  /** a notice still unconfirmed (回执) after the configured time: params {school, title} */
  'notice_unconfirmed',
  /** a lecture starts soon: params {title, time} */
  'lecture_reminder',
  /** course hours not yet complete (提醒未完成): params {student, earned, required} */
  'hours_reminder',
] as const;
export type SmsTemplate = (typeof SMS_TEMPLATES)[number];

export interface SmsMessage {
  phone: string;
  template: SmsTemplate;
  params: Record<string, string>;
}

export interface SmsSendResult {
  ok: boolean;
  /** the vendor's id of the accepted message (BizId, SerialNo) */
  providerMessageId?: string;
  /** the vendor's error code and text when not ok */
  error?: string;
  /** false when retrying cannot help (a refused template, an invalid number) */
  retryable?: boolean;
}

export interface SmsProvider {
  readonly name: 'dev' | 'aliyun' | 'tencent';
  send(message: SmsMessage): Promise<SmsSendResult>;
}

export const SMS_PROVIDER = Symbol('SMS_PROVIDER');
