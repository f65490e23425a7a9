/**
 * The Socket.IO contract between the gateway and its clients, typed once. This file imports
 * nothing, so the browser clients (web/shared) can import its types without pulling Nest in;
 * the gateway's DTO classes satisfy these shapes structurally.
 */

/** An acknowledgement: `{ok: true, ...}` or `{ok: false, code, message}`. */
export type Ack<T extends object = object> = ({ ok: true } & T) | { ok: false; code: string; message: string };

export interface SocketAttachment {
  fileId: string;
  name: string;
  mime: string;
  size: number;
  url: string;
}

export interface SocketMessage {
  id: string;
  conversationId: string;
  /** gapless and increasing within the conversation */
  seq: number;
  senderId: string | null;
  senderName: string | null;
  clientMsgId: string | null;
  type: string;
  text: string | null;
  recalled: boolean;
  attachment?: SocketAttachment;
  notice?: { title: string; needsAck: boolean; emergency: boolean };
  system?: { event: string; userIds: string[]; names: string[] };
  createdAt: string;
}

export interface SendMessagePayload {
  conversationId: string;
  clientMsgId: string;
  type: 'text' | 'image' | 'file' | 'notice';
  text?: string;
  fileId?: string;
  title?: string;
  needsAck?: boolean;
  emergency?: boolean;
}

export interface SocketNotification {
  id: string;
  kind: string;
  title: string;
  body: string;
  data: Record<string, unknown>;
  createdAt: string;
  deliverAt: string;
  readAt: string | null;
}

/** Client → server events (each takes an ack callback). */
export interface ClientToServerEvents {
  /** a fresh access token (from POST /auth/refresh) of the socket's session; without one the socket ends at expiry */
  'auth:refresh': (payload: { token: string }, ack: (response: Ack<{ expiresAt: string }>) => void) => void;
  'message:send': (payload: SendMessagePayload, ack: (response: Ack<{ message: SocketMessage; quietHours: boolean }>) => void) => void;
  'conversation:read': (payload: { conversationId: string; seq: number }, ack: (response: Ack<{ seq: number }>) => void) => void;
  'conversation:sync': (
    payload: { conversationId: string; afterSeq: number; limit?: number },
    ack: (response: Ack<{ messages: SocketMessage[] }>) => void,
  ) => void;
  'message:recall': (payload: { messageId: string }, ack: (response: Ack<{ message: SocketMessage }>) => void) => void;
  'notice:ack': (payload: { messageId: string }, ack: (response: Ack<{ messageId: string; ackedAt: string }>) => void) => void;
  'lecture:heartbeat': (payload: { lectureId: string }, ack: (response: Ack<{ counted: number }>) => void) => void;
}

/** Server → client events. */
export interface ServerToClientEvents {
  'session:ready': (payload: { userId: string; roles: string[] }) => void;
  /** just before the server disconnects the socket: its access token expired, or its session ended */
  'session:ended': (payload: { reason: 'expired' | 'revoked' }) => void;
  'message:new': (message: SocketMessage) => void;
  'message:recalled': (payload: { conversationId: string; messageId: string; seq: number }) => void;
  'conversation:read': (payload: { conversationId: string; userId: string; seq: number }) => void;
  'conversation:updated': (payload: { conversationId: string; staffOnly: boolean }) => void;
  'notice:acked': (payload: { messageId: string; userId: string }) => void;
  'notification:new': (notification: SocketNotification) => void;
}

/** A server → client event's name, and the payload it carries. */
export type ServerEvent = keyof ServerToClientEvents;
export type ServerEventPayload<E extends ServerEvent> = Parameters<ServerToClientEvents[E]>[0];
