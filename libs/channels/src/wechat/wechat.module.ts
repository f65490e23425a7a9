import { Module } from '@nestjs/common';
import { WechatMpClient } from './wechat-mp.client';
import { WecomClient } from './wecom.client';

/** The WeChat 公众号 and WeCom clients (inactive until configured). */
@Module({
  providers: [WechatMpClient, WecomClient],
  exports: [WechatMpClient, WecomClient],
})
export class WechatModule {}
