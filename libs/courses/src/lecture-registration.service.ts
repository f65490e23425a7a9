import { Injectable } from '@nestjs/common';
import { DomainError, formatShanghai, JobPayloads, Principal } from '@jiaxiao/common';
import { LectureRoomService } from '@jiaxiao/messaging';
import { OutboxService } from '@jiaxiao/platform';
import { CoursesRepository } from './courses.repository';
import { LectureRepository } from './lecture.repository';
import { LectureService } from './lecture.service';
import { RegistrationRepository } from './registration.repository';
import { RegistrationDto } from './dto/lecture.dto';

/**
 * Registration for a lecture with capacity and a waitlist (a freed seat goes to the longest
 * waiting, who is told: the notice is written with the seat and pushed after it), and the
 * reminders 24 h and 1 h before to those registered.
 */
@Injectable()
export class LectureRegistrationService {
  constructor(
    private readonly lectures: LectureService,
    private readonly repository: CoursesRepository,
    private readonly lectureRepository: LectureRepository,
    private readonly registrationRepository: RegistrationRepository,
    private readonly rooms: LectureRoomService,
    private readonly outbox: OutboxService,
  ) {}

  /**
   * Registers a guardian: a seat while there is one, else the waitlist. The lecture row is
   * locked for the decision, so concurrent registrations never overfill it. Idempotent.
   */
  async register(principal: Principal, lectureId: string): Promise<RegistrationDto> {
    const lecture = await this.lectures.mustGet(lectureId);
    await this.lectures.assertInAudience(principal, lecture);
    if (lecture.status !== 'published' || lecture.endsAt.getTime() <= Date.now()) throw new DomainError('LECTURE_NOT_OPEN');
    const cutoff = lecture.registrationCutoff ?? lecture.startsAt;
    if (Date.now() > cutoff.getTime()) throw new DomainError('REGISTRATION_CLOSED');
    const { status, event } = await this.repository.transaction(async (tx) => {
      const locked = await this.lectureRepository.lockLecture(lectureId, tx);
      if (!locked) throw new DomainError('LECTURE_NOT_FOUND');
      const existing = await this.registrationRepository.registration(lectureId, principal.userId, tx);
      if (existing && existing.status !== 'cancelled') return { status: existing.status, event: undefined };
      const taken = await this.registrationRepository.countRegistered(lectureId, tx);
      const next = locked.capacity === null || taken < locked.capacity ? 'registered' : 'waitlisted';
      await this.registrationRepository.upsertRegistration(lectureId, principal.userId, next, tx);
      return { status: next, event: await this.outbox.record(tx, 'registration.made', { lectureId, userId: principal.userId }) };
    });
    if (event !== undefined) await this.outbox.publish(event);
    // Registered or waiting, the parent may ask in the lecture's Q&A room: at once, for the answer
    // (the event's job adds them if a crash comes first).
    await this.rooms.join(lecture, [{ userId: principal.userId, role: 'member' }]);
    return { lectureId, status };
  }

  /** Cancels a registration; a freed seat goes to the longest-waiting guardian, who is told. */
  async unregister(principal: Principal, lectureId: string): Promise<RegistrationDto> {
    const lecture = await this.lectures.mustGet(lectureId);
    const promoted = await this.repository.transaction(async (tx) => {
      const locked = await this.lectureRepository.lockLecture(lectureId, tx);
      const existing = await this.registrationRepository.registration(lectureId, principal.userId, tx);
      if (!existing || existing.status === 'cancelled') throw new DomainError('REGISTRATION_NOT_FOUND');
      await this.registrationRepository.setRegistrationStatus(existing.id, 'cancelled', tx);
      // A cancelled lecture has no seat to hand on: promoting would tell someone they got one.
      if (existing.status !== 'registered' || locked?.status !== 'published') return undefined;
      const next = await this.registrationRepository.firstWaitlisted(lectureId, tx);
      if (!next) return undefined;
      await this.registrationRepository.setRegistrationStatus(next.id, 'registered', tx);
      return this.lectures.recordPromotion([next.userId], lecture, '有家长取消报名，您已从候补转为正式报名。', tx);
    });
    if (promoted !== undefined) await this.outbox.publish(promoted);
    return { lectureId, status: 'cancelled' };
  }

  async registrations(lectureId: string) {
    return this.registrationRepository.registrationsOf(lectureId);
  }

  /** The reminder job: sent only if the lecture still starts when it was planned, only to those still registered. */
  async remind(payload: JobPayloads['lecture.remind']): Promise<void> {
    const lecture = await this.lectureRepository.lecture(payload.lectureId);
    if (!lecture || lecture.status !== 'published' || lecture.startsAt.toISOString() !== payload.startsAt) return;
    const registered = await this.registrationRepository.registeredUserIds(lecture.id);
    const when = payload.window === '24h' ? '明天' : '1 小时后';
    await this.lectures.notify(
      registered,
      lecture,
      'lecture.remind',
      `【讲座提醒】${lecture.title}`,
      `${when}（${formatShanghai(lecture.startsAt)}）开始${lecture.venue ? `，地点：${lecture.venue}` : ''}。`,
      `remind:${lecture.id}:${payload.window}:${payload.startsAt}`,
    );
  }
}
