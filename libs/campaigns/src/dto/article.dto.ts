import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUrl, MaxLength, MinLength } from 'class-validator';
import { ARTICLE_KINDS, ARTICLE_STATUSES, ArticleKind, ArticleStatus } from '@jiaxiao/db';

export class CreateArticleDto {
  @ApiProperty({ enum: ARTICLE_KINDS, description: 'article 文章 · resource 资源（可带外部链接）' }) @IsIn(ARTICLE_KINDS) kind: ArticleKind;
  @ApiProperty({ example: '如何陪伴孩子度过青春期' }) @IsString() @MinLength(2) @MaxLength(100) title: string;
  @ApiProperty({ example: '家教知识' }) @IsString() @MinLength(1) @MaxLength(40) category: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(300) summary?: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(20000) body: string;
  @ApiPropertyOptional({ example: 'https://jyj.weifang.gov.cn/jtjy/1.html' })
  @IsOptional()
  @IsUrl({ require_protocol: true, protocols: ['http', 'https'] })
  @MaxLength(500)
  linkUrl?: string;
  @ApiPropertyOptional({ enum: ARTICLE_STATUSES, description: 'draft (default) or published: only published ones are public' })
  @IsOptional()
  @IsIn(ARTICLE_STATUSES)
  status?: ArticleStatus;
}

export class UpdateArticleDto extends PartialType(CreateArticleDto) {}

export class ArticleQueryDto {
  @ApiPropertyOptional({ enum: ARTICLE_KINDS }) @IsOptional() @IsIn(ARTICLE_KINDS) kind?: ArticleKind;
  @ApiPropertyOptional({ example: '家教知识' }) @IsOptional() @IsString() @MaxLength(40) category?: string;
}

export class ArticleDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: ARTICLE_KINDS }) kind: string;
  @ApiProperty() title: string;
  @ApiProperty() category: string;
  @ApiProperty({ nullable: true, type: String }) summary: string | null;
  @ApiProperty() body: string;
  @ApiProperty({ nullable: true, type: String }) linkUrl: string | null;
  @ApiProperty({ enum: ARTICLE_STATUSES }) status: string;
  @ApiProperty({ nullable: true, type: String }) publishedAt: string | null;
  @ApiProperty() updatedAt: string;
}

export class ArticleListDto {
  @ApiProperty({ type: [ArticleDto] }) items: ArticleDto[];
  @ApiProperty({ nullable: true, type: String, description: 'always null: the newest 200' }) nextCursor: null;
}

export class PublicEntryDto {
  @ApiProperty() id: string;
  @ApiProperty() campaignId: string;
  @ApiProperty() campaignTitle: string;
  @ApiProperty({ description: 'family_story 家风家训故事 · reading_family 书香之家' }) campaignKind: string;
  @ApiProperty({ description: 'the family name the household chose to publish, e.g. 陈家' }) familyName: string;
  @ApiProperty() title: string;
  @ApiProperty() body: string;
  @ApiProperty({ nullable: true, type: String }) award: string | null;
  @ApiProperty() likeCount: number;
  @ApiProperty() publishedAt: string;
}

export class PublicEntryListDto {
  @ApiProperty({ type: [PublicEntryDto] }) items: PublicEntryDto[];
  @ApiProperty({ nullable: true, type: String, description: 'always null: the newest 200' }) nextCursor: null;
}
