import { Injectable } from '@nestjs/common';
import { DomainError, Principal } from '@jiaxiao/common';
import { LectureRoomService } from '@jiaxiao/messaging';
import { CoursesRepository, LectureRow } from './courses.repository';
import { LectureRoomDto, OpenRoomDto } from './dto/material.dto';
import { LectureService } from './lecture.service';

/**
 * The lecture's Q&A room (讲座答疑): opened when the lecture is published, with its creator as the
 * one who answers; registering joins a parent, and anyone in the audience may enter it, during and
 * after the lecture. Staff who manage the lecture enter as staff and may bring the speaker in.
 */
@Injectable()
export class LectureQaService {
  constructor(
    private readonly repository: CoursesRepository,
    private readonly lectures: LectureService,
    private readonly rooms: LectureRoomService,
  ) {}

  /** A parent (or a teacher of a teachers' training) in the audience enters as a member. */
  async enter(principal: Principal, lectureId: string): Promise<LectureRoomDto> {
    const lecture = await this.openLecture(lectureId);
    await this.lectures.assertInAudience(principal, lecture);
    const conversationId = await this.rooms.join(lecture, [{ userId: principal.userId, role: 'member' }]);
    return { lectureId, conversationId, role: (await this.rooms.roleOf(conversationId, principal.userId)) ?? 'member' };
  }

  /** Staff who manage the lecture enter to answer, and may add the speaker's account to answer too. */
  async enterAsStaff(principal: Principal, lectureId: string, dto: OpenRoomDto): Promise<LectureRoomDto> {
    const lecture = await this.openLecture(lectureId);
    const people = [{ userId: principal.userId, role: 'staff' as const }];
    if (dto.speakerPhone) {
      const speaker = await this.repository.userByPhone(dto.speakerPhone);
      if (!speaker) throw new DomainError('USER_NOT_FOUND');
      people.push({ userId: speaker.id, role: 'staff' });
    }
    const conversationId = await this.rooms.join(lecture, people);
    return { lectureId, conversationId, role: 'staff' };
  }

  private async openLecture(lectureId: string): Promise<LectureRow> {
    const lecture = await this.lectures.mustGet(lectureId);
    if (lecture.status !== 'published' && lecture.status !== 'finished') throw new DomainError('LECTURE_ROOM_NOT_OPEN');
    return lecture;
  }
}
