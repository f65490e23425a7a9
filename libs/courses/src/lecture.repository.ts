import { Inject, Injectable } from '@nestjs/common';
import { and, asc, desc, eq, gt, gte, ilike, inArray, isNull, lt, ne, or, sql, SQL } from 'drizzle-orm';
import { DB, Database, DbExecutor, lectures, registrations } from '@jiaxiao/db';
import { Coalescer, ReadCache, ReadCaches } from '@jiaxiao/platform';
import { LectureRow, StaffLectureFilter, ChildPlace } from './courses.repository';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Lectures a process keeps: a city's lectures of a few days. */
const CACHED_LECTURES = 5_000;

/** Lectures and who each is open to. */
@Injectable()
export class LectureRepository {
  private lecturesStatement?: ReturnType<LectureRepository['prepareLectures']>;
  /** The access rule reads the lecture of every lecture route: the reads of one turn of the event loop (a hall scanning at once) share one statement. */
  private readonly reads = new Coalescer<string, LectureRow | undefined>(
    async (ids) => {
      this.lecturesStatement ??= this.prepareLectures();
      // Not a uuid: no lecture (one such id must not fail the statement of the others).
      const rows = await this.lecturesStatement.execute({ ids: JSON.stringify([...new Set(ids.filter((id) => UUID.test(id)))]) });
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => ({ ok: true, value: byId.get(id) }));
    },
    { max: 500, concurrency: 2 },
  );

  /**
   * The lectures the access rule read (every lecture route reads its lecture there, and a hall of
   * parents scanning out of one lecture reads the same row two thousand times): a process keeps
   * them until any lecture changes (the `courses` notification of every write to lectures,
   * registrations, school years, requirements or committees).
   */
  private readonly kept: ReadCache<string, LectureRow>;

  constructor(
    @Inject(DB) private readonly db: Database,
    caches: ReadCaches,
  ) {
    this.kept = caches.create('lecture', { max: CACHED_LECTURES, flushOn: ['courses'] });
  }

  /** Read after the call, in one prepared statement with the concurrent reads (jobs and events acting on a change read it here). */
  lecture(id: string): Promise<LectureRow | undefined> {
    return this.reads.call(id);
  }

  /**
   * The lecture as this process last read it, for the access rule: this process's own writes are
   * seen at once, another process's a moment after its commit (as for the cached caller).
   */
  keptLecture(id: string): Promise<LectureRow | undefined> {
    return this.kept.read(id, async () => {
      const row = await this.reads.call(id);
      return row && { value: row, tags: [] };
    });
  }

  private prepareLectures() {
    return this.db
      .select()
      .from(lectures)
      .where(sql`${lectures.id} in (select value::uuid from jsonb_array_elements_text(${sql.placeholder('ids')}::jsonb))`)
      .prepare('lectures_by_ids');
  }

  /** Locks the lecture row: registrations of one lecture are decided one at a time. */
  async lockLecture(id: string, db: DbExecutor): Promise<LectureRow | undefined> {
    const [row] = await db.select().from(lectures).where(eq(lectures.id, id)).for('update');
    return row;
  }

  async insertLecture(values: typeof lectures.$inferInsert, db: DbExecutor = this.db): Promise<LectureRow> {
    const [row] = await db.insert(lectures).values(values).returning();
    return row;
  }

  async updateLecture(id: string, values: Partial<typeof lectures.$inferInsert>, db: DbExecutor = this.db): Promise<LectureRow> {
    const [row] = await db.update(lectures).set(values).where(eq(lectures.id, id)).returning();
    return row;
  }

  /** Published (or finished) lectures of a year open to any of these children, or to a committee chair with these places. */
  lecturesOpenTo(children: ChildPlace[], schoolYearId: string, chairPlaces: { schoolId: string; districtId: string }[] = []) {
    return this.db
      .select()
      .from(lectures)
      .where(
        and(
          eq(lectures.schoolYearId, schoolYearId),
          inArray(lectures.status, ['published', 'finished']),
          this.audienceMatches(children, chairPlaces),
        ),
      )
      .orderBy(asc(lectures.startsAt));
  }

  /** The published lectures of a year still to end, open to these children or chair places, each with its registered count. */
  upcomingOpenTo(children: ChildPlace[], schoolYearId: string, chairPlaces: { schoolId: string; districtId: string }[] = []) {
    return this.db
      .select({
        lecture: lectures,
        registered: sql<number>`(select count(*)::int from ${registrations} r where r.lecture_id = lectures.id and r.status = 'registered')`,
      })
      .from(lectures)
      .where(
        and(
          eq(lectures.schoolYearId, schoolYearId),
          eq(lectures.status, 'published'),
          gt(lectures.endsAt, sql`now()`),
          this.audienceMatches(children, chairPlaces),
        ),
      )
      .orderBy(asc(lectures.startsAt));
  }

  private audienceMatches(children: ChildPlace[], chairPlaces: { schoolId: string; districtId: string }[]) {
    const scope = sql`${lectures.audience} ->> 'scope'`;
    return or(
      sql`${scope} = 'city'`,
      // chair_training: a city-wide committee_chairs audience takes any chair; a school or district one, the chairs there.
      chairPlaces.length > 0
        ? sql`(${scope} = 'committee_chairs' and ${lectures.audience} ->> 'schoolId' is null and ${lectures.audience} ->> 'districtId' is null)`
        : undefined,
      ...chairPlaces.map(
        (p) =>
          sql`(${scope} = 'committee_chairs' and (${lectures.audience} ->> 'schoolId' = ${p.schoolId} or (${lectures.audience} ->> 'schoolId' is null and ${lectures.audience} ->> 'districtId' = ${p.districtId})))`,
      ),
      ...children.map(
        (c) => sql`(
          (${scope} = 'district' and ${lectures.audience} ->> 'districtId' = ${c.districtId})
          or (${scope} = 'school' and ${lectures.audience} ->> 'schoolId' = ${c.schoolId})
          or (${scope} = 'grades' and ${lectures.audience} ->> 'schoolId' = ${c.schoolId} and ${lectures.audience} -> 'grades' @> ${JSON.stringify([c.grade])}::jsonb)
          or (${scope} = 'classes' and ${lectures.audience} -> 'classIds' @> ${JSON.stringify([c.classId])}::jsonb)
        )`,
      ),
    );
  }

  /** The lectures staff see in a school year, filtered, sorted and optionally paged, with the count of all that match. */
  async lecturesForStaff(filter: StaffLectureFilter): Promise<{ rows: LectureRow[]; total: number }> {
    const visible: SQL | undefined = filter.city
      ? undefined
      : or(
          and(isNull(lectures.schoolId), ne(lectures.status, 'draft')),
          inArray(lectures.schoolId, filter.schoolIds),
          inArray(lectures.districtId, filter.districtIds),
        );
    const q = filter.q?.trim().replace(/[\\%_]/g, (c) => `\\${c}`);
    const where = and(
      eq(lectures.schoolYearId, filter.schoolYearId),
      visible,
      filter.planId ? eq(lectures.planId, filter.planId) : undefined,
      filter.series ? eq(lectures.series, filter.series) : undefined,
      filter.status ? eq(lectures.status, filter.status) : undefined,
      q ? or(ilike(lectures.title, `%${q}%`), ilike(lectures.venue, `%${q}%`)) : undefined,
      filter.from ? gte(lectures.startsAt, filter.from) : undefined,
      filter.to ? lt(lectures.startsAt, filter.to) : undefined,
    );
    const sort = filter.sort ?? 'startsAt';
    const column = { startsAt: lectures.startsAt, creditHours: lectures.creditHours, status: lectures.status, title: lectures.title }[
      sort.replace('-', '') as 'startsAt'
    ];
    const direction = sort.startsWith('-') ? desc : asc;
    const query = this.db
      .select()
      .from(lectures)
      .where(where)
      .orderBy(direction(column), asc(lectures.startsAt), asc(lectures.id))
      .$dynamic();
    const rows = filter.limit === undefined ? await query : await query.limit(filter.limit).offset(filter.offset ?? 0);
    if (filter.limit === undefined) return { rows, total: rows.length };
    const [{ n }] = await this.db
      .select({ n: sql<number>`count(*)::int` })
      .from(lectures)
      .where(where);
    return { rows, total: n };
  }
}
