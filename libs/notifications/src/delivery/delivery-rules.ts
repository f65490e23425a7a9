import type { SmsTemplate } from '@jiaxiao/channels';

/** Which WeChat template (by purpose) a kind of notification goes out with. */
export type WechatPurpose = 'notice' | 'lecture' | 'hours';

export interface DeliveryRoute {
  wechat?: WechatPurpose;
  sms?: SmsTemplate;
  /** SMS even when WeChat took it: urgent notices and 回执 still unconfirmed */
  mustArrive: boolean;
  /** ignores quiet hours */
  urgent: boolean;
}

/**
 * The routing table. In-app (socket and inbox) always; WeChat when the user is bound and the
 * purpose has a template; SMS when the message must arrive, or as the fallback when WeChat
 * refused or failed and the kind has an SMS template. Kinds not named here stay in-app.
 */
export function routeOf(kind: string, data: Record<string, unknown>): DeliveryRoute {
  const urgent = data.urgent === true;
  switch (kind) {
    case 'notice.new':
    case 'school_notice.new':
      return { wechat: 'notice', sms: urgent ? 'notice_urgent' : undefined, mustArrive: urgent, urgent };
    case 'notice.remind':
    case 'school_notice.remind':
      return { wechat: 'notice', sms: 'notice_unconfirmed', mustArrive: urgent, urgent };
    case 'notice.unconfirmed':
      return { wechat: 'notice', sms: 'notice_unconfirmed', mustArrive: true, urgent };
    case 'lecture.remind':
      return { wechat: 'lecture', sms: 'lecture_reminder', mustArrive: false, urgent: false };
    case 'lecture.moved':
    case 'lecture.cancelled':
    case 'lecture.promoted':
      return { wechat: 'lecture', mustArrive: false, urgent: false };
    case 'course.remind':
      return { wechat: 'hours', sms: 'hours_reminder', mustArrive: false, urgent: false };
    default:
      return { mustArrive: false, urgent: false };
  }
}
