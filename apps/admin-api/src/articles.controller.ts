import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Principal } from '@jiaxiao/common';
import { Authorize, CurrentUser } from '@jiaxiao/auth';
import { ArticleDto, ArticleListDto, ArticleQueryDto, ArticleService, CreateArticleDto, UpdateArticleDto } from '@jiaxiao/campaigns';

/** The bureau's article and resource library (city staff). */
@ApiTags('articles')
@ApiBearerAuth()
@Controller('articles')
export class ArticlesController {
  constructor(private readonly articles: ArticleService) {}

  @Post()
  @ApiOperation({ summary: '新建文章或资源（市教育局；status=published 即公开）' })
  @ApiCreatedResponse({ type: ArticleDto })
  create(@CurrentUser() principal: Principal, @Body() body: CreateArticleDto): Promise<ArticleDto> {
    return this.articles.create(principal, body);
  }

  @Get()
  @ApiOperation({ summary: '文章与资源（含草稿，市教育局）' })
  @ApiOkResponse({ type: ArticleListDto })
  list(@CurrentUser() principal: Principal, @Query() query: ArticleQueryDto): Promise<ArticleListDto> {
    return this.articles.listForStaff(principal, query);
  }

  @Patch(':id')
  @Authorize('manage', 'article')
  @ApiOperation({ summary: '修改、发布或撤回文章与资源' })
  @ApiOkResponse({ type: ArticleDto })
  update(@CurrentUser() principal: Principal, @Param('id') id: string, @Body() body: UpdateArticleDto): Promise<ArticleDto> {
    return this.articles.update(principal, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @Authorize('manage', 'article')
  @ApiOperation({ summary: '删除文章或资源' })
  @ApiNoContentResponse()
  remove(@CurrentUser() principal: Principal, @Param('id') id: string): Promise<void> {
    return this.articles.remove(principal, id);
  }
}
