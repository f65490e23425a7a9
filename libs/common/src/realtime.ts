import type { ServerEvent } from './socket-events';

/**
 * Realtime fan-out contract between any process (APIs, worker) and the gateways: a process
 * publishes a command on Redis; every gateway applies it to its own sockets.
 */
export type RealtimeCommand =
  | { op: 'emit'; rooms: string[]; event: ServerEvent; payload: unknown }
  | { op: 'join'; userIds: string[]; room: string }
  | { op: 'leave'; userIds: string[]; room: string }
  /** sessions that ended: their sockets are disconnected */
  | { op: 'disconnect'; sessionIds: string[] }
  /** a gateway node has started: a node that was alone publishes its own commands again */
  | { op: 'hello' };

export const realtimeChannel = (prefix: string) => `${prefix}:realtime`;
export const userRoom = (userId: string) => `user:${userId}`;
export const conversationRoom = (conversationId: string) => `conversation:${conversationId}`;
export const sessionRoom = (sessionId: string) => `session:${sessionId}`;
