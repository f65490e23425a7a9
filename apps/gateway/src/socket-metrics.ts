import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents } from '@jiaxiao/common';
import { MetricsService } from '@jiaxiao/platform';

/** The events clients may send; any other name is counted as `unknown` (names are the client's to pick). */
const EVENTS: Record<keyof ClientToServerEvents, true> = {
  'auth:refresh': true,
  'message:send': true,
  'conversation:read': true,
  'conversation:sync': true,
  'message:recall': true,
  'notice:ack': true,
  'lecture:heartbeat': true,
};

/**
 * The gateway's Socket.IO metrics on its /metrics: sockets connected to this node, events received
 * by name, the time from an event's arrival to its acknowledgement, and failed acks by code. A
 * per-socket middleware wraps the ack callback, so the handlers know nothing of it.
 */
@Injectable()
export class SocketMetrics {
  private readonly events: Counter<'event'>;
  private readonly ackLatency: Histogram<'event'>;
  private readonly errors: Counter<'event' | 'code'>;
  private server?: Server;

  constructor(metrics: MetricsService) {
    const registers = [metrics.registry];
    const connected = () => this.server?.of('/').sockets.size ?? 0;
    new Gauge({
      name: 'gateway_connected_sockets',
      help: 'Sockets connected to this gateway node',
      registers,
      collect() {
        this.set(connected());
      },
    });
    this.events = new Counter({
      name: 'gateway_events_received_total',
      help: 'Socket events received, by event name',
      labelNames: ['event'],
      registers,
    });
    this.ackLatency = new Histogram({
      name: 'gateway_ack_latency_seconds',
      help: 'Time from receiving a socket event to sending its acknowledgement, by event name',
      labelNames: ['event'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.errors = new Counter({
      name: 'gateway_event_errors_total',
      help: 'Acknowledgements with ok:false, by event name and error code',
      labelNames: ['event', 'code'],
      registers,
    });
  }

  attach(server: Server): void {
    this.server = server;
    server.on('connection', (socket: Socket) => {
      socket.use((packet, next) => {
        const event = typeof packet[0] === 'string' && Object.hasOwn(EVENTS, packet[0]) ? packet[0] : 'unknown';
        this.events.inc({ event });
        const last = packet.length - 1;
        const ack = packet[last];
        if (last > 0 && typeof ack === 'function') {
          const stop = this.ackLatency.startTimer({ event });
          packet[last] = (response: unknown, ...rest: unknown[]) => {
            stop();
            const code = failedCode(response);
            if (code) this.errors.inc({ event, code });
            (ack as (...args: unknown[]) => void)(response, ...rest);
          };
        }
        next();
      });
    });
  }
}

function failedCode(response: unknown): string | undefined {
  if (typeof response !== 'object' || response === null) return undefined;
  const { ok, code } = response as { ok?: unknown; code?: unknown };
  return ok === false && typeof code === 'string' && /^[A-Z_]{1,60}$/.test(code) ? code : undefined;
}
