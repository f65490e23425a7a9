import { io, Socket } from 'socket.io-client';

/** An acknowledgement from the gateway: `{ok: true, ...}` or `{ok: false, code, message}`. */
export type AckResult<T extends object = Record<string, unknown>> = ({ ok: true } & T) | { ok: false; code: string; message: string };

interface Waiter {
  event: string;
  match: (payload: unknown) => boolean;
  resolve: (payload: unknown) => void;
}

/**
 * A Socket.IO client that records every server event, so a test can wait for an event that
 * may already have arrived (no race between the action and the listener) and can check
 * afterwards that one never came.
 */
export class RealtimeClient {
  readonly socket: Socket;
  readonly events: { event: string; payload: unknown }[] = [];
  private waiters: Waiter[] = [];

  constructor(url: string, token: string) {
    this.socket = io(url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
    this.socket.onAny((event: string, payload: unknown) => {
      this.events.push({ event, payload });
      const ready = this.waiters.filter((w) => w.event === event && w.match(payload));
      this.waiters = this.waiters.filter((w) => !ready.includes(w));
      for (const waiter of ready) waiter.resolve(payload);
    });
  }

  /** Connects and waits for `session:ready`, i.e. until the socket has joined its rooms. */
  static async connect(url: string, token: string): Promise<RealtimeClient> {
    const client = new RealtimeClient(url, token);
    await new Promise<void>((resolve, reject) => {
      client.socket.once('connect_error', reject);
      void client.next('session:ready').then(() => resolve());
    });
    return client;
  }

  /** The first event of this name matching the predicate, whether it came already or comes later. */
  next<T = unknown>(event: string, match: (payload: T) => boolean = () => true): Promise<T> {
    const seen = this.events.find((e) => e.event === event && match(e.payload as T));
    if (seen) return Promise.resolve(seen.payload as T);
    return new Promise<T>((resolve) => {
      this.waiters.push({ event, match: (p) => match(p as T), resolve: (p) => resolve(p as T) });
    });
  }

  /** Every event of this name received so far that matches the predicate. */
  received<T = unknown>(event: string, match: (payload: T) => boolean = () => true): T[] {
    return this.events.filter((e) => e.event === event && match(e.payload as T)).map((e) => e.payload as T);
  }

  emit<T extends object = Record<string, unknown>>(event: string, payload: unknown): Promise<AckResult<T>> {
    return this.socket.emitWithAck(event, payload) as Promise<AckResult<T>>;
  }

  close(): void {
    this.socket.disconnect();
  }
}
