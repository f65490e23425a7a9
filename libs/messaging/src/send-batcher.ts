import { Injectable } from '@nestjs/common';
import { BatchOutcome, Coalescer, eachIfBatchFails, ReadCache, ReadCaches } from '@jiaxiao/platform';
import { SendContext } from './messaging.repository';
import { ContextQuery, SendBatchRepository, SendInbox, SendValues, SentRow } from './send-batch.repository';

/** Sends per statement at most (each carries about ten parameters' worth of values, and a direct message's inbox rows). */
const BATCH = 200;
/** Batches in flight at once: while one commits, the next is written (they share no conversation, so no row lock). */
const IN_FLIGHT = 2;
/** Send contexts a process keeps (one per sender and conversation): the chats of its busiest minutes. */
const KEPT_CONTEXTS = 50_000;

/** The sender had already used this clientMsgId: the send wrote nothing, and the message that holds the id answers it. */
export class ClientMsgIdTaken extends Error {
  constructor() {
    super('clientMsgId already used by this sender');
  }
}

/**
 * Group commit for `message:send`: the sends of every connection on this process, whatever their
 * conversations, share their reads and their writes, one statement each per batch, so a busy
 * gateway pays one round trip and one commit (one WAL flush) for a batch instead of one per
 * message. Each send is still acknowledged only after the commit that holds it. A batch holds at
 * most one send per conversation (their seqs come from one counter row) and per clientMsgId, and
 * the two batches in flight share neither.
 */
@Injectable()
export class SendBatcher {
  private readonly reads = new Coalescer<ContextQuery, SendContext | undefined>(
    async (queries) => (await this.batches.contexts(queries)).map((value) => ({ ok: true, value })),
    { max: BATCH, concurrency: IN_FLIGHT },
  );

  private readonly writes = new Coalescer<{ values: SendValues; inbox: SendInbox }, SentRow | undefined>((sends) => this.write(sends), {
    max: BATCH,
    concurrency: IN_FLIGHT,
    claims: ({ values }) => [`c:${values.conversationId}`, `m:${values.senderId}:${values.clientMsgId}`],
  });

  /**
   * What a sender's sends in a conversation need to know, kept until the database notifies
   * `conversation:<id>` (a member joined, left or changed role; the kind or the staff-only switch)
   * or `user:<id>` of another member it names (their staff roles, their working hours).
   */
  private readonly kept: ReadCache<string, SendContext>;

  constructor(
    private readonly batches: SendBatchRepository,
    caches: ReadCaches,
  ) {
    this.kept = caches.create('send_context', { max: KEPT_CONTEXTS, flushOn: [] });
  }

  /** What the send needs to know, read after the call (with the concurrent sends' reads). */
  context(query: ContextQuery): Promise<SendContext | undefined> {
    return this.reads.call(query);
  }

  /**
   * The context as this process last read it for this sender and conversation, or read afresh
   * when it has none. Only a fresh read knows the message an earlier send with this clientMsgId
   * made (`existingId`); a retried send answered from memory is caught by the write instead, which
   * refuses a clientMsgId already used (ClientMsgIdTaken). A kept context may let a send go ahead,
   * since the write checks the membership and the rules again, but must not refuse one.
   */
  async keptContext(query: ContextQuery): Promise<SendContext | undefined> {
    let fresh: SendContext | undefined;
    const kept = await this.kept.read(`${query.conversationId}:${query.userId}`, async () => {
      fresh = await this.reads.call(query);
      return (
        fresh && {
          value: { ...fresh, existingId: null },
          tags: [`conversation:${query.conversationId}`, ...fresh.others.map((o) => `user:${o.userId}`)],
        }
      );
    });
    return fresh ?? kept;
  }

  /** Writes the send with the concurrent ones; undefined when its sender may not post (any more). */
  insert(values: SendValues, inbox: SendInbox): Promise<SentRow | undefined> {
    return this.writes.call({ values, inbox });
  }

  /**
   * One statement for the batch; a send whose clientMsgId its sender had used fails alone
   * (ClientMsgIdTaken). If the statement fails (say a clientMsgId claimed meanwhile by a concurrent
   * retry on another process, which fails the whole statement), each send is written again on its
   * own, so only the send at fault gets an error.
   */
  private async write(sends: { values: SendValues; inbox: SendInbox }[]): Promise<BatchOutcome<SentRow | undefined>[]> {
    const outcomes = await eachIfBatchFails(sends, (batch) => this.batches.insert(batch));
    return outcomes.map((outcome): BatchOutcome<SentRow | undefined> => {
      if (!outcome.ok) return outcome;
      return outcome.value === 'taken' ? { ok: false, error: new ClientMsgIdTaken() } : { ok: true, value: outcome.value };
    });
  }
}
