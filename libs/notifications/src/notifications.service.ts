import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import {
  AppConfig,
  decodeTimeIdCursor,
  DEFAULT_PAGE_SIZE,
  DomainError,
  enqueue,
  enqueueMany,
  Principal,
  QUEUES,
  toPage,
} from '@jiaxiao/common';
import { DbExecutor, notifications } from '@jiaxiao/db';
import { routeOf } from './delivery/delivery-rules';
import {
  ListNotificationsQueryDto,
  NotificationDto,
  NotificationPageDto,
  WorkingHoursDto,
  WorkingHoursStateDto,
} from './dto/notification.dto';
import { NewNotification, NotificationsRepository } from './notifications.repository';
import {
  DEFAULT_WORKING_HOURS,
  fromMinute,
  isQuiet,
  nextDeliveryTime,
  parseQuietWindow,
  quietUntil,
  toMinute,
  WorkingHours,
} from './quiet-hours';
import { RealtimePublisher } from './realtime.publisher';

type NotificationRow = typeof notifications.$inferSelect;

/** Jobs per BullMQ addBulk call. */
const BULK = 1000;

/**
 * The inbox and the pushes. A notification is stored at once; its push (realtime
 * `notification:new` plus the outbound channels) goes out at `deliverAt` — now, or later
 * when quiet hours hold it back (a delayed BullMQ job whose id is the notification id).
 */
@Injectable()
export class NotificationsService {
  constructor(
    private readonly repository: NotificationsRepository,
    private readonly realtime: RealtimePublisher,
    @InjectQueue(QUEUES.notifications) private readonly queue: Queue,
    private readonly config: AppConfig,
  ) {}

  /** Stores notifications (inside the caller's transaction, if given). Call `dispatch` after commit. */
  create(rows: NewNotification[], db?: DbExecutor): Promise<NotificationRow[]> {
    return this.repository.insertMany(rows, db);
  }

  /** Takes a recalled message's entries out of every inbox (inside the recall's transaction). */
  removeForMessage(messageId: string, db?: DbExecutor): Promise<number> {
    return this.repository.removeForMessage(messageId, db);
  }

  /** Pushes the due ones now and schedules the others for their deliverAt. */
  async dispatch(rows: NotificationRow[]): Promise<void> {
    const now = Date.now();
    for (const row of rows) {
      const delay = row.deliverAt.getTime() - now;
      if (delay > 0) {
        await enqueue(this.queue, 'notification.push', { notificationId: row.id }, { jobId: row.id, delay });
      } else {
        await this.push(row.id);
      }
    }
  }

  /**
   * The set-based form of dispatch (PushBatcher's): the held ones become delayed jobs in one call;
   * the due ones are claimed with their in-app deliveries recorded in one statement, published in
   * one Redis pipeline, and the outside channels queued in one call.
   */
  async dispatchMany(rows: Pick<NotificationRow, 'id' | 'deliverAt'>[]): Promise<void> {
    const now = Date.now();
    const held = rows.filter((row) => row.deliverAt.getTime() > now);
    await enqueueMany(
      this.queue,
      'notification.push',
      held.map((row) => ({ payload: { notificationId: row.id }, options: { jobId: row.id, delay: row.deliverAt.getTime() - now } })),
    );
    const due = rows.filter((row) => row.deliverAt.getTime() <= now);
    if (due.length === 0) return;
    const claimed = await this.repository.claimPushes(due.map((row) => row.id));
    if (claimed.length === 0) return;
    await this.realtime.toEachUser(claimed.map((row) => ({ userId: row.userId, event: 'notification:new', payload: toDto(row) })));
    const routed = claimed.filter((row) => {
      const route = routeOf(row.kind, row.data);
      return route.wechat !== undefined || route.sms !== undefined;
    });
    await enqueueMany(
      this.queue,
      'notification.deliver',
      routed.map((row) => ({ payload: { notificationId: row.id }, options: { jobId: `deliver-${row.id}` } })),
    );
  }

  /**
   * Queues the push of entries a transaction wrote with this key (`dispatchBulk` in the worker), from
   * the reactor of the event committed with them. The job id is the key's, so a repeated event queues it once.
   */
  async scheduleDispatch(dedupeKey: string): Promise<void> {
    await enqueue(this.queue, 'notification.dispatch', { dedupeKey }, { jobId: `dispatch-${dedupeKey.replaceAll(':', '-')}` });
  }

  /** Dispatches whatever carries this key and has not been pushed: a retried fan-out finishes the job. */
  async dispatchPending(dedupeKey: string): Promise<void> {
    await this.dispatch(await this.repository.unpushed(dedupeKey));
  }

