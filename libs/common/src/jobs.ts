import type { Queue } from 'bullmq';
import type { DomainEvents } from './events';

/** The events whose facts model-schools keeps for its counted indicators. */
export type MetricFactEvent =
  | 'staff.appointed'
  | 'staff.revoked'
  | 'committee.established'
  | 'lecture.published'
  | 'lecture.rescheduled'
  | 'lecture.cancelled'
  | 'campaign-submission.made'
  | 'campaign-submission.rejected';

/**
 * Queues and jobs shared by the producers (the APIs) and the worker. Payloads carry ids
 * only: the worker re-reads state from the database.
 */
export const QUEUES = {
  imports: 'imports',
  notifications: 'notifications',
  messaging: 'messaging',
  courses: 'courses',
  committees: 'committees',
  mailbox: 'mailbox',
  modelSchools: 'model-schools',

  delivery: 'delivery',
} as const;
export type QueueName = keyof typeof QUEUES;

export interface JobPayloads {
  'roster.import': { importId: string };
  /** push one notification (its deliverAt has come) */
  'notification.push': { notificationId: string };
  /** push the inbox entries with this key not pushed yet (written in a change's transaction, pushed after its event) */
  'notification.dispatch': { dedupeKey: string };
  /** push the inbox entries a crash left unpushed: due for a while, of the last day (every minute) */
  'notification.sweep': Record<string, never>;
  /** route one notification to WeChat and SMS (the worker's delivery router) */
  'notification.deliver': { notificationId: string };
  /** SMS to the families that have not confirmed a notice (回执) NOTICE_SMS_AFTER_HOURS after it went out */
  'notice.escalate': { messageId: string };
  /** create and push the notifications of a notice (round 0) or of a reminder (round = when it was asked for) */
  'notice.fanout': { messageId: string; round: number };
  /** a school notice (校务公开): fix its recipients and write their inbox entries (round 0), or remind those not confirmed (round = when asked) */
  'school-notice.fanout': { noticeId: string; round: number };
  /** a class's group follows it into the next school year (升级): the old class's group becomes the new class's */
  'conversation.move-class': { fromClassId: string; toClassId: string };
  /** bring a class group's members in line with the roster and the class's teachers */
  'conversation.sync-class': { classId: string };
  /** bring a committee's group chat in line with its members and the school's coordinators */
  'conversation.sync-committee': { committeeId: string };
  /** open a published lecture's Q&A room if needed and add its organiser and registered guardians who are not in it */
  'conversation.sync-lecture-room': { lectureId: string };
  /** make the coming months' partitions of messages that are missing (daily) */
  'messages.partitions': Record<string, never>;
  /** remind registrants of a lecture; startsAt pins the schedule it was planned for */
  'lecture.remind': { lectureId: string; window: '24h' | '1h'; startsAt: string };
  /** move accrued online watch time from Redis to PostgreSQL and credit those past 80% */
  'watch.flush': Record<string, never>;
  /** build a course-hour report workbook */
  'report.export': { exportId: string };
  /** count an election's ballots at the end of its voting window (or when closed early) */
  'election.tally': { electionId: string };
  /** after a tally: the result's inbox entries are pushed */
  'election.announce': { electionId: string };
  /** tally every open election whose voting window has passed (a missed delayed job) */
  'election.close-due': Record<string, never>;
  /** 班费 summary of a month (YYYY-MM, Asia/Shanghai; the previous month when absent) to each class's guardians */
  'fund.monthly-summary': { month?: string };
  /** write the 示范学校 metric fact(s) of one domain event (the exception to "ids only": the event as recorded, so its facts are its own) */
  'model-school.fact': { [E in MetricFactEvent]: { event: E; eventId: number; payload: DomainEvents[E] } }[MetricFactEvent];
  /** 校长信箱: move items unanswered past their deadline up a level (school → district → city) */
  'mailbox.escalate': Record<string, never>;

  /**
   * send one SMS through the configured provider. The exception to "ids only": a sign-in code
   * is stored hashed, so the job must carry the message itself (template is an SmsTemplate of libs/channels).
   */
  'sms.send': { phone: string; template: string; params: Record<string, string> };
  /** a guardian withdrew consent to the privacy notice at `at` (ISO): tell their children's class teachers and coordinators */
  'consent.withdrawn': { userId: string; at: string };
}

export type JobName = keyof JobPayloads;

