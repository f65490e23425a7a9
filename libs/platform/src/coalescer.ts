/** How a batch answered each of its calls, in the calls' order. */
export type BatchOutcome<O> = { ok: true; value: O } | { ok: false; error: unknown };

export interface CoalescerOptions<I> {
  /** Calls per batch at most. */
  max: number;
  /** Batches in flight at once (default 1). */
  concurrency?: number;
  /**
   * What a call claims: two calls that share a claim never go in the same batch nor in two
   * batches in flight at once, and the later one waits for the earlier's batch to finish, so a
   * batch statement can assume its calls distinct and calls on one claim stay in their order.
   */
  claims?: (input: I) => string[];
}

interface Entry<I, O> {
  input: I;
  claims: string[];
  resolve: (value: O) => void;
  reject: (error: unknown) => void;
}

/**
 * Turns concurrent calls into batches: the calls made in one turn of the event loop go out
 * together, and whatever arrives while the batches in flight are out goes in the next ones. Under
 * load a batch carries everything that queued behind the last one, so a hundred concurrent callers
 * cost one round trip instead of a hundred; when idle a lone call waits one turn of the event
 * loop. `run` answers every call of its batch (a failure of one call is that call's outcome, not
 * the batch's); if `run` itself throws, every call of the batch fails with it.
 */
export class Coalescer<I, O> {
  private pending: Entry<I, O>[] = [];
  private readonly held = new Set<string>();
  private inFlight = 0;
  private scheduled = false;
  private readonly concurrency: number;

  constructor(
    private readonly run: (inputs: I[]) => Promise<BatchOutcome<O>[]>,
    private readonly options: CoalescerOptions<I>,
  ) {
    this.concurrency = options.concurrency ?? 1;
  }

  call(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.pending.push({ input, claims: this.options.claims?.(input) ?? [], resolve, reject });
      if (!this.scheduled && this.inFlight < this.concurrency) {
        // The calls of this turn of the event loop join the same batch.
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.pump();
        });
      }
    });
  }

  private pump(): void {
    while (this.inFlight < this.concurrency && this.pending.length > 0) {
      const batch = this.take();
      if (batch.length === 0) return;
      this.inFlight += 1;
      for (const entry of batch) for (const claim of entry.claims) this.held.add(claim);
      void this.settle(batch).finally(() => {
        this.inFlight -= 1;
        for (const entry of batch) for (const claim of entry.claims) this.held.delete(claim);
        this.pump();
      });
    }
  }

  private async settle(batch: Entry<I, O>[]): Promise<void> {
    try {
      const outcomes = await this.run(batch.map((entry) => entry.input));
      batch.forEach((entry, i) => {
        const outcome = outcomes[i];
        if (outcome.ok) entry.resolve(outcome.value);
        else entry.reject(outcome.error);
      });
    } catch (error) {
      for (const entry of batch) entry.reject(error);
    }
  }

  /** The oldest calls whose claims meet neither a batch in flight nor an earlier call, up to `max`; the others keep their places. */
  private take(): Entry<I, O>[] {
    const taken: Entry<I, O>[] = [];
    const left: Entry<I, O>[] = [];
    const claimed = new Set(this.held);
    for (const entry of this.pending) {
      const free = !entry.claims.some((claim) => claimed.has(claim));
      // A call left behind keeps its claims, so no later call sharing one goes ahead of it.
      for (const claim of entry.claims) claimed.add(claim);
      if (free && taken.length < this.options.max) taken.push(entry);
      else left.push(entry);
    }
    this.pending = left;
    return taken;
  }
}

/**
 * A batch's outcomes when one statement writes it all: that statement's answers; if it fails (a key
 * claimed meanwhile, a deadlock with another writer), each input written on its own, so only the
 * one at fault fails.
 */
export async function eachIfBatchFails<I, O>(inputs: I[], run: (inputs: I[]) => Promise<O[]>): Promise<BatchOutcome<O>[]> {
  try {
    return (await run(inputs)).map((value) => ({ ok: true, value }));
  } catch {
    // One statement per input instead.
  }
  return Promise.all(
    inputs.map((input) =>
      run([input]).then(
        ([value]): BatchOutcome<O> => ({ ok: true, value }),
        (error: unknown): BatchOutcome<O> => ({ ok: false, error }),
      ),
    ),
  );
}
