import { ApiProperty } from '@nestjs/swagger';

export class UnconfirmedNoticeDto {
  @ApiProperty({
    enum: ['class', 'school'],
    description: 'class: a notice in a class group (POST /class-notices/:id/remind); school: 校务公开 (POST /school-notices/:id/remind)',
  })
  kind: 'class' | 'school';
  @ApiProperty({ description: 'the message id (class) or the school notice id (school)' }) id: string;
  @ApiProperty() title: string;
  @ApiProperty() createdAt: string;
  @ApiProperty({ nullable: true, type: String, description: 'the class of a class-group notice' }) classId: string | null;
  @ApiProperty({ nullable: true, type: String }) className: string | null;
  @ApiProperty({ description: 'families it reached within the caller’s scope (a family counts once)' }) total: number;
  @ApiProperty({ description: 'of those, the families that confirmed (any guardian)' }) confirmed: number;
  @ApiProperty({
    description:
      'whether the caller may send 提醒未确认 (a class notice: the class’s teachers and its school’s coordinators; a school notice: its school’s coordinators)',
  })
  canRemind: boolean;
}

export class UnconfirmedNoticeListDto {
  @ApiProperty({ type: [UnconfirmedNoticeDto] }) items: UnconfirmedNoticeDto[];
}

export class ClassNoticeRemindDto {
  @ApiProperty() messageId: string;
  @ApiProperty({ description: 'guardians the reminder goes to' }) reminded: number;
}
