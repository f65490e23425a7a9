import { Inject, Injectable } from '@nestjs/common';
import { and, asc, desc, eq, inArray, ne, or, SQL, sql } from 'drizzle-orm';
import { CounsellingStatus, counsellingRequests, DB, Database, DbExecutor, supportSites, supportSiteStaff } from '@jiaxiao/db';
import { people } from '@jiaxiao/auth';
import { districtPlaces, schoolPlaces, staffRoles, studentPlaces } from '@jiaxiao/directory';

type SupportSiteRow = typeof supportSites.$inferSelect;
type CounsellingRequestRow = typeof counsellingRequests.$inferSelect;

/** A site with the names of its school and district and whether it has staff to answer requests. */
export interface PlacedSite {
  site: SupportSiteRow;
  schoolName: string | null;
  /** the district of a district site, or of a school site's school */
  districtId: string | null;
  districtName: string | null;
  staffCount: number;
}

/** Where a site sits: the rows that see it, and those that manage it, are decided from this. */
interface SiteArea {
  schoolIds: string[];
  districtIds: string[];
  city: boolean;
}

/** Support sites (school, district, city), their staff and the parents' appointment requests. */
@Injectable()
export class SupportSitesRepository {
  constructor(@Inject(DB) private readonly db: Database) {}

