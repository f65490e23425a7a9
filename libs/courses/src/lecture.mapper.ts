import { isoShanghai } from '@jiaxiao/common';
import { AudienceDto, LectureDto } from './dto/lecture.dto';
import { LectureRow } from './courses.repository';

export function toLectureDto(row: LectureRow, registered: number, myRegistration?: string | null): LectureDto {
  const dto: LectureDto = {
    id: row.id,
    title: row.title,
    series: row.series,
    mode: row.mode,
    startsAt: isoShanghai(row.startsAt),
    endsAt: isoShanghai(row.endsAt),
    creditHours: row.creditHours,
    status: row.status,
    curriculumLabel: row.curriculumLabel,
    speaker: row.speaker,
    venue: row.venue,
    streamUrl: row.streamUrl,
    replayUrl: row.replayUrl,
    capacity: row.capacity,
    registered,
    registrationCutoff: row.registrationCutoff ? isoShanghai(row.registrationCutoff) : null,
    audience: row.audience as AudienceDto,
    planId: row.planId,
    makeupOf: row.makeupOf,
    lateCheckinMinutes: row.lateCheckinMinutes,
    minPresencePercent: row.minPresencePercent,
  };
  if (myRegistration !== undefined) dto.myRegistration = myRegistration;
  return dto;
}
