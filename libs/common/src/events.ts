/**
 * Domain events: what happened, in the past tense, with ids only (handlers re-read state). Each is
 * written to the outbox in the transaction of the change (`recordEvent`, @jiaxiao/platform) and
 * handed by the worker's relay to every context that reacts (`@ReactsToEvents`). Delivery is at
 * least once, so every handler is idempotent (a job id derived from the event, or a re-read of state).
 */
export interface DomainEvents {
  /** a committee opened an election; its tally is due when voting ends */
  'election.opened': { electionId: string; votingEndsAt: string };
  /** a class-group notice was sent: its inbox entries are written, and without 回执 in time it is escalated by SMS */
  'class-notice.posted': { messageId: string; needsAck: boolean };
  /** a 校务公开 notice was posted; its recipients are fixed and their inbox entries written */
  'school-notice.posted': { noticeId: string };
  /** the sender asked to remind those who have not confirmed a school notice (round = when asked, ms) */
  'school-notice.reminder-requested': { noticeId: string; round: number };
  /** a class's students, guardians or teachers changed: its class group follows */
  'roster.changed': { classId: string };
  /** a class moved up into the next school year (升级): its class group goes with it */
  'class.promoted': { fromClassId: string; toClassId: string };
  /** a course-hour report workbook was asked for; the worker builds it */
  'report-export.requested': { exportId: string };
  /** a roster sheet was uploaded; its rows are imported in the background */
  'roster-import.uploaded': { importId: string };
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
