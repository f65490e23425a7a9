import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { areaScopeOf, DomainError, formatShanghai, Principal, schoolYearOf } from '@jiaxiao/common';
import { Audience, DbExecutor } from '@jiaxiao/db';
import { LectureRoomService } from '@jiaxiao/messaging';
import { NotificationsService } from '@jiaxiao/notifications';
import { AuditService, OutboxService } from '@jiaxiao/platform';
import { audienceIncludes, audienceWithin } from './audience';
import { chairAudienceIncludes, ChairPlaces, placeAudienceIncludes } from './chair-places.service';
import { CoursesRepository, LectureRow } from './courses.repository';
import { CoursePlanRepository } from './course-plan.repository';
import { LectureRepository } from './lecture.repository';
import { RegistrationRepository } from './registration.repository';
import { AudienceDto, CreateLectureDto, LectureDto, LectureListQueryDto, UpdateLectureDto } from './dto/lecture.dto';
import { withLinksInScope } from './lecture-links';
import { toLectureDto } from './lecture.mapper';
import { assertHalfHours, assertTimes, assertWithinSession, lectureEventKey, organiserOf, toAudience } from './lecture-rules';
import { TeacherTrainingRepository } from './teacher-training.repository';

type PreparedLecture = Parameters<LectureRepository['insertLecture']>[0];

/**
 * Lectures (父母大讲堂, 家庭教育农村行, school courses, chair training): drafting, publishing,
 * moving, cancelling (publishing, moving and cancelling record a domain event that LectureReactor
 * follows; a move's or cancellation's notices are written with it, and pushed after it, as are a
 * promotion's from the waitlist with its own event).
 * Registration, the waitlist and reminders: LectureRegistrationService.
 */
@Injectable()
export class LectureService {
  constructor(
    private readonly repository: CoursesRepository,
    private readonly coursePlanRepository: CoursePlanRepository,
    private readonly lectureRepository: LectureRepository,
    private readonly registrationRepository: RegistrationRepository,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly chairs: ChairPlaces,
    private readonly rooms: LectureRoomService,
    private readonly teachers: TeacherTrainingRepository,
  ) {}

  async create(principal: Principal, dto: CreateLectureDto): Promise<LectureDto> {
    const values = await this.prepare(principal, dto);
    const row = await this.repository.transaction((tx) => this.insert(principal, values, tx));
    return toLectureDto(row, 0);
  }

  /**
   * Drafts several lectures at once (a plan's sessions from a template): each is checked as
   * `create` checks one, a bad one is named by its index (`sessions.2.startsAt`), and all are
   * written in one transaction.
   */
  async createMany(principal: Principal, dtos: CreateLectureDto[]): Promise<LectureRow[]> {
    const prepared: PreparedLecture[] = [];
    for (const [index, dto] of dtos.entries()) {
      try {
        prepared.push(await this.prepare(principal, dto));
      } catch (error) {
        if (error instanceof DomainError && error.code === 'VALIDATION_FAILED') {
          throw new DomainError(
            'VALIDATION_FAILED',
            error.params,
            error.fields.map((f) => ({ ...f, field: `sessions.${index}.${f.field}` })),
          );
        }
        throw error;
      }
    }
    return this.repository.transaction(async (tx) => {
      const rows: LectureRow[] = [];
      for (const values of prepared) rows.push(await this.insert(principal, values, tx));
      return rows;
    });
  }

