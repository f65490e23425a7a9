import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '@jiaxiao/auth';
import { CoursesModule } from '@jiaxiao/courses';
import { MessagingModule } from '@jiaxiao/messaging';
import { NotificationsModule } from '@jiaxiao/notifications';
import { Infrastructure, PlatformModule } from '@jiaxiao/platform';
import { RealtimeGateway } from './realtime.gateway';
import { RealtimeSubscriber } from './realtime.subscriber';
import { SocketMetrics } from './socket-metrics';

@Module({})
export class GatewayModule {
  static forRoot(infra: Infrastructure): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        PlatformModule.forRoot({ app: 'gateway', infra, http: true }),
        AuthModule.forRoot({ audience: 'parent', http: false }),
        MessagingModule,
        NotificationsModule,
        CoursesModule,
      ],
      providers: [RealtimeGateway, RealtimeSubscriber, SocketMetrics],
    };
  }
}
