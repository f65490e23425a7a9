/** How a batch answered each of its calls, in the calls' order. */
export type BatchOutcome<O> = { ok: true; value: O } | { ok: false; error: unknown };

export interface CoalescerOptions<I> {
  /** Calls per batch at most. */
  max: number;
  /**
   * What a call claims in its batch: two calls that share a claim never go in the same batch
   * (the later one waits for the next), so a batch statement can assume them distinct.
   */
  claims?: (input: I) => string[];
}

/**
 * Turns concurrent calls into batches: the calls made in one turn of the event loop go out
 * together, and whatever arrives while a batch is out goes in the next, one batch in flight at a
 * time. Under load a batch carries everything that queued behind the last one, so a hundred
 * concurrent callers cost one round trip instead of a hundred; when idle a lone call waits one
 * turn of the event loop. `run` answers every call of its batch (a failure of one call is that
 * call's outcome, not the batch's); if `run` itself throws, every call of the batch fails with it.
 */
export class Coalescer<I, O> {
  private pending: { input: I; resolve: (value: O) => void; reject: (error: unknown) => void }[] = [];
  private running = false;

  constructor(
    private readonly run: (inputs: I[]) => Promise<BatchOutcome<O>[]>,
    private readonly options: CoalescerOptions<I>,
  ) {}

  call(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.pending.push({ input, resolve, reject });
      if (!this.running) {
        this.running = true;
        void this.drain();
      }
    });
  }

  private async drain(): Promise<void> {
    // The calls of this turn of the event loop join the first batch.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.pending.length > 0) {
      const batch = this.take();
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
    this.running = false;
  }

  /** The oldest calls whose claims do not meet an earlier call's, up to `max`; the others keep their places. */
  private take(): typeof this.pending {
    const claims = this.options.claims;
    if (!claims) return this.pending.splice(0, this.options.max);
    const taken: typeof this.pending = [];
    const left: typeof this.pending = [];
    const claimed = new Set<string>();
    for (const entry of this.pending) {
      const mine = claims(entry.input);
      const free = !mine.some((claim) => claimed.has(claim));
      // A call left behind keeps its claims, so no later call sharing one goes ahead of it.
      for (const claim of mine) claimed.add(claim);
      if (free && taken.length < this.options.max) taken.push(entry);
      else left.push(entry);
    }
    this.pending = left;
    return taken;
  }
}