  private async prepare(principal: Principal, dto: CreateLectureDto): Promise<PreparedLecture> {
    // Teachers' training is for teachers only, and only it is: it never reaches parents' hours.
    if ((dto.series === 'teacher_training') !== (dto.audience.scope === 'teachers')) {
      throw new DomainError('VALIDATION_FAILED', {}, [{ field: 'audience.scope', constraint: 'teachersForTeacherTraining' }]);
    }
    const audience = await this.checkAudience(principal, dto.audience);
    const startsAt = new Date(dto.startsAt);
    const endsAt = new Date(dto.endsAt);
    assertTimes(startsAt, endsAt);
    assertHalfHours(dto.creditHours);
    assertWithinSession(dto.creditHours, startsAt, endsAt);
    const year = await this.repository.schoolYearByName(schoolYearOf(startsAt));
    if (!year) throw new DomainError('SCHOOL_YEAR_NOT_FOUND');
    const plan = dto.planId ? await this.coursePlanRepository.planById(dto.planId) : undefined;
    if (dto.planId && (!plan || plan.schoolYearId !== year.id)) throw new DomainError('PLAN_NOT_FOUND');
    // A plan's sessions are organised by its school, whatever the audience: the creator must manage that school.
    if (plan) {
      const planDistrict = await this.repository.schoolDistrict(plan.schoolId);
      if (!audienceWithin({ scope: 'school', schoolId: plan.schoolId }, areaScopeOf(principal), () => planDistrict))
        throw new DomainError('FORBIDDEN');
    }
    if (dto.makeupOf && !(await this.lectureRepository.lecture(dto.makeupOf))) throw new DomainError('LECTURE_NOT_FOUND');
    const organiser = organiserOf(audience, plan?.schoolId);
    const districtId = organiser.districtId ?? (organiser.schoolId ? await this.repository.schoolDistrict(organiser.schoolId) : undefined);
    return {
      series: dto.series,
      title: dto.title,
      curriculumLabel: dto.curriculumLabel,
      description: dto.description,
      speaker: dto.speaker,
      schoolYearId: year.id,
      planId: dto.planId,
      makeupOf: dto.makeupOf,
      schoolId: organiser.schoolId,
      districtId,
      audience,
      mode: dto.mode,
      startsAt,
      endsAt,
      venue: dto.venue,
      streamUrl: dto.streamUrl,
      replayUrl: dto.replayUrl,
      capacity: dto.capacity,
      registrationCutoff: dto.registrationCutoff ? new Date(dto.registrationCutoff) : undefined,
      creditHours: dto.creditHours,
      lateCheckinMinutes: dto.lateCheckinMinutes,
      minPresencePercent: dto.minPresencePercent,
      checkinSecret: randomBytes(24).toString('hex'),
      createdBy: principal.userId,
    };
  }

  private async insert(principal: Principal, values: PreparedLecture, tx: DbExecutor): Promise<LectureRow> {
    const inserted = await this.lectureRepository.insertLecture(values, tx);
    await this.audit.record(
      {
        actorId: principal.userId,
        action: 'lecture.created',
        targetType: 'lecture',
        targetId: inserted.id,
        detail: { title: inserted.title },
      },
      tx,
    );
    return inserted;
  }

  /** One lecture as its reader may see it: the stream and replay links only for its audience and the staff in scope. */
  async get(principal: Principal, lectureId: string): Promise<LectureDto> {
    const row = await this.mustGet(lectureId);
    const counts = await this.registrationRepository.registeredCounts([row.id]);
    const dto = toLectureDto(row, counts.get(row.id) ?? 0);
    await withLinksInScope(principal, [{ row, dto }], { repository: this.repository, chairs: this.chairs });
    return dto;
  }

  /** Staff: lectures of a year organised in their area, and every city- and district-level one. */
  async listForStaff(principal: Principal, query: LectureListQueryDto): Promise<{ items: LectureDto[]; total: number }> {
    const year = await this.year(query.schoolYear);
    const area = areaScopeOf(principal);
    const pageSize = query.page === undefined ? undefined : (query.pageSize ?? 20);
    const { rows, total } = await this.lectureRepository.lecturesForStaff({
      schoolYearId: year.id,
      ...area,
      schoolIds: [...area.schoolIds, ...principal.assignments.filter((a) => a.schoolId).map((a) => a.schoolId as string)],
      series: query.series,
      status: query.status,
      q: query.q,
      from: query.from ? new Date(query.from) : undefined,
      to: query.to ? new Date(query.to) : undefined,
      sort: query.sort,
      limit: pageSize,
      offset: pageSize === undefined ? undefined : ((query.page ?? 1) - 1) * pageSize,
    });
    const counts = await this.registrationRepository.registeredCounts(rows.map((r) => r.id));
    const lectures = rows.map((row) => ({ row, dto: toLectureDto(row, counts.get(row.id) ?? 0) }));
    await withLinksInScope(principal, lectures, { repository: this.repository, chairs: this.chairs });
    return { items: lectures.map((l) => l.dto), total };
  }

