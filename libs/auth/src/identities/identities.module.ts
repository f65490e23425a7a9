import { Module } from '@nestjs/common';
import { WechatModule } from '@jiaxiao/channels';
import { IdentityRepository } from './identity.repository';
import { WechatIdentityService } from './wechat-identity.service';

/** Outside identities (WeChat 公众号, WeCom) bound to accounts. Needs AuthModule.forRoot in the app. */
@Module({
  imports: [WechatModule],
  providers: [IdentityRepository, WechatIdentityService],
  exports: [WechatIdentityService],
})
export class IdentitiesModule {}
