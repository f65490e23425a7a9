import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { DevOutboxService } from '@jiaxiao/channels';
import { IsMainlandMobile, Public } from '@jiaxiao/common';

class OutboxQueryDto {
  @ApiPropertyOptional({ example: '13700000007' })
  @IsOptional()
  @IsString()
  @IsMainlandMobile()
  phone?: string;
}

class OutboxItemDto {
  @ApiProperty({ enum: ['sms', 'wechat'] }) channel: string;
  @ApiProperty() phone: string;
  @ApiProperty({ example: 'login_code' }) template: string;
  @ApiProperty({ example: { code: '123456', minutes: '5' } }) params: Record<string, string>;
  @ApiProperty() createdAt: Date;
}

class OutboxPageDto {
  @ApiProperty({ type: [OutboxItemDto] }) items: OutboxItemDto[];
}

/**
 * Development only: what the development SMS provider would have sent (sign-in codes among it).
 * Registered only when NODE_ENV is not production and SMS_PROVIDER is dev (see ParentApiModule).
 */
@ApiTags('dev')
@Controller('dev/outbox')
export class DevOutboxController {
  constructor(private readonly outbox: DevOutboxService) {}

  @Public()
  @Get()
  @ApiOperation({ summary: '开发环境发件箱：开发短信通道“发出”的短信（含验证码），最新在前' })
  @ApiOkResponse({ type: OutboxPageDto })
  list(@Query() query: OutboxQueryDto): Promise<OutboxPageDto> {
    return this.outbox.list(query.phone);
  }
}
