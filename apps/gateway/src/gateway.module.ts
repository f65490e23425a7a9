import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '@jiaxiao/auth';
import { Infrastructure, PlatformModule } from '@jiaxiao/platform';
import { RealtimeGateway } from './realtime.gateway';

@Module({})
export class GatewayModule {
  static forRoot(infra: Infrastructure): DynamicModule {
    return {
      module: GatewayModule,
      imports: [PlatformModule.forRoot({ app: 'gateway', infra, http: true }), AuthModule.forRoot({ audience: 'parent', http: false })],
      providers: [RealtimeGateway],
    };
  }
}