  /** Parents: published lectures open to any of their children (or to them as a committee chair), with their own registration. */
  async listForGuardian(principal: Principal, schoolYear?: string): Promise<LectureDto[]> {
    const year = await this.year(schoolYear);
    const [children, chairPlaces] = await Promise.all([this.repository.childPlaces(principal.userId), this.chairs.of(principal.userId)]);
    if (children.length === 0 && chairPlaces.length === 0) return [];
    const rows = await this.lectureRepository.lecturesOpenTo(children, year.id, chairPlaces);
    const ids = rows.map((r) => r.id);
    const [counts, mine] = await Promise.all([
      this.registrationRepository.registeredCounts(ids),
      this.registrationRepository.registrationStatuses(principal.userId, ids),
    ]);
    return rows.map((r) => toLectureDto(r, counts.get(r.id) ?? 0, mine.get(r.id) ?? null));
  }

  async update(principal: Principal, lectureId: string, dto: UpdateLectureDto): Promise<LectureDto> {
    const current = await this.mustGet(lectureId);
    if (current.status === 'cancelled' || current.status === 'finished') throw new DomainError('LECTURE_NOT_EDITABLE');
    const startsAt = dto.startsAt ? new Date(dto.startsAt) : current.startsAt;
    const endsAt = dto.endsAt ? new Date(dto.endsAt) : current.endsAt;
    assertTimes(startsAt, endsAt);
    assertWithinSession(current.creditHours, startsAt, endsAt);
    if (schoolYearOf(startsAt) !== schoolYearOf(current.startsAt)) {
      throw new DomainError('VALIDATION_FAILED', {}, [{ field: 'startsAt', constraint: 'sameSchoolYear' }]);
    }
    const { row, events } = await this.repository.transaction(async (tx) => {
      await this.lectureRepository.lockLecture(lectureId, tx);
      const updated = await this.lectureRepository.updateLecture(
        lectureId,
        {
          title: dto.title,
          startsAt,
          endsAt,
          venue: dto.venue,
          capacity: dto.capacity,
          registrationCutoff: dto.registrationCutoff ? new Date(dto.registrationCutoff) : undefined,
          streamUrl: dto.streamUrl,
          replayUrl: dto.replayUrl,
          lateCheckinMinutes: dto.lateCheckinMinutes,
          minPresencePercent: dto.minPresencePercent,
        },
        tx,
      );
      // New seats go to the waitlist first, in order, under the same lock: a later registration
      // must not take a seat someone has been waiting for.
      const seated = dto.capacity !== undefined && updated.status === 'published' ? await this.seatWaitlisted(updated, tx) : [];
      const promoted = await this.recordPromotion(seated, updated, '讲座增加了名额，您已从候补转为正式报名。', tx);
      await this.audit.record(
        { actorId: principal.userId, action: 'lecture.updated', targetType: 'lecture', targetId: updated.id, detail: { ...dto } },
        tx,
      );
      if (updated.status !== 'published' || startsAt.getTime() === current.startsAt.getTime())
        return { row: updated, events: promoted === undefined ? [] : [promoted] };
      const id = await this.outbox.record(tx, 'lecture.rescheduled', {
        lectureId,
        from: current.startsAt.toISOString(),
        to: updated.startsAt.toISOString(),
      });
      const registered = await this.registrationRepository.registeredUserIds(lectureId, ['registered', 'waitlisted'], tx);
      await this.notifications.create(
        this.notices(
          registered,
          updated,
          'lecture.moved',
          `【时间调整】${updated.title}`,
          `讲座时间调整为 ${formatShanghai(updated.startsAt)}，请合理安排。`,
          lectureEventKey(id),
        ),
        tx,
      );
      return { row: updated, events: promoted === undefined ? [id] : [promoted, id] };
    });
    if (events.length > 0) await this.outbox.publish(...events);
    return this.get(principal, row.id);
  }