export const JOB_QUEUE = {
  'roster.import': 'imports',
  'notification.push': 'notifications',
  'notice.fanout': 'notifications',
  'notification.dispatch': 'notifications',
  'notification.deliver': 'notifications',
  'notification.sweep': 'notifications',
  'notice.escalate': 'notifications',
  'school-notice.fanout': 'notifications',
  'conversation.sync-class': 'messaging',
  'conversation.move-class': 'messaging',
  'conversation.sync-committee': 'messaging',
  'conversation.sync-lecture-room': 'messaging',
  'messages.partitions': 'messaging',
  'lecture.remind': 'courses',
  'watch.flush': 'courses',
  'report.export': 'courses',
  'election.tally': 'committees',
  'election.announce': 'committees',
  'election.close-due': 'committees',
  'fund.monthly-summary': 'committees',
  'mailbox.escalate': 'mailbox',
  'model-school.fact': 'modelSchools',

  'sms.send': 'delivery',
  'consent.withdrawn': 'notifications',
} as const satisfies Record<JobName, QueueName>;

/** The jobs a queue carries: a processor's handler map must name each of them. */
export type JobsOfQueue<Q extends QueueName> = { [K in JobName]: (typeof JOB_QUEUE)[K] extends Q ? K : never }[JobName];

export type JobHandlers<Q extends QueueName> = { [K in JobsOfQueue<Q>]: (payload: JobPayloads[K]) => Promise<void> };

/** What a job's retries and its kept history are, the same wherever it is queued. */
export interface JobPreset {
  attempts: number;
  backoff?: { type: 'exponential'; delay: number };
  /** true: drop at once; a number: keep that many; `age`: keep for that many seconds */
  removeOnComplete: boolean | number | { age: number };
  removeOnFail?: number;
}

const NOTIFY: JobPreset = { attempts: 5, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: 1000 };
const GROUP_SYNC: JobPreset = { attempts: 5, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: true, removeOnFail: 1000 };

/** Jobs a job scheduler queues (upsertJobScheduler, at start-up) rather than the code. */
export type ScheduledJobName =
  'watch.flush' | 'election.close-due' | 'fund.monthly-summary' | 'mailbox.escalate' | 'messages.partitions' | 'notification.sweep';
export type QueuedJobName = Exclude<JobName, ScheduledJobName>;

/** The retry preset of every job the code queues: a call site adds only the job's id and delay (enqueue, below). */
export const JOB_PRESETS: Record<QueuedJobName, JobPreset> = {
  'roster.import': { attempts: 3, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: 1000, removeOnFail: 1000 },
  'notification.push': { attempts: 5, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: 1000, removeOnFail: 5000 },
  'notification.deliver': { attempts: 3, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: 1000, removeOnFail: 5000 },
  'notice.escalate': NOTIFY,
  'notification.dispatch': { attempts: 5, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: true, removeOnFail: 1000 },
  'notice.fanout': NOTIFY,
  'school-notice.fanout': NOTIFY,
  'conversation.sync-class': GROUP_SYNC,
  'conversation.move-class': GROUP_SYNC,
  'conversation.sync-committee': GROUP_SYNC,
  'conversation.sync-lecture-room': GROUP_SYNC,
  'lecture.remind': { attempts: 3, removeOnComplete: true, removeOnFail: 1000 },
  'report.export': { attempts: 3, removeOnComplete: true, removeOnFail: 1000 },
  'election.tally': { attempts: 5, backoff: { type: 'exponential', delay: 5000 }, removeOnComplete: true, removeOnFail: 1000 },
  'election.announce': { attempts: 5, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: true, removeOnFail: 1000 },
  'model-school.fact': { attempts: 8, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: true, removeOnFail: 1000 },
  'sms.send': { attempts: 3, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: true, removeOnFail: 1000 },
  'consent.withdrawn': {
    attempts: 5,
    backoff: { type: 'exponential', delay: 1000 },
    removeOnComplete: { age: 86_400 },
    removeOnFail: 1000,
  },
};

/** Where a job differs from another of its name: its deterministic id (a retried enqueue runs once) and when it is due. */
export interface EnqueueOptions {
  jobId?: string;
  /** ms */
  delay?: number;
}

/** Queues one job with its name's payload type and retry preset, on the queue that carries it. */
export async function enqueue<K extends QueuedJobName>(
  queue: Queue,
  name: K,
  payload: JobPayloads[K],
  options: EnqueueOptions = {},
): Promise<void> {
  checkQueue(queue, name);
  await queue.add(name, payload, { ...JOB_PRESETS[name], ...options });
}

/** Queues many jobs of one name in one call. */
export async function enqueueMany<K extends QueuedJobName>(
  queue: Queue,
  name: K,
  jobs: { payload: JobPayloads[K]; options?: EnqueueOptions }[],
): Promise<void> {
  if (jobs.length === 0) return;
  checkQueue(queue, name);
  await queue.addBulk(jobs.map((job) => ({ name, data: job.payload, opts: { ...JOB_PRESETS[name], ...job.options } })));
}

/** A job queued where no processor takes it would wait forever: refuse it at once. */
function checkQueue(queue: Queue, name: QueuedJobName): void {
  if (queue.name !== QUEUES[JOB_QUEUE[name]]) throw new Error(`job ${name} belongs on queue ${QUEUES[JOB_QUEUE[name]]}, not ${queue.name}`);
}
