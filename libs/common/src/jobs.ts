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

  delivery: 'delivery',
} as const;
export type QueueName = keyof typeof QUEUES;

export interface JobPayloads {
  'roster.import': { importId: string };
  /** push one notification (its deliverAt has come) */
  'notification.push': { notificationId: string };
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
  /** tally every open election whose voting window has passed (a missed delayed job) */
  'election.close-due': Record<string, never>;
  /** 班费 summary of a month (YYYY-MM, Asia/Shanghai; the previous month when absent) to each class's guardians */
  'fund.monthly-summary': { month?: string };
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
  'notification.deliver': 'notifications',
  'notice.escalate': 'notifications',
  'school-notice.fanout': 'notifications',
  'conversation.sync-class': 'messaging',
  'conversation.move-class': 'messaging',
  'messages.partitions': 'messaging',
  'lecture.remind': 'courses',
  'watch.flush': 'courses',
  'report.export': 'courses',
  'election.tally': 'committees',
  'election.close-due': 'committees',
  'fund.monthly-summary': 'committees',
  'mailbox.escalate': 'mailbox',

  'sms.send': 'delivery',
  'consent.withdrawn': 'notifications',
} as const satisfies Record<JobName, QueueName>;

/** The jobs a queue carries: a processor's handler map must name each of them. */
export type JobsOfQueue<Q extends QueueName> = { [K in JobName]: (typeof JOB_QUEUE)[K] extends Q ? K : never }[JobName];

export type JobHandlers<Q extends QueueName> = { [K in JobsOfQueue<Q>]: (payload: JobPayloads[K]) => Promise<void> };
