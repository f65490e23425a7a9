import { Inject, Injectable } from '@nestjs/common';
import { and, asc, eq, gte, inArray, lt, notInArray } from 'drizzle-orm';
import { DB, Database, lectures, LectureSeries } from '@jiaxiao/db';
import { districtPlaces, schoolPlaces } from '@jiaxiao/directory';

/** Series for a closed audience (committee chairs, teachers): never on the public calendar. */
const NOT_PUBLIC_SERIES: LectureSeries[] = ['chair_training', 'teacher_training'];

@Injectable()
export class PublicCalendarRepository {
  constructor(@Inject(DB) private readonly db: Database) {}

  /** Announced lectures starting in [from, to), first first, at most 500. */
  calendar(from: Date, to: Date) {
    return this.db
      .select({
        id: lectures.id,
        title: lectures.title,
        series: lectures.series,
        mode: lectures.mode,
        status: lectures.status,
        startsAt: lectures.startsAt,
        endsAt: lectures.endsAt,
        creditHours: lectures.creditHours,
        speaker: lectures.speaker,
        venue: lectures.venue,
        audience: lectures.audience,
        schoolName: schoolPlaces.name,
        districtName: districtPlaces.name,
      })
      .from(lectures)
      .leftJoin(schoolPlaces, eq(schoolPlaces.id, lectures.schoolId))
      .leftJoin(districtPlaces, eq(districtPlaces.id, lectures.districtId))
      .where(
        and(
          inArray(lectures.status, ['published', 'finished']),
          notInArray(lectures.series, NOT_PUBLIC_SERIES),
          gte(lectures.startsAt, from),
          lt(lectures.startsAt, to),
        ),
      )
      .orderBy(asc(lectures.startsAt), asc(lectures.id))
      .limit(500);
  }
}
