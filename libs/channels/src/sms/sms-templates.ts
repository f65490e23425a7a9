import { SMS_TEMPLATES, SmsTemplate } from './sms.provider';

/**
 * Parses SMS_TEMPLATE_IDS (`login_code:SMS_1234,reset_code:SMS_5678`) into the vendor's
 * template id of each message kind. An unknown kind is a configuration error at start-up.
 */
export function parseTemplateIds(value: string | undefined): Partial<Record<SmsTemplate, string>> {
  const ids: Partial<Record<SmsTemplate, string>> = {};
  for (const pair of (value ?? '').split(',').filter(Boolean)) {
    const [name, id] = pair.split(':');
    if (!(SMS_TEMPLATES as readonly string[]).includes(name)) {
      throw new Error(`Invalid configuration: SMS_TEMPLATE_IDS names an unknown template "${name}" (known: ${SMS_TEMPLATES.join(', ')})`);
    }
    ids[name as SmsTemplate] = id;
  }
  return ids;
}

/**
 * The order of each template's parameters. Tencent Cloud templates take positional
 * parameters ({1}, {2}, …): the approved template text must use them in this order.
 */
export const TEMPLATE_PARAM_ORDER: Record<SmsTemplate, string[]> = {
  login_code: ['code', 'minutes'],
  reset_code: ['code', 'minutes'],
  notice_urgent: ['school', 'title'],
  notice_unconfirmed: ['school', 'title'],
  lecture_reminder: ['title', 'time'],
  hours_reminder: ['student', 'earned', 'required'],
};

/** Splits an endpoint setting into protocol and host: `http://127.0.0.1:9000` → http, 127.0.0.1:9000. */
export function splitEndpoint(endpoint: string): { protocol: 'http' | 'https'; host: string } {
  const match = /^(https?):\/\/(.+)$/.exec(endpoint);
  return match ? { protocol: match[1] as 'http' | 'https', host: match[2] } : { protocol: 'https', host: endpoint };
}
