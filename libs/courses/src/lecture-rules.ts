import { DomainError } from '@jiaxiao/common';
import { Audience } from '@jiaxiao/db';
import { LectureRow } from './courses.repository';
import { AudienceDto } from './dto/lecture.dto';

// The checks a lecture's fields pass on creation and change.

export function toAudience(dto: AudienceDto): Audience {
  const need = (field: string, value: unknown) => {
    if (value === undefined) throw new DomainError('VALIDATION_FAILED', {}, [{ field: `audience.${field}`, constraint: 'isDefined' }]);
  };
  switch (dto.scope) {
    case 'city':
      return { scope: 'city' };
    case 'district':
      need('districtId', dto.districtId);
      return { scope: 'district', districtId: dto.districtId as string };
    case 'school':
      need('schoolId', dto.schoolId);
      return { scope: 'school', schoolId: dto.schoolId as string };
    case 'grades':
      need('schoolId', dto.schoolId);
      need('grades', dto.grades);
      return { scope: 'grades', schoolId: dto.schoolId as string, grades: dto.grades as number[] };
    case 'classes':
      need('schoolId', dto.schoolId);
      need('classIds', dto.classIds);
      return { scope: 'classes', schoolId: dto.schoolId as string, classIds: dto.classIds as string[] };
    case 'committee_chairs':
      return { scope: 'committee_chairs', districtId: dto.districtId, schoolId: dto.schoolId };
    case 'teachers':
      return { scope: 'teachers', districtId: dto.districtId, schoolId: dto.schoolId };
  }
}

export function organiserOf(audience: Audience, planSchoolId?: string): { schoolId?: string; districtId?: string } {
  if (planSchoolId) return { schoolId: planSchoolId };
  if ('schoolId' in audience && audience.schoolId) return { schoolId: audience.schoolId };
  if ('districtId' in audience && audience.districtId) return { districtId: audience.districtId };
  return {};
}

export function assertTimes(startsAt: Date, endsAt: Date): void {
  if (endsAt.getTime() <= startsAt.getTime())
    throw new DomainError('VALIDATION_FAILED', {}, [{ field: 'endsAt', constraint: 'isAfterStart' }]);
}

export function assertHalfHours(hours: number): void {
  if (Math.round(hours * 2) !== hours * 2)
    throw new DomainError('VALIDATION_FAILED', {}, [{ field: 'creditHours', constraint: 'halfHours' }]);
}

/** A session credits at most its own length: 2 class-hours need at least 2 hours between start and end. */
export function assertWithinSession(hours: number, startsAt: Date, endsAt: Date): void {
  const sessionHours = (endsAt.getTime() - startsAt.getTime()) / 3600_000;
  if (hours > sessionHours) {
    throw new DomainError('VALIDATION_FAILED', {}, [
      { field: 'creditHours', constraint: 'withinSessionLength', args: [Math.floor(sessionHours * 2) / 2] },
    ]);
  }
}

/** The key of the inbox entries a lecture's move or cancellation writes with its event: one set per event. */
export const lectureEventKey = (eventId: number) => `lecture-event:${eventId}`;

/** How long before a lecture's start each reminder goes out. */
export const REMINDERS = { '24h': 24 * 3600_000, '1h': 3600_000 } as const;

/** One reminder job per lecture, window and start time: moving the lecture gives new ids, a retried enqueue the same. */
export function reminderJobId(lecture: Pick<LectureRow, 'id' | 'startsAt'>, window: string): string {
  return `lecture-remind-${lecture.id}-${window}-${lecture.startsAt.getTime()}`;
}
