import { Injectable, OnModuleInit } from '@nestjs/common';
import { DomainError, Principal } from '@jiaxiao/common';
import { GroupRoster, GroupRosters, LectureRoomService } from '@jiaxiao/messaging';
import { CoursesRepository, LectureRow } from './courses.repository';
import { LectureRoomDto, OpenRoomDto } from './dto/material.dto';
import { LectureRepository } from './lecture.repository';
import { LectureService } from './lecture.service';
import { RegistrationRepository } from './registration.repository';

/**
 * The lecture's Q&A room (讲座答疑): opened when the lecture is published, with its creator as the
 * one who answers; registering joins a parent, and anyone in the audience may enter it, during and
 * after the lecture. Staff who manage the lecture enter as staff and may bring the speaker in.
 * Publishing and registering join at once and record their event (`lecture.published`,
 * `registration.made`), whose messaging job adds whoever a crash left out (the roster below).
 */
@Injectable()
export class LectureQaService implements OnModuleInit {
  constructor(
    private readonly repository: CoursesRepository,
    private readonly lectures: LectureService,
    private readonly rooms: LectureRoomService,
    private readonly rosters: GroupRosters,
    private readonly lectureRepository: LectureRepository,
    private readonly registrationRepository: RegistrationRepository,
  ) {}

  onModuleInit(): void {
    this.rosters.register('lecture_room', (lectureId) => this.roomRoster(lectureId));
  }

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

  /** Who the room must hold: its organiser as staff, every registered or waiting guardian as a member; none before it is published. */
  private async roomRoster(lectureId: string): Promise<GroupRoster | undefined> {
    const lecture = await this.lectureRepository.lecture(lectureId);
    if (!lecture || (lecture.status !== 'published' && lecture.status !== 'finished')) return undefined;
    const guardians = await this.registrationRepository.registeredUserIds(lectureId, ['registered', 'waitlisted']);
    const people: GroupRoster['people'] = lecture.createdBy ? [{ userId: lecture.createdBy, role: 'staff' }] : [];
    for (const userId of guardians) if (userId !== lecture.createdBy) people.push({ userId, role: 'member' });
    return { ref: { id: lecture.id, title: lecture.title, schoolId: lecture.schoolId }, people };
  }

  private async openLecture(lectureId: string): Promise<LectureRow> {
    const lecture = await this.lectures.mustGet(lectureId);
    if (lecture.status !== 'published' && lecture.status !== 'finished') throw new DomainError('LECTURE_ROOM_NOT_OPEN');
    return lecture;
  }
}
