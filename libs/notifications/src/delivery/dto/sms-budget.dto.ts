import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min, ValidateIf } from 'class-validator';

export class SmsBudgetDto {
  @ApiProperty() schoolId!: string;
  @ApiProperty({ description: '自然月（北京时间），YYYY-MM', example: '2026-12' }) month!: string;
  @ApiProperty({ description: '本月可发短信条数' }) limit!: number;
  @ApiProperty({ description: '本月已用' }) used!: number;
  @ApiProperty() remaining!: number;
  @ApiProperty({ enum: ['default', 'school'], description: 'default：全市默认额度；school：本校单独设定' }) source!: 'default' | 'school';
}

export class SetSmsBudgetDto {
  @ApiProperty({ nullable: true, description: '每月条数；null 恢复全市默认额度' })
  @ValidateIf((_, value) => value !== null)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  monthlyLimit!: number | null;
}