  async publish(principal: Principal, lectureId: string): Promise<LectureDto> {
    const current = await this.mustGet(lectureId);
    if (current.status !== 'draft') throw new DomainError('LECTURE_NOT_EDITABLE');
    const row = await this.repository.transaction(async (tx) => {
      const published = await this.lectureRepository.updateLecture(lectureId, { status: 'published' }, tx);
      await this.audit.record(
        { actorId: principal.userId, action: 'lecture.published', targetType: 'lecture', targetId: published.id },
        tx,
      );
      return {
        ...published,
        event: await this.outbox.record(tx, 'lecture.published', { lectureId, startsAt: published.startsAt.toISOString() }),
      };
    });
    await this.outbox.publish(row.event);
    // The Q&A room opens with the lecture; its creator answers there (messaging's job for the event
    // opens it too, so a crash before this line leaves no lecture without its room).
    await this.rooms.join(row, [{ userId: row.createdBy ?? principal.userId, role: 'staff' }]);
    return this.get(principal, row.id);
  }

  /** Cancels a lecture and tells everyone registered or waiting. */
  async cancel(principal: Principal, lectureId: string): Promise<LectureDto> {
    const current = await this.mustGet(lectureId);
    if (current.status === 'cancelled' || current.status === 'finished') throw new DomainError('LECTURE_NOT_EDITABLE');
    const registered = await this.registrationRepository.registeredUserIds(lectureId, ['registered', 'waitlisted']);
    const row = await this.repository.transaction(async (tx) => {
      const cancelled = await this.lectureRepository.updateLecture(lectureId, { status: 'cancelled' }, tx);
      await this.audit.record(
        {
          actorId: principal.userId,
          action: 'lecture.cancelled',
          targetType: 'lecture',
          targetId: cancelled.id,
          detail: { notified: registered.length },
        },
        tx,
      );
      const id = await this.outbox.record(tx, 'lecture.cancelled', { lectureId, startsAt: cancelled.startsAt.toISOString() });
      await this.notifications.create(
        this.notices(
          registered,
          cancelled,
          'lecture.cancelled',
          `【讲座取消】${cancelled.title}`,
          `原定 ${formatShanghai(cancelled.startsAt)} 的讲座已取消，给您带来不便，敬请谅解。`,
          lectureEventKey(id),
        ),
        tx,
      );
      return { ...cancelled, event: id };
    });
    await this.outbox.publish(row.event);
    return this.get(principal, row.id);
  }

  /** Gives free seats to the longest-waiting guardians; returns who was promoted. The lecture must be locked. */
  private async seatWaitlisted(lecture: LectureRow, tx: DbExecutor): Promise<string[]> {
    const promoted: string[] = [];
    let taken = await this.registrationRepository.countRegistered(lecture.id, tx);
    while (lecture.capacity === null || taken < lecture.capacity) {
      const next = await this.registrationRepository.firstWaitlisted(lecture.id, tx);
      if (!next) break;
      await this.registrationRepository.setRegistrationStatus(next.id, 'registered', tx);
      promoted.push(next.userId);
      taken += 1;
    }
    return promoted;
  }

  /**
   * Tells the guardians just seated from the waitlist, in the transaction that seated them: their
   * notices are written with a `registration.promoted` event, whose reactor queues their push.
   * Returns the event's id to publish after the commit (none when nobody was seated).
   */
  async recordPromotion(userIds: string[], lecture: LectureRow, why: string, tx: DbExecutor): Promise<number | undefined> {
    if (userIds.length === 0) return undefined;
    const id = await this.outbox.record(tx, 'registration.promoted', { lectureId: lecture.id });
    const body = `${why}讲座时间：${formatShanghai(lecture.startsAt)}。`;
    await this.notifications.create(
      this.notices(userIds, lecture, 'lecture.promoted', `【报名成功】${lecture.title}`, body, lectureEventKey(id)),
      tx,
    );
    return id;
  }

