import { Module } from '@nestjs/common';
import { WechatJsSdk } from './wechat-js-sdk';
import { WechatMpClient } from './wechat-mp.client';
import { WecomClient } from './wecom.client';

/** The WeChat 公众号 (with its JS-SDK signatures) and WeCom clients (inactive until configured). */
@Module({
  providers: [WechatMpClient, WechatJsSdk, WecomClient],
  exports: [WechatMpClient, WechatJsSdk, WecomClient],
})
export class WechatModule {}
