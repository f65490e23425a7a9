import { IsString, MaxLength, MinLength } from 'class-validator';
import type { MessageDto, ReadDto, SendMessageDto, SyncDto, MessageRefDto } from '@jiaxiao/messaging';
import type { HeartbeatDto } from '@jiaxiao/courses';
import type { NotificationDto } from '@jiaxiao/notifications';

/** An acknowledgement: `{ok: true, ...}` or `{ok: false, code, message}`. */
export type Ack<T extends object = object> = ({ ok: true } & T) | { ok: false; code: string; message: string };

/** `auth:refresh`: a fresh access token (from POST /auth/refresh) of the socket's session. */
export class AuthRefreshDto {
  @IsString()
  @MinLength(10)
  @MaxLength(2000)
  token: string;
}

/** Client → server events (each takes an ack callback). */
export interface ClientToServerEvents {
  'auth:refresh': (payload: AuthRefreshDto, ack: (response: Ack<{ expiresAt: string }>) => void) => void;
  'message:send': (payload: SendMessageDto, ack: (response: Ack<{ message: MessageDto; quietHours: boolean }>) => void) => void;
  'conversation:read': (payload: ReadDto, ack: (response: Ack<{ seq: number }>) => void) => void;
  'conversation:sync': (payload: SyncDto, ack: (response: Ack<{ messages: MessageDto[] }>) => void) => void;
  'message:recall': (payload: MessageRefDto, ack: (response: Ack<{ message: MessageDto }>) => void) => void;
  'notice:ack': (payload: MessageRefDto, ack: (response: Ack<{ messageId: string; ackedAt: string }>) => void) => void;
  'lecture:heartbeat': (payload: HeartbeatDto, ack: (response: Ack<{ counted: number }>) => void) => void;
}

/** Server → client events. */
export interface ServerToClientEvents {
  'session:ready': (payload: { userId: string; roles: string[] }) => void;
  /** just before the server disconnects the socket: its access token expired, or its session ended */
  'session:ended': (payload: { reason: 'expired' | 'revoked' }) => void;
  'message:new': (message: MessageDto) => void;
  'message:recalled': (payload: { conversationId: string; messageId: string; seq: number }) => void;
  'conversation:read': (payload: { conversationId: string; userId: string; seq: number }) => void;
  'conversation:updated': (payload: { conversationId: string; staffOnly: boolean }) => void;
  'notice:acked': (payload: { messageId: string; userId: string }) => void;
  'notification:new': (notification: NotificationDto) => void;
}
