import { and, eq, sql } from 'drizzle-orm';
import {
  campaigns,
  classes,
  classHourTotals,
  courseRequirements,
  Database,
  DbExecutor,
  districts,
  modelSchoolApplications,
  modelSchoolCriteria,
  modelSchoolExperts,
  modelSchoolReviews,
  modelSchoolYears,
  roleAssignments,
  schools,
  schoolYears,
  supportSites,
  supportSiteStaff,
  users,
} from '@jiaxiao/db';
import { computeIndicator, DEFAULT_RUBRIC } from '@jiaxiao/model-schools';
import { ModelSchoolsRepository } from '../libs/model-schools/src/model-schools.repository';

/** Demo accounts of this part of the seed (password: the demo password). */
export const MODEL_SCHOOL_DEMO_ACCOUNTS = [
  { phone: '13900000066', name: '周文博', who: '示范学校评审专家（昌乐县）' },
  { phone: '13900000067', name: '郑晓燕', who: '北辰中学 家庭教育总协调员' },
] as const;

/**
 * Model schools and campaigns: this year's criteria (quota 100) from the default rubric, a
 * counselling room at 潍坊七中 (its coordinator on its staff), 奎文区's counselling centre and the
 * city's hotline, two applications at different stages — 潍坊七中 passed by the
 * district with an expert assigned, 北辰中学 just submitted — and one open city-wide campaign of
 * each kind. Idempotent: rows are found by natural keys (year + code, school + year, title).
 */