  /**
   * The set-based form of dispatchPending, for a fan-out of thousands: claims every due push of
   * the key in one statement, records their in-app deliveries in one, publishes them in one
   * Redis pipeline and queues the outside channels (and the held pushes) in bulk.
   */
  async dispatchBulk(dedupeKey: string): Promise<void> {
    const due = await this.repository.claimDue(dedupeKey);
    await this.repository.recordRealtimeFor(dedupeKey);
    await this.realtime.toEachUser(due.map((row) => ({ userId: row.userId, event: 'notification:new', payload: toDto(row) })));
    const routed = due.filter((row) => {
      const route = routeOf(row.kind, row.data);
      return route.wechat !== undefined || route.sms !== undefined;
    });
    for (let i = 0; i < routed.length; i += BULK) {
      await enqueueMany(
        this.queue,
        'notification.deliver',
        routed.slice(i, i + BULK).map((row) => ({ payload: { notificationId: row.id }, options: { jobId: `deliver-${row.id}` } })),
      );
    }
    const held = await this.repository.unpushed(dedupeKey);
    const now = Date.now();
    for (let i = 0; i < held.length; i += BULK) {
      await enqueueMany(
        this.queue,
        'notification.push',
        held.slice(i, i + BULK).map((row) => ({
          payload: { notificationId: row.id },
          options: { jobId: row.id, delay: Math.max(0, row.deliverAt.getTime() - now) },
        })),
      );
    }
  }

  /**
   * Sends one notification's push, once (the worker's job, or inline when due): in-app now,
   * then the worker's delivery router for WeChat and SMS when the kind may use them.
   */
  async push(notificationId: string): Promise<void> {
    if (!(await this.repository.claimPush(notificationId))) return;
    const row = await this.repository.byId(notificationId);
    if (!row) return;
    await this.realtime.toUsers([row.userId], 'notification:new', toDto(row));
    await this.repository.recordRealtime(row.id);
    const route = routeOf(row.kind, row.data);
    if (!route.wechat && !route.sms) return;
    await enqueue(this.queue, 'notification.deliver', { notificationId: row.id }, { jobId: `deliver-${row.id}` });
  }

  /** When a push to a family may go out: now, or the end of the nightly quiet hours (FAMILY_QUIET_HOURS). */
  familyDeliveryTime(now = new Date()): Date {
    return quietUntil(now, parseQuietWindow(this.config.FAMILY_QUIET_HOURS));
  }

  async list(principal: Principal, query: ListNotificationsQueryDto): Promise<NotificationPageDto> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const before = decodeTimeIdCursor(query.cursor);
    const [rows, unread] = await Promise.all([
      this.repository.list(principal.userId, { before: before ?? undefined, limit, unreadOnly: query.unread ?? false }),
      this.repository.unreadCount(principal.userId),
    ]);
    const page = toPage(rows, limit, (r) => [r.deliverAt.toISOString(), r.id]);
    return { items: page.items.map(toDto), nextCursor: page.nextCursor, unread };
  }

  markRead(principal: Principal, ids?: string[]): Promise<number> {
    return this.repository.markRead(principal.userId, ids ?? 'all');
  }

  /**
   * When each of these users may be pushed: teachers and coordinators outside their working
   * hours (weekdays 07:30–18:00 unless they set their own) are pushed at their next start.
   * Inside a transaction pass it as `db`: embedded PGlite has one connection, which the transaction holds.
   */
  async deliveryTimes(userIds: string[], now = new Date(), db?: DbExecutor): Promise<Map<string, Date>> {
    const [staff, custom] = await Promise.all([this.repository.staffAmong(userIds, db), this.repository.workingHoursOf(userIds, db)]);
    const own = new Map(custom.map((h) => [h.userId, h]));
    return this.deliveryTimesOf(
      userIds.map((userId) => ({ userId, staff: staff.has(userId), hours: own.get(userId) ?? null })),
      now,
    );
  }

  /** deliveryTimes from what the caller has read already: whether each is staff, and their own hours. */
  deliveryTimesOf(people: { userId: string; staff: boolean; hours: WorkingHours | null }[], now = new Date()): Map<string, Date> {
    const times = new Map<string, Date>();
    for (const person of people) {
      const hours = person.hours ?? (person.staff ? DEFAULT_WORKING_HOURS : undefined);
      times.set(person.userId, hours ? nextDeliveryTime(now, hours) : now);
    }
    return times;
  }

  async workingHours(principal: Principal): Promise<WorkingHoursStateDto> {
    const [custom] = await this.repository.workingHoursOf([principal.userId]);
    const hours: WorkingHours = custom ?? DEFAULT_WORKING_HOURS;
    return {
      days: hours.days,
      start: fromMinute(hours.startMinute),
      end: fromMinute(hours.endMinute),
      quietNow: isQuiet(new Date(), hours),
      source: custom ? 'custom' : 'default',
    };
  }

  async setWorkingHours(principal: Principal, dto: WorkingHoursDto): Promise<WorkingHoursStateDto> {
    if (!principal.roles.some((r) => r === 'teacher' || r === 'coordinator')) throw new DomainError('FORBIDDEN');
    const startMinute = toMinute(dto.start);
    const endMinute = toMinute(dto.end);
    if (endMinute <= startMinute) throw new DomainError('VALIDATION_FAILED', {}, [{ field: 'end', constraint: 'isAfterStart' }]);
    await this.repository.setWorkingHours(principal.userId, { days: [...dto.days].sort(), startMinute, endMinute });
    return this.workingHours(principal);
  }
}

export function toDto(row: NotificationRow): NotificationDto {
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    body: row.body,
    data: row.data,
    createdAt: row.createdAt.toISOString(),
    deliverAt: row.deliverAt.toISOString(),
    readAt: row.readAt?.toISOString() ?? null,
  };
}
