import { Inject } from '@nestjs/common';
import { ConnectedSocket, MessageBody, OnGatewayConnection, OnGatewayInit, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import type { Logger } from 'pino';
import type { Server, Socket } from 'socket.io';
import { AppConfig, conversationRoom, Principal, languageFrom, renderMessage, sessionRoom, userRoom } from '@jiaxiao/common';
import { AuthService } from '@jiaxiao/auth';
import { HeartbeatDto, WatchTimeService } from '@jiaxiao/courses';
import {
  ClassNoticeService,
  ConversationService,
  MessageRefDto,
  MessageService,
  ReadDto,
  SendMessageDto,
  SyncDto,
} from '@jiaxiao/messaging';
import { LOGGER } from '@jiaxiao/platform';
import { RealtimeSubscriber } from './realtime.subscriber';
import { handle } from './socket-ack';
import { SocketMetrics } from './socket-metrics';
import { AuthRefreshDto, ClientToServerEvents, ServerToClientEvents } from './socket-events';
import { SocketSessionData, SocketSessions } from './socket-session';

type SocketData = SocketSessionData;
type GatewaySocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/**
 * The Socket.IO door. The handshake carries `auth: {token}` (an access token from /auth/login);
 * a bad or missing token is refused with a readable connect_error. The token is checked on every
 * (re)connection. Each socket joins its user's room and
 * the rooms of its conversations; events are acknowledged `{ok, ...}` or `{ok:false, code, message}`.
 */
@WebSocketGateway({ serveClient: false })
export class RealtimeGateway implements OnGatewayInit, OnGatewayConnection {
  private readonly sessions: SocketSessions;

  constructor(
    private readonly auth: AuthService,
    private readonly conversations: ConversationService,
    private readonly messages: MessageService,
    private readonly classNotices: ClassNoticeService,
    private readonly watchTime: WatchTimeService,
    private readonly subscriber: RealtimeSubscriber,
    private readonly metrics: SocketMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
    config: AppConfig,
  ) {
    this.sessions = new SocketSessions(auth, config);
  }

  async afterInit(server: Server) {
    server.use((socket, next) => {
      const language = languageFrom(socket.handshake.headers['accept-language']);
      const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
      if (typeof token !== 'string' || token.length === 0) {
        next(Object.assign(new Error(renderMessage('UNAUTHENTICATED', language)), { data: { code: 'UNAUTHENTICATED' } }));
        return;
      }
      // The node takes sockets once it hears the realtime channel (or after a second without Redis).
      Promise.all([this.auth.authenticate(token), this.auth.expiryOf(token), this.subscriber.ready()])
        .then(([principal, expiresAt]) => {
          if (!principal || !expiresAt) {
            next(Object.assign(new Error(renderMessage('TOKEN_INVALID', language)), { data: { code: 'TOKEN_INVALID' } }));
            return;
          }
          Object.assign((socket as GatewaySocket).data, {
            principal,
            language,
            expiresAt,
            checkedAt: Date.now(),
          } satisfies SocketSessionData);
          next();
        })
        .catch((error: unknown) => {
          this.logger.error({ err: error }, 'socket authentication failed');
          next(Object.assign(new Error(renderMessage('SERVICE_UNAVAILABLE', language)), { data: { code: 'SERVICE_UNAVAILABLE' } }));
        });
    });
    this.metrics.attach(server);
    await this.subscriber.attach(server);
  }

  async handleConnection(socket: GatewaySocket) {
    const { principal } = socket.data;
    if (!principal) return;
    this.sessions.start(socket, socket.data);
    try {
      // Until the account is set up (one-time password, consent) the socket gets no conversation's events.
      const gated = principal.passwordChangeRequired || principal.consentRequired;
      const conversationIds = gated ? [] : await this.conversations.idsOf(principal.userId);
      // The session's room: when the session ends (logout, password change, …) every node disconnects its sockets.
      await socket.join([userRoom(principal.userId), sessionRoom(principal.sessionId), ...conversationIds.map(conversationRoom)]);
      socket.emit('session:ready', { userId: principal.userId, roles: principal.roles });
    } catch (error) {
      // Nest does not await this hook: a rejection would be unhandled and end the process, with
      // every client of the node. Closing the transport makes this client reconnect and try again.
      this.logger.error({ err: error, userId: principal.userId }, 'socket setup failed');
      socket.conn.close();
    }
  }

  /** Re-authentication: a fresh access token of the same session keeps the socket open past the old one's expiry. */
  @SubscribeMessage('auth:refresh')
  refreshToken(@ConnectedSocket() socket: GatewaySocket, @MessageBody() body: unknown) {
    return handle(AuthRefreshDto, body, socket.data.language, this.logger, (dto) => this.sessions.refresh(socket, socket.data, dto.token));
  }

  @SubscribeMessage('message:send')
  send(@ConnectedSocket() socket: GatewaySocket, @MessageBody() body: unknown) {
    return this.run(socket, SendMessageDto, body, (dto, principal) => this.messages.send(principal, dto));
  }

  @SubscribeMessage('conversation:read')
  read(@ConnectedSocket() socket: GatewaySocket, @MessageBody() body: unknown) {
    return this.run(socket, ReadDto, body, async (dto, principal) => ({
      seq: await this.messages.read(principal, dto.conversationId, dto.seq),
    }));
  }

  @SubscribeMessage('conversation:sync')
  sync(@ConnectedSocket() socket: GatewaySocket, @MessageBody() body: unknown) {
    return this.run(socket, SyncDto, body, async (dto, principal) => ({
      messages: await this.messages.sync(principal, dto.conversationId, dto.afterSeq, dto.limit),
    }));
  }

  @SubscribeMessage('message:recall')
  recall(@ConnectedSocket() socket: GatewaySocket, @MessageBody() body: unknown) {
    return this.run(socket, MessageRefDto, body, async (dto, principal) => ({
      message: await this.messages.recall(principal, dto.messageId),
    }));
  }

  @SubscribeMessage('notice:ack')
  ack(@ConnectedSocket() socket: GatewaySocket, @MessageBody() body: unknown) {
    return this.run(socket, MessageRefDto, body, (dto, principal) => this.classNotices.ack(principal, dto.messageId));
  }

  /** Online attendance: one beat every ≤ 30 s while the stream is visible; this socket is the device. */
  @SubscribeMessage('lecture:heartbeat')
  heartbeat(@ConnectedSocket() socket: GatewaySocket, @MessageBody() body: unknown) {
    return this.run(socket, HeartbeatDto, body, (dto, principal) => this.watchTime.beat(principal, dto.lectureId, socket.id));
  }

  /** Every event acts as the session is now: re-checked when stale, refused while the account setup is incomplete. */
  private run<P extends object, R extends object>(
    socket: GatewaySocket,
    dto: new () => P,
    body: unknown,
    work: (payload: P, principal: Principal) => Promise<R>,
  ) {
    return handle(dto, body, socket.data.language, this.logger, async (payload) =>
      work(payload, await this.sessions.current(socket, socket.data)),
    );
  }
}