export async function modelSchoolsCampaignsDemo(tx: DbExecutor, input: { year: number; passwordHash: string; now: Date }): Promise<void> {
  const { year, now } = input;
  const userId = async (phone: string, name: string, withPassword = true) => {
    await tx
      .insert(users)
      .values({ phone, name, passwordHash: withPassword ? input.passwordHash : null, status: 'active' })
      .onConflictDoNothing({ target: users.phone });
    return (await tx.select({ id: users.id }).from(users).where(eq(users.phone, phone)))[0].id;
  };
  const school = async (name: string) => (await tx.select().from(schools).where(eq(schools.name, name)))[0];
  const district = async (name: string) => (await tx.select().from(districts).where(eq(districts.name, name)))[0];

  await tx.insert(modelSchoolYears).values({ year, quota: 100 }).onConflictDoNothing();
  await tx
    .insert(modelSchoolCriteria)
    .values(
      DEFAULT_RUBRIC.map((c, position) => ({
        year,
        code: c.code,
        name: c.name,
        description: c.description ?? null,
        kind: c.kind,
        metric: c.metric ?? null,
        weight: c.weight,
        target: c.target ?? null,
        position,
      })),
    )
    .onConflictDoNothing();

  const qizhong = await school('潍坊七中');
  const beichen = await school('北辰中学');
  const expertId = await userId(MODEL_SCHOOL_DEMO_ACCOUNTS[0].phone, MODEL_SCHOOL_DEMO_ACCOUNTS[0].name);
  const coordinatorId = await userId(MODEL_SCHOOL_DEMO_ACCOUNTS[1].phone, MODEL_SCHOOL_DEMO_ACCOUNTS[1].name);
  await tx.insert(roleAssignments).values({ userId: expertId, role: 'expert', scopeType: 'city', scopeId: null }).onConflictDoNothing();
  await tx
    .insert(roleAssignments)
    .values({ userId: coordinatorId, role: 'coordinator', scopeType: 'school', scopeId: beichen.id })
    .onConflictDoNothing();
  await tx
    .insert(modelSchoolExperts)
    .values({ userId: expertId, districtId: (await district('昌乐县')).id })
    .onConflictDoNothing();

  // Counselling: 潍坊七中's room (its coordinator answers its appointment requests), 奎文区's centre and the city's hotline.
  const site = async (values: typeof supportSites.$inferInsert) => {
    const [found] = await tx.select({ id: supportSites.id }).from(supportSites).where(eq(supportSites.name, values.name));
    return found?.id ?? (await tx.insert(supportSites).values(values).returning({ id: supportSites.id }))[0].id;
  };
  const room = await site({
    schoolId: qizhong.id,
    kind: 'counselling_room',
    name: '心语小屋',
    location: '行政楼三楼 302',
    openingHours: '周一至周五 16:30–18:00',
    contact: '王秀英 0536-8231234',
    phone: '0536-8231234',
  });
  await site({
    scope: 'district',
    districtId: qizhong.districtId,
    kind: 'counselling_centre',
    name: '奎文区未成年人心理辅导中心',
    location: '奎文区青少年宫二楼',
    openingHours: '周二至周六 9:00–17:00',
    contact: '0536-8096355',
    phone: '0536-8096355',
  });
  await site({
    scope: 'city',
    kind: 'hotline',
    name: '潍坊市 12355 青少年心理援助热线',
    openingHours: '每天 8:00–22:00',
    contact: '拨打 12355',
    phone: '12355',
  });

  const [qizhongCoordinator] = await tx
    .select({ userId: roleAssignments.userId })
    .from(roleAssignments)
    .where(and(eq(roleAssignments.role, 'coordinator'), eq(roleAssignments.scopeId, qizhong.id)));
  await tx.insert(supportSiteStaff).values({ siteId: room, userId: qizhongCoordinator.userId }).onConflictDoNothing();
  const [districtAdmin] = await tx
    .select({ userId: roleAssignments.userId })
    .from(roleAssignments)
    .where(and(eq(roleAssignments.role, 'district_admin'), eq(roleAssignments.scopeId, qizhong.districtId)));
  const criteria = await tx.select().from(modelSchoolCriteria).where(eq(modelSchoolCriteria.year, year));
  // The seed writes coordinators, committees and lectures around their services, so no events: the
  // migration's backfill writes their facts (it adds nothing for rows it has seen).
  await tx.execute(sql`select model_school_metric_facts_backfill()`);
  const repository = new ModelSchoolsRepository(tx as unknown as Database);
  const [schoolYear] = await tx
    .select()
    .from(schoolYears)
    .where(eq(schoolYears.name, `${year}-${year + 1}`));
  const [requirement] = await tx.select().from(courseRequirements).where(eq(courseRequirements.schoolYearId, schoolYear.id));
  /** What courses' ReportService.schoolTotals reads: the school's classes' totals that year. */
  const totals = async (schoolId: string) =>
    (
      await tx
        .select({
          households: sql<number>`coalesce(sum(${classHourTotals.households}), 0)::int`,
          compliant: sql<number>`coalesce(sum(${classHourTotals.compliant}), 0)::int`,
        })
        .from(classHourTotals)
        .innerJoin(classes, eq(classes.id, classHourTotals.classId))
        .where(and(eq(classes.schoolId, schoolId), eq(classHourTotals.schoolYearId, schoolYear.id)))
    )[0];
  const apply = async (
    schoolId: string,
    submittedBy: string,
    materials: string,
    extra: Partial<typeof modelSchoolApplications.$inferInsert>,
  ) => {
    const [existing] = await tx
      .select()
      .from(modelSchoolApplications)
      .where(and(eq(modelSchoolApplications.schoolId, schoolId), eq(modelSchoolApplications.year, year)));
    if (existing) return existing;
    // The demo seed holds no survey answers.
    const { households, compliant } = await totals(schoolId);
    const counted = await repository.countedInputs(schoolId, schoolYear.id, now);
    const course = {
      households: Number(households),
      compliantHouseholds: Number(compliant),
      requiredHours: Number(requirement?.requiredHours ?? 8),
    };
    const inputs = { ...counted, ...course, satisfactionResponses: 0, satisfactionAverage: null };
    const metrics = criteria
      .filter((c) => c.metric)
      .map((c) => computeIndicator({ code: c.code, metric: c.metric!, weight: c.weight, target: c.target }, inputs));
    const autoScore = Math.round(metrics.reduce((s, m) => s + m.points, 0) * 100) / 100;
    return (
      await tx
        .insert(modelSchoolApplications)
        .values({ schoolId, year, materials, metrics, snapshotAt: now, autoScore, submittedBy, ...extra })
        .returning()
    )[0];
  };
  const passed = await apply(
    qizhong.id,
    qizhongCoordinator.userId,
    '潍坊七中家庭教育工作总结：建立三级家委会，开设《牵手两代》家长课程，设立心语小屋心理辅导室。',
    {
      status: 'district_passed',
      districtComment: '材料齐全，同意推荐。',
      districtReviewedBy: districtAdmin?.userId ?? null,
      districtReviewedAt: now,
    },
  );
  await tx
    .insert(modelSchoolReviews)
    .values({ applicationId: passed.id, reviewerId: expertId, reviewerDistrictId: (await district('昌乐县')).id })
    .onConflictDoNothing();
  await apply(beichen.id, coordinatorId, '北辰中学家庭教育示范学校申报材料：家长学校制度、年度计划与活动记录。', {});

  const day = 86_400_000;
  await tx
    .insert(campaigns)
    .values([
      {
        kind: 'family_story',
        title: `${year}年“我说我的家风家训故事”征集`,
        description: '讲述你家的家风家训故事，文字配图片，自愿参加。',
        scopeType: 'city',
        scopeId: null,
        opensAt: new Date(now.getTime() - 7 * day),
        closesAt: new Date(now.getTime() + 60 * day),
      },
      {
        kind: 'reading_family',
        title: `${year}年中小学生“书香之家”推选`,
        description: '推荐你家的亲子阅读故事并附阅读记录，自愿参加。',
        scopeType: 'city',
        scopeId: null,
        opensAt: new Date(now.getTime() - 7 * day),
        closesAt: new Date(now.getTime() + 60 * day),
      },
    ])
    .onConflictDoNothing({ target: campaigns.title });
}
