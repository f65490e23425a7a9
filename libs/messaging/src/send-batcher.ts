import { Injectable } from '@nestjs/common';
import { BatchOutcome, Coalescer, eachIfBatchFails } from '@jiaxiao/platform';
import { SendContext } from './messaging.repository';
import { ContextQuery, SendBatchRepository, SendInbox, SendValues, SentRow } from './send-batch.repository';

/** Sends per statement at most (each carries about ten parameters' worth of values, and a direct message's inbox rows). */
const BATCH = 200;
/** Batches in flight at once: while one commits, the next is written (they share no conversation, so no row lock). */
const IN_FLIGHT = 2;

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

  constructor(private readonly batches: SendBatchRepository) {}

  context(query: ContextQuery): Promise<SendContext | undefined> {
    return this.reads.call(query);
  }

  insert(values: SendValues, inbox: SendInbox): Promise<SentRow | undefined> {
    return this.writes.call({ values, inbox });
  }

  /**
   * One statement for the batch; if it fails (say a clientMsgId claimed meanwhile by a concurrent
   * retry, which fails the whole statement), each send is written again on its own, so only the
   * send at fault gets an error (a retried send whose first write did commit finds its clientMsgId
   * taken, which the service answers with the stored message).
   */
  private write(sends: { values: SendValues; inbox: SendInbox }[]): Promise<BatchOutcome<SentRow | undefined>[]> {
    return eachIfBatchFails(sends, (batch) => this.batches.insert(batch));
  }
}
