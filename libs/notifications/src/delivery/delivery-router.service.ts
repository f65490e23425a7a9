import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import { WechatTargets, WechatIdentityService } from '@jiaxiao/auth';
import { SMS_PROVIDER, SmsProvider, SmsTemplate, WechatMpClient, WechatSendResult, WecomClient } from '@jiaxiao/channels';
import { AppConfig, enqueue, formatShanghai, QUEUES } from '@jiaxiao/common';
import { notifications } from '@jiaxiao/db';
import { LOGGER } from '@jiaxiao/platform';
import { NotificationsRepository } from '../notifications.repository';
import { parseQuietWindow, QuietWindow, quietUntil } from '../quiet-hours';
import { DeliveryRepository, DeliveryRow } from './delivery.repository';
import { DeliveryRoute, routeOf, WechatPurpose } from './delivery-rules';
import { SmsBudgetService } from './sms-budget.service';

type NotificationRow = typeof notifications.$inferSelect;
type School = { id: string; name: string } | undefined;

/** SMS tries per notification before it is recorded as failed for good. */
export const SMS_MAX_ATTEMPTS = 5;
const RETRY_BASE_MS = 2000;

/**
 * The one delivery router (runs in the worker). In-app delivery happened when the push was
 * made; this decides the outside channels of one notification: WeChat (公众号 template message,
 * or WeCom for schools that use it) when the user is bound and the purpose has a template,
 * SMS when it must arrive or WeChat refused or failed. Each channel's outcome is a delivery
 * row, so a re-run (a retry, a held push coming due) only does what is not done yet.
 */
@Injectable()
export class DeliveryRouter {
  private readonly quiet: QuietWindow;

  constructor(
    private readonly config: AppConfig,
    private readonly notifications: NotificationsRepository,
    private readonly deliveries: DeliveryRepository,
    private readonly budget: SmsBudgetService,
    private readonly identities: WechatIdentityService,
    private readonly mp: WechatMpClient,
    private readonly wecom: WecomClient,
    @InjectQueue(QUEUES.notifications) private readonly queue: Queue,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(SMS_PROVIDER) private readonly sms: SmsProvider,
  ) {
    this.quiet = parseQuietWindow(config.FAMILY_QUIET_HOURS);
  }

  async route(notificationId: string, now = new Date()): Promise<void> {
    const row = await this.notifications.byId(notificationId);
    if (!row) return;
    const route = routeOf(row.kind, row.data);
    if (!route.wechat && !route.sms) return;
    const done = await this.deliveries.of(row.id);
    const pending = (channel: 'wechat' | 'sms') => !done.has(channel) || done.get(channel)!.status === 'queued';
    const targets = route.wechat ? ((await this.identities.targets([row.userId])).get(row.userId) ?? {}) : {};
    const school = await this.schoolFor(row);
    const useWecom = Boolean(targets.wecomUserId) && this.wecom.servesSchool(school?.id);
    const wechatReachable = route.wechat !== undefined && (useWecom || (Boolean(targets.openid) && this.mp.enabled));

    if (!route.urgent) {
      const until = quietUntil(now, this.quiet);
      if (until.getTime() > now.getTime()) {
        const held = `quiet hours until ${formatShanghai(until)}`;
        if (wechatReachable && pending('wechat'))
          await this.deliveries.record({
            notificationId: row.id,
            channel: 'wechat',
            provider: useWecom ? 'wecom' : 'wechat_mp',
            status: 'queued',
            detail: held,
          });
        if (route.sms && route.mustArrive && pending('sms'))
          await this.deliveries.record({ notificationId: row.id, channel: 'sms', provider: this.sms.name, status: 'queued', detail: held });
        await this.later(row.id, until.getTime() - now.getTime(), `q${until.getTime()}`);
        return;
      }
    }

    let wechat = done.get('wechat')?.status;
    if (wechatReachable && pending('wechat')) wechat = await this.viaWechat(row, route.wechat!, targets, useWecom, school);
    const fallback = wechat === 'refused' || wechat === 'failed';
    if (route.sms && (route.mustArrive || fallback) && pending('sms')) await this.viaSms(row, route, school, done.get('sms'));
  }

