/**
 * Domain events: what happened, in the past tense, with ids only (handlers re-read state). Each is
 * written to the outbox in the transaction of the change (`recordEvent`, @jiaxiao/platform) and
 * handed by the worker's relay to every context that reacts (`@ReactsToEvents`). Delivery is at
 * least once, so every handler is idempotent (a job id derived from the event, or a re-read of state).
 */
export interface DomainEvents {
  /** a committee opened an election (or a tally a run-off): its tally is due when voting ends; an opening's notices are in the guardians' inboxes, to be pushed */
  'election.opened': { electionId: string; votingEndsAt: string };
  /** a guardian nominated another: the nominee's notice is in their inbox, to be pushed */
  'nomination.made': { electionId: string; nominationId: string };
  /** an election was counted: its result is in the guardians' inboxes, to be pushed, and the committee group follows the new seats */
  'election.tallied': { electionId: string };
  /** a committee's members changed (set up, a seat given or ended, an election's winners seated): its group chat follows */
  'committee.members-changed': { committeeId: string };
  /** a class-group notice was sent: its inbox entries are written, and without 回执 in time it is escalated by SMS */
  'class-notice.posted': { messageId: string; needsAck: boolean };
  /** the sender asked to remind the families that have not confirmed a class notice (round = when asked, ms) */
  'class-notice.reminder-requested': { messageId: string; round: number };
  /** a 校务公开 notice was posted; its recipients are fixed and their inbox entries written */
  'school-notice.posted': { noticeId: string };
  /** the sender asked to remind those who have not confirmed a school notice (round = when asked, ms) */
  'school-notice.reminder-requested': { noticeId: string; round: number };
  /** a class's students, guardians or teachers changed: its class group follows */
  'roster.changed': { classId: string };
  /** a class moved up into the next school year (升级): its class group goes with it */
  'class.promoted': { fromClassId: string; toClassId: string };
  /** a lecture was published to its audience: its reminders are due 24 h and 1 h before startsAt (ISO) */
  'lecture.published': { lectureId: string; startsAt: string };
  /** a published lecture moved from one start time to another (ISO): its reminders move with it */
  'lecture.rescheduled': { lectureId: string; from: string; to: string };
  /** a lecture planned for startsAt (ISO) was cancelled: its reminders are dropped */
  'lecture.cancelled': { lectureId: string; startsAt: string };
  /** guardians on a lecture's waitlist were given a seat: their notices are in their inboxes, to be pushed */
  'registration.promoted': { lectureId: string };
  /** a guardian registered for a lecture (a seat or the waitlist): they belong in its Q&A room */
  'registration.made': { lectureId: string; userId: string };
  /** a course-hour report workbook was asked for; the worker builds it */
  'report-export.requested': { exportId: string };
  /** a roster sheet was uploaded; its rows are imported in the background */
  'roster-import.uploaded': { importId: string };
  /** a role was assigned (at = when, ISO); a school's coordinator counts for 示范学校 from then */
  'staff.appointed': { assignmentId: string; role: string; scopeType: string; scopeId: string | null; at: string };
  /** a role assignment was removed (at = when, ISO) */
  'staff.revoked': { assignmentId: string; role: string; scopeType: string; scopeId: string | null; at: string };
  /** a 家长委员会 of a level was set up in a school for a school year (at = when, ISO) */
  'committee.established': { committeeId: string; schoolId: string; schoolYearId: string; level: string; at: string };
  /** a family entered a campaign for a student of a school's class of a school year (at = when, ISO) */
  'campaign-submission.made': { submissionId: string; studentId: string; schoolId: string; schoolYearId: string; at: string };
  /** a campaign entry was rejected in review (at = when, ISO) */
  'campaign-submission.rejected': { submissionId: string; at: string };
  /** a guardian withdrew consent to the privacy notice at `at` (ISO) */
  'consent.withdrawn': { userId: string; at: string };
}

export type EventName = keyof DomainEvents;

/** What a reacting context does with the events it cares about. */
export type EventHandlers = { [E in EventName]?: (payload: DomainEvents[E], event: { id: number }) => Promise<void> };

/** A provider whose `eventHandlers()` the outbox relay calls; it lives in the context that reacts. */
export interface ReactsToEvents {
  eventHandlers(): EventHandlers;
}

export const REACTS_TO_EVENTS = Symbol('reacts-to-events');

/** Marks a provider as an event reactor, found by the relay through Nest's discovery. */
export function ReactsToEvents(): ClassDecorator {
  return (target) => {
    Reflect.defineMetadata(REACTS_TO_EVENTS, true, target);
  };
}
