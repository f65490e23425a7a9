import { Inject } from '@nestjs/common';
import { OnGatewayConnection, OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import type { Logger } from 'pino';
import type { Server, Socket } from 'socket.io';
import { languageFrom, Principal, renderMessage } from '@jiaxiao/common';
import { AuthService } from '@jiaxiao/auth';
import { LOGGER } from '@jiaxiao/platform';
import { ClientToServerEvents, ServerToClientEvents, userRoom } from './socket-events';

type GatewaySocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, { principal: Principal }>;

/**
 * The Socket.IO door. The handshake carries `auth: {token}` (an access token from /auth/login);
 * a bad or missing token is refused with a readable connect_error. Every socket joins its
 * user's room. The token is checked on every (re)connection, including state recovery.
 */
@WebSocketGateway({ serveClient: false })
export class RealtimeGateway implements OnGatewayInit, OnGatewayConnection {
  constructor(
    private readonly auth: AuthService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  afterInit(server: Server) {
    server.use((socket, next) => {
      const language = languageFrom(socket.handshake.headers['accept-language']);
      const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
      if (typeof token !== 'string' || token.length === 0) {
        next(Object.assign(new Error(renderMessage('UNAUTHENTICATED', language)), { data: { code: 'UNAUTHENTICATED' } }));
        return;
      }
      this.auth
        .authenticate(token)
        .then((principal) => {
          if (!principal) {
            next(Object.assign(new Error(renderMessage('TOKEN_INVALID', language)), { data: { code: 'TOKEN_INVALID' } }));
            return;
          }
          (socket as GatewaySocket).data.principal = principal;
          next();
        })
        .catch((error: unknown) => {
          this.logger.error({ err: error }, 'socket authentication failed');
          next(Object.assign(new Error(renderMessage('SERVICE_UNAVAILABLE', language)), { data: { code: 'SERVICE_UNAVAILABLE' } }));
        });
    });
  }

  async handleConnection(socket: GatewaySocket) {
    const principal = socket.data.principal;
    await socket.join(userRoom(principal.userId));
    socket.emit('session:ready', { userId: principal.userId, roles: principal.roles });
  }
}
