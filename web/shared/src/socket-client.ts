import { io, type Socket } from 'socket.io-client';
import type { Ack, ClientToServerEvents, ServerToClientEvents } from '../../../libs/common/src/socket-events';

export type {
  Ack,
  ClientToServerEvents,
  ServerToClientEvents,
  SocketMessage,
  SendMessagePayload,
  SocketNotification,
} from '../../../libs/common/src/socket-events';

export type RealtimeSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

type AckOf<E extends keyof ClientToServerEvents> = Parameters<Parameters<ClientToServerEvents[E]>[1]>[0];
type PayloadOf<E extends keyof ClientToServerEvents> = Parameters<ClientToServerEvents[E]>[0];

/**
 * The gateway connection: WebSocket transport (the gateway is another origin), the access token
 * read afresh on every (re)connect, and `request` to send an event and await its ack.
 */
export function connectRealtime(url: string, token: () => string | null) {
  const socket: RealtimeSocket = io(url, {
    transports: ['websocket'],
    auth: (cb) => cb({ token: token() ?? '' }),
    reconnectionDelayMax: 10_000,
  });

  function request<E extends keyof ClientToServerEvents>(event: E, payload: PayloadOf<E>, timeoutMs = 10_000): Promise<AckOf<E>> {
    return new Promise((resolve) => {
      const emit = socket.timeout(timeoutMs).emit as unknown as (
        e: E,
        p: PayloadOf<E>,
        cb: (err: Error | null, ack: AckOf<E>) => void,
      ) => void;
      emit.call(socket, event, payload, (err, ack) => {
        resolve(err ? ({ ok: false, code: 'TIMEOUT', message: '网络不稳定，请稍后重试' } as Ack as AckOf<E>) : ack);
      });
    });
  }

  return { socket, request };
}

export type Realtime = ReturnType<typeof connectRealtime>;