  private async viaWechat(row: NotificationRow, purpose: WechatPurpose, targets: WechatTargets, useWecom: boolean, school: School) {
    const provider = useWecom ? 'wecom' : 'wechat_mp';
    const templateId = this.templateOf(purpose);
    if (!useWecom && !templateId) {
      await this.deliveries.record({
        notificationId: row.id,
        channel: 'wechat',
        provider,
        status: 'skipped',
        detail: `no template for ${purpose}`,
      });
      return 'skipped' as const;
    }
    let result: WechatSendResult;
    if (useWecom) {
      result = await this.wecom.send(targets.wecomUserId!, `${row.title}\n${row.body}`.slice(0, 2000));
    } else {
      result = await this.mp.send({
        openid: targets.openid!,
        templateId: templateId!,
        fields: {
          first: row.title,
          keyword1: school?.name ?? '家校共育',
          keyword2: formatShanghai(row.createdAt),
          remark: row.body.slice(0, 100),
        },
      });
    }
    const detail = result.status === 'sent' ? (result.messageId ?? null) : result.error;
    await this.deliveries.record({ notificationId: row.id, channel: 'wechat', provider, status: result.status, detail, attempted: true });
    return result.status;
  }

  private async viaSms(row: NotificationRow, route: DeliveryRoute, school: School, previous: DeliveryRow | undefined): Promise<void> {
    const base = { notificationId: row.id, channel: 'sms' as const, provider: this.sms.name, schoolId: school?.id ?? null };
    const phone = await this.notifications.phoneOf(row.userId);
    if (!phone) {
      await this.deliveries.record({ ...base, status: 'skipped', detail: 'no phone number' });
      return;
    }
    if (school && !(await this.budget.reserve(school.id))) {
      await this.deliveries.record({ ...base, status: 'skipped', detail: 'SMS budget of the month is spent' });
      return;
    }
    let ok = false;
    let error = '';
    let retryable = true;
    try {
      const result = await this.sms.send({ phone, template: route.sms!, params: this.smsParams(route.sms!, row, school) });
      ok = result.ok;
      error = result.ok ? (result.providerMessageId ?? '') : (result.error ?? 'rejected');
      retryable = result.retryable !== false;
    } catch (caught) {
      error = (caught as Error).message;
    }
    if (ok) {
      await this.deliveries.record({ ...base, status: 'sent', detail: error || null, attempted: true });
      return;
    }
    if (school) await this.budget.release(school.id);
    const attempts = (previous?.attempts ?? 0) + 1;
    const again = retryable && attempts < SMS_MAX_ATTEMPTS;
    await this.deliveries.record({ ...base, status: again ? 'queued' : 'failed', detail: error, attempted: true });
    this.logger.warn({ notificationId: row.id, attempts, error }, again ? 'SMS failed, will retry' : 'SMS failed for good');
    if (again) await this.later(row.id, RETRY_BASE_MS * 2 ** (attempts - 1), `r${attempts}`);
  }

  /** Runs the router again for this notification after `delay` ms (a retry, or the end of quiet hours). */
  private async later(notificationId: string, delay: number, tag: string): Promise<void> {
    await enqueue(this.queue, 'notification.deliver', { notificationId }, { jobId: `deliver-${notificationId}-${tag}`, delay });
  }

  private async schoolFor(row: NotificationRow): Promise<School> {
    const named = typeof row.data.schoolId === 'string' ? await this.deliveries.school(row.data.schoolId) : undefined;
    return named ?? this.deliveries.schoolOfUser(row.userId);
  }

  private templateOf(purpose: WechatPurpose): string | undefined {
    return {
      notice: this.config.WECHAT_TEMPLATE_NOTICE,
      lecture: this.config.WECHAT_TEMPLATE_LECTURE,
      hours: this.config.WECHAT_TEMPLATE_HOURS,
    }[purpose];
  }

  /** The named parameters each SMS template was approved with (see SMS_TEMPLATES). */
  private smsParams(template: SmsTemplate, row: NotificationRow, school: School): Record<string, string> {
    const d = row.data;
    const text = (value: unknown, fallback: string) => (typeof value === 'string' || typeof value === 'number' ? String(value) : fallback);
    switch (template) {
      case 'notice_urgent':
      case 'notice_unconfirmed':
        return { school: school?.name ?? '学校', title: text(d.title, row.title).slice(0, 20) };
      case 'lecture_reminder':
        return {
          title: text(d.title, row.title).slice(0, 20),
          time: typeof d.startsAt === 'string' ? formatShanghai(new Date(d.startsAt)) : '',
        };
      case 'hours_reminder':
        return { student: text(d.studentName, ''), earned: text(d.earned, '0'), required: text(d.required, '8') };
      default:
        return {};
    }
  }
}
