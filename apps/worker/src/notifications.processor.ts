import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { JobHandlers, QUEUES } from '@jiaxiao/common';
import { ClassNoticeService, SchoolNoticeService } from '@jiaxiao/messaging';
import { ConsentWithdrawnNotifier, DeliveryRouter, NotificationsService, UnpushedSweep } from '@jiaxiao/notifications';
import { dispatch } from './dispatch';

@Processor(QUEUES.notifications, { concurrency: 4 })
export class NotificationsProcessor extends WorkerHost {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly classNotices: ClassNoticeService,
    private readonly schoolNotices: SchoolNoticeService,
    private readonly router: DeliveryRouter,
    private readonly consentWithdrawn: ConsentWithdrawnNotifier,
    private readonly sweep: UnpushedSweep,
  ) {
    super();
  }

  private readonly handlers: JobHandlers<'notifications'> = {
    'notification.push': (payload) => this.notifications.push(payload.notificationId),
    'notice.fanout': (payload) => this.classNotices.fanOutNotice(payload.messageId, payload.round),
    'notification.dispatch': (payload) => this.notifications.dispatchBulk(payload.dedupeKey),
    'notification.deliver': (payload) => this.router.route(payload.notificationId),
    'notification.sweep': async () => {
      await this.sweep.sweep();
    },
    'school-notice.fanout': (payload) => this.schoolNotices.fanOut(payload.noticeId, payload.round),
    'notice.escalate': (payload) => this.classNotices.escalateNotice(payload.messageId),
    'consent.withdrawn': (payload) => this.consentWithdrawn.notify(payload),
  };

  process(job: Job): Promise<void> {
    return dispatch(QUEUES.notifications, this.handlers, job);
  }
}
