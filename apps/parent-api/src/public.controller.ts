import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { Public } from '@jiaxiao/common';
import { ArticleDto, ArticleListDto, ArticleQueryDto, ArticleService, PublicEntryListDto } from '@jiaxiao/campaigns';
import { CalendarQueryDto, PublicCalendarDto, PublicCalendarService } from '@jiaxiao/courses';
import { SupportSiteDto, SupportSitesService } from '@jiaxiao/model-schools';

class EntryQueryDto {
  @ApiPropertyOptional({ description: 'one campaign only' }) @IsOptional() @IsUUID() campaignId?: string;
}

class PublicSiteListDto {
  @ApiProperty({ type: [SupportSiteDto] }) items: SupportSiteDto[];
  @ApiProperty({ nullable: true, type: String, description: 'always null' }) nextCursor: null;
}

/**
 * 潍坊家庭教育公共服务平台: what anyone may read without logging in — the lecture calendar, the
 * counselling sites, published campaign entries and the bureau's library (the model-school list is
 * `GET /model-schools`). Nothing here names a child, a class or an account.
 */
@ApiTags('public')
@Public()
@Controller('public')
export class PublicController {
  constructor(
    private readonly calendar: PublicCalendarService,
    private readonly support: SupportSitesService,
    private readonly articles: ArticleService,
  ) {}

  @Get('lectures')
  @ApiOperation({ summary: '讲座日历：已发布的讲座（公开，无需登录）' })
  @ApiOkResponse({ type: PublicCalendarDto })
  lectures(@Query() query: CalendarQueryDto): Promise<PublicCalendarDto> {
    return this.calendar.calendar(query);
  }

  @Get('support-sites')
  @ApiOperation({ summary: '心理辅导室、成长导航站、区县与市级心理辅导中心和热线名录（公开，无需登录）' })
  @ApiOkResponse({ type: PublicSiteListDto })
  async sites(): Promise<PublicSiteListDto> {
    return { items: await this.support.publicSites(), nextCursor: null };
  }

  @Get('campaign-entries')
  @ApiOperation({ summary: '已公开展示的家风家训故事与书香之家（公开，无需登录）' })
  @ApiOkResponse({ type: PublicEntryListDto })
  entries(@Query() query: EntryQueryDto): Promise<PublicEntryListDto> {
    return this.articles.publicEntries(query.campaignId);
  }

  @Get('articles')
  @ApiOperation({ summary: '家庭教育文章与资源库（市教育局维护；公开，无需登录）' })
  @ApiOkResponse({ type: ArticleListDto })
  library(@Query() query: ArticleQueryDto): Promise<ArticleListDto> {
    return this.articles.publicList(query);
  }

  @Get('articles/:id')
  @ApiOperation({ summary: '文库中的一篇已发布文章或资源（公开，无需登录；草稿与已删除的为 404）' })
  @ApiOkResponse({ type: ArticleDto })
  article(@Param('id') id: string): Promise<ArticleDto> {
    return this.articles.publicArticle(id);
  }
}