  /** Writes and pushes notices about a lecture to these users now. */
  async notify(userIds: string[], lecture: LectureRow, kind: string, title: string, body: string, dedupe?: string): Promise<void> {
    await this.notifications.dispatch(await this.notifications.create(this.notices(userIds, lecture, kind, title, body, dedupe)));
  }

  private notices(userIds: string[], lecture: LectureRow, kind: string, title: string, body: string, dedupe?: string) {
    const data = { lectureId: lecture.id, title: lecture.title, startsAt: lecture.startsAt.toISOString(), schoolId: lecture.schoolId };
    return userIds.map((userId) => ({ userId, kind, title, body, data, dedupeKey: dedupe, deliverAt: new Date() }));
  }

  // ── helpers ───────────────────────────────────────────────────────────────────

  /** The school (none for a district's or the city's) and school year of a lecture, for other contexts. */
  async place(lectureId: string): Promise<{ schoolId: string | null; schoolYearId: string } | undefined> {
    const row = await this.lectureRepository.lecture(lectureId);
    return row && { schoolId: row.schoolId, schoolYearId: row.schoolYearId };
  }

  async mustGet(lectureId: string): Promise<LectureRow> {
    const row = await this.lectureRepository.lecture(lectureId);
    if (!row) throw new DomainError('LECTURE_NOT_FOUND');
    return row;
  }

  /** A child in the principal (resolved with its places for this request) settles it without a lookup. */
  async assertInAudience(principal: Principal, lecture: LectureRow): Promise<void> {
    if (principal.children.some((c) => audienceIncludes(lecture.audience, c))) return;
    if (!(await this.inAudience(principal.userId, lecture))) throw new DomainError('LECTURE_NOT_IN_AUDIENCE');
  }

  /**
   * Whether any child of this guardian is in the lecture's audience, or (chair_training) the guardian chairs a committee it is for,
   * or (teacher_training) the user teaches or coordinates at a school it is for.
   */
  async inAudience(guardianId: string, lecture: LectureRow): Promise<boolean> {
    if (lecture.audience.scope === 'teachers')
      return placeAudienceIncludes(lecture.audience, await this.teachers.teacherPlaces(guardianId));
    if (lecture.audience.scope === 'committee_chairs') return chairAudienceIncludes(lecture.audience, await this.chairs.of(guardianId));
    const children = await this.repository.childPlaces(guardianId);
    return children.some((c) => audienceIncludes(lecture.audience, c));
  }

  private async year(name?: string) {
    const year = await this.repository.schoolYearByName(name ?? schoolYearOf(new Date()));
    if (!year) throw new DomainError('SCHOOL_YEAR_NOT_FOUND');
    return year;
  }

  private async checkAudience(principal: Principal, dto: AudienceDto): Promise<Audience> {
    const audience = toAudience(dto);
    const districtOf = new Map<string, string | undefined>();
    if ('schoolId' in audience && audience.schoolId)
      districtOf.set(audience.schoolId, await this.repository.schoolDistrict(audience.schoolId));
    if ('schoolId' in audience && audience.schoolId && !districtOf.get(audience.schoolId)) throw new DomainError('SCHOOL_NOT_FOUND');
    if (audience.scope === 'classes') {
      const ofSchool = new Set(await this.repository.classesOfSchool(audience.schoolId));
      if (!audience.classIds.every((id) => ofSchool.has(id))) throw new DomainError('CLASS_NOT_FOUND');
    }
    if (!audienceWithin(audience, areaScopeOf(principal), (id) => districtOf.get(id))) throw new DomainError('AUDIENCE_OUT_OF_SCOPE');
    return audience;
  }
}
