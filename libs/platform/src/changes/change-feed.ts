import type { Client } from 'pg';
import type { Logger } from 'pino';

/** The channel the database's change triggers notify (migration 0022). */
export const CHANGES_CHANNEL = 'jx_changes';

const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 30_000;

export interface ChangeListener {
  /** A commit changed what the payload names (`user:<id>`, `student:<id>`, `places`, …). */
  changed(payload: string): void;
  /** Notifications may have been missed (the feed went down or came back): forget everything. */
  reset(): void;
}

/**
 * The database's change notifications, heard on one connection of its own (LISTEN jx_changes).
 * PostgreSQL delivers a notification only after its transaction commits, to every listening
 * process, so a cache kept by a process is told of every writer's change: its own requests', other
 * processes', the worker's and hand-written SQL alike.
 *
 * A notification reaches the other processes a moment after the writer's commit. Within this
 * process a change must be found by the very next read: the database handle reports every
 * statement of this process that wrote (a commit, or a write outside a transaction) to `wrote()`,
 * and a cached read made after one first waits for `caughtUp()`, one round trip on the listening
 * connection, since PostgreSQL sends a session the notifications committed before its query ahead
 * of that query's answer.
 *
 * While the connection is down the feed is not `live`: caches must neither answer from nor keep
 * what they read; it reconnects on its own and tells its listeners to start afresh.
 */
export class ChangeFeed {
  private client?: Client;
  private listening = false;
  private closed = false;
  private reconnectDelay = RECONNECT_MIN_MS;
  private reconnectTimer?: NodeJS.Timeout;
  private readonly listeners = new Set<ChangeListener>();
  private writes = 0;
  private caughtUpTo = 0;
  private fence?: Promise<void>;

  private constructor(
    private readonly url: string | undefined,
    private readonly logger: Logger,
  ) {}

  /**
   * Listens on DATABASE_URL; with none (PGlite, one process) or when caching is off the feed is
   * never live and caches read through.
   */
  static open(url: string | undefined, logger: Logger): ChangeFeed {
    const feed = new ChangeFeed(url, logger);
    if (url) void feed.connect();
    return feed;
  }

  get live(): boolean {
    return this.listening;
  }

  subscribe(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A statement of this process wrote: the next cached read catches up first. */
  wrote(): void {
    this.writes += 1;
  }

  /** Whether a write of this process may have notifications not heard yet (then `caughtUp()` first). */
  get behind(): boolean {
    return this.listening && this.caughtUpTo < this.writes;
  }

  /** Resolves once every notification committed before the last `wrote()` has reached the listeners. */
  async caughtUp(): Promise<void> {
    const mark = this.writes;
    while (this.listening && this.caughtUpTo < mark) {
      this.fence ??= this.runFence();
      await this.fence;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    this.down();
    await this.client?.end().catch(() => undefined);
  }

  private async runFence(): Promise<void> {
    const target = this.writes;
    try {
      await this.client?.query('select 1');
      this.caughtUpTo = Math.max(this.caughtUpTo, target);
    } catch {
      // The connection failed: the feed is down and caches read through until it is back.
      this.down();
    } finally {
      this.fence = undefined;
    }
  }

  private async connect(): Promise<void> {
    const { Client } = await import('pg');
    if (this.closed) return;
    const client = new Client({ connectionString: this.url, application_name: 'jiaxiao change feed' });
    this.client = client;
    client.on('notification', (message) => {
      if (message.channel !== CHANGES_CHANNEL || !message.payload) return;
      for (const listener of this.listeners) listener.changed(message.payload);
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGES_CHANNEL}`);
    } catch (error) {
      this.lost(client, error as Error);
      return;
    }
    if (this.client !== client) return;
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.reconnectDelay = RECONNECT_MIN_MS;
    this.caughtUpTo = this.writes;
    for (const listener of this.listeners) listener.reset();
    this.listening = true;
  }

  private lost(client: Client, error?: Error): void {
    if (this.client !== client) return;
    this.client = undefined;
    this.down();
    client.removeAllListeners('notification');
    void client.end().catch(() => undefined);
    if (this.closed) return;
    this.logger.warn({ err: error?.message }, 'change feed connection lost; read caches are bypassed until it is back');
    this.reconnectTimer = setTimeout(() => void this.connect(), this.reconnectDelay);
    this.reconnectTimer.unref();
    this.reconnectDelay = Math.min(this.reconnectDelay * 2, RECONNECT_MAX_MS);
  }

  private down(): void {
    if (!this.listening) return;
    this.listening = false;
    for (const listener of this.listeners) listener.reset();
  }
}