  transaction<T>(work: (tx: DbExecutor) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  // ── sites ─────────────────────────────────────────────────────────────────

  async insertSite(values: typeof supportSites.$inferInsert, db: DbExecutor = this.db): Promise<SupportSiteRow> {
    const [row] = await db.insert(supportSites).values(values).returning();
    return row;
  }

  async deleteSite(id: string, db: DbExecutor = this.db): Promise<void> {
    await db.delete(supportSites).where(eq(supportSites.id, id));
  }

  async site(id: string): Promise<PlacedSite | undefined> {
    const [row] = await this.placed(eq(supportSites.id, id));
    return row;
  }

  /** Sites of these schools and districts, and the city's when `area.city` (a parent's view, a manager's). */
  sitesIn(area: SiteArea): Promise<PlacedSite[]> {
    const parts: SQL[] = [];
    if (area.schoolIds.length) parts.push(inArray(supportSites.schoolId, area.schoolIds));
    if (area.districtIds.length) parts.push(inArray(supportSites.districtId, area.districtIds));
    if (area.city) parts.push(eq(supportSites.scope, 'city'));
    return parts.length ? this.placed(or(...parts)) : Promise.resolve([]);
  }

  allSites(): Promise<PlacedSite[]> {
    return this.placed();
  }

  /** The sites a user is on the staff of. */
  sitesStaffedBy(userId: string): Promise<PlacedSite[]> {
    return this.placed(sql`${supportSites.id} in (select site_id from support_site_staff where user_id = ${userId})`);
  }

  private placed(where?: SQL): Promise<PlacedSite[]> {
    const siteDistrict = sql<string | null>`coalesce(${supportSites.districtId}, ${schoolPlaces.districtId})`;
    return this.db
      .select({
        site: supportSites,
        schoolName: schoolPlaces.name,
        districtId: siteDistrict,
        districtName: districtPlaces.name,
        staffCount: sql<number>`(select count(*)::int from support_site_staff s where s.site_id = ${supportSites.id})`,
      })
      .from(supportSites)
      .leftJoin(schoolPlaces, eq(schoolPlaces.id, supportSites.schoolId))
      .leftJoin(districtPlaces, eq(districtPlaces.id, siteDistrict))
      .where(where)
      .orderBy(
        sql`case ${supportSites.scope} when 'school' then 0 when 'district' then 1 else 2 end`,
        asc(districtPlaces.name),
        asc(schoolPlaces.name),
        asc(supportSites.name),
      );
  }

  /** The schools of these districts (a district admin manages their sites too). */
  async schoolsOfDistricts(districtIds: string[]): Promise<string[]> {
    if (districtIds.length === 0) return [];
    const rows = await this.db.select({ id: schoolPlaces.id }).from(schoolPlaces).where(inArray(schoolPlaces.districtId, districtIds));
    return rows.map((r) => r.id);
  }

  async districtsOfSchools(schoolIds: string[]): Promise<string[]> {
    if (schoolIds.length === 0) return [];
    const rows = await this.db
      .selectDistinct({ id: schoolPlaces.districtId })
      .from(schoolPlaces)
      .where(inArray(schoolPlaces.id, schoolIds));
    return rows.map((r) => r.id);
  }

  async districtExists(id: string): Promise<boolean> {
    const [row] = await this.db.select({ id: districtPlaces.id }).from(districtPlaces).where(eq(districtPlaces.id, id));
    return Boolean(row);
  }

  // ── staff ─────────────────────────────────────────────────────────────────

  staffOf(siteIds: string[]) {
    if (siteIds.length === 0) return Promise.resolve([]);
    return this.db
      .select({ siteId: supportSiteStaff.siteId, userId: people.id, name: people.name, phone: people.phone })
      .from(supportSiteStaff)
      .innerJoin(people, eq(people.id, supportSiteStaff.userId))
      .where(inArray(supportSiteStaff.siteId, siteIds))
      .orderBy(asc(supportSiteStaff.createdAt));
  }

  /** An active account holding a school or bureau staff role (not only the expert one). */
  async staffAccountByPhone(phone: string) {
    const [row] = await this.db
      .selectDistinct({ id: people.id, name: people.name })
      .from(people)
      .innerJoin(staffRoles, eq(staffRoles.userId, people.id))
      .where(and(eq(people.phone, phone), ne(staffRoles.role, 'expert'), ne(people.status, 'disabled')));
    return row;
  }

  async appoint(siteId: string, userId: string, appointedBy: string, db: DbExecutor): Promise<boolean> {
    const rows = await db
      .insert(supportSiteStaff)
      .values({ siteId, userId, appointedBy })
      .onConflictDoNothing()
      .returning({ userId: supportSiteStaff.userId });
    return rows.length > 0;
  }

  async dismiss(siteId: string, userId: string, db: DbExecutor): Promise<boolean> {
    const rows = await db
      .delete(supportSiteStaff)
      .where(and(eq(supportSiteStaff.siteId, siteId), eq(supportSiteStaff.userId, userId)))
      .returning({ userId: supportSiteStaff.userId });
    return rows.length > 0;
  }

  async isStaff(siteId: string, userId: string): Promise<boolean> {
    const [row] = await this.db
      .select({ userId: supportSiteStaff.userId })
      .from(supportSiteStaff)
      .where(and(eq(supportSiteStaff.siteId, siteId), eq(supportSiteStaff.userId, userId)));
    return Boolean(row);
  }

  // ── requests ──────────────────────────────────────────────────────────────

  async guardianPhone(userId: string): Promise<string> {
    const [row] = await this.db.select({ phone: people.phone }).from(people).where(eq(people.id, userId));
    return row.phone;
  }

  /** Counts the guardian's requests still in progress, holding their user row so two submissions queue. */
  async lockOpenCount(guardianId: string, db: DbExecutor): Promise<number> {
    await db.execute(sql`select 1 from ${people} where id = ${guardianId} for update`);
    const [row] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(counsellingRequests)
      .where(and(eq(counsellingRequests.guardianId, guardianId), ne(counsellingRequests.status, 'closed')));
    return row.n;
  }

  async insertRequest(values: typeof counsellingRequests.$inferInsert, db: DbExecutor): Promise<CounsellingRequestRow> {
    const [row] = await db.insert(counsellingRequests).values(values).returning();
    return row;
  }

  async requestParties(id: string) {
    const [row] = await this.db
      .select({ siteId: counsellingRequests.siteId, guardianId: counsellingRequests.guardianId })
      .from(counsellingRequests)
      .where(eq(counsellingRequests.id, id));
    return row;
  }

  async lockRequest(id: string, db: DbExecutor): Promise<CounsellingRequestRow | undefined> {
    const [row] = await db.select().from(counsellingRequests).where(eq(counsellingRequests.id, id)).for('update');
    return row;
  }

  async updateRequest(id: string, values: Partial<typeof counsellingRequests.$inferInsert>, db: DbExecutor): Promise<void> {
    await db
      .update(counsellingRequests)
      .set({ ...values, updatedAt: new Date() })
      .where(eq(counsellingRequests.id, id));
  }

  /** Requests with the names shown beside them, newest first. */
  requests(where: SQL) {
    return this.db
      .select({
        request: counsellingRequests,
        siteName: supportSites.name,
        guardianName: people.name,
        studentName: studentPlaces.name,
      })
      .from(counsellingRequests)
      .innerJoin(supportSites, eq(supportSites.id, counsellingRequests.siteId))
      .innerJoin(people, eq(people.id, counsellingRequests.guardianId))
      .leftJoin(studentPlaces, eq(studentPlaces.id, counsellingRequests.studentId))
      .where(where)
      .orderBy(desc(counsellingRequests.createdAt), desc(counsellingRequests.id))
      .limit(200);
  }

  ofGuardian(guardianId: string, id?: string) {
    return this.requests(and(eq(counsellingRequests.guardianId, guardianId), id ? eq(counsellingRequests.id, id) : undefined) as SQL);
  }

  /** The requests of the sites the user is on the staff of. */
  forStaff(userId: string, filter: { id?: string; status?: CounsellingStatus }) {
    return this.requests(
      and(
        sql`${counsellingRequests.siteId} in (select site_id from support_site_staff where user_id = ${userId})`,
        filter.id ? eq(counsellingRequests.id, filter.id) : undefined,
        filter.status ? eq(counsellingRequests.status, filter.status) : undefined,
      ) as SQL,
    );
  }
}
