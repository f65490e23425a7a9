import { randomBytes } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { PasswordService, PRIVACY_NOTICE, schoolYearBounds, schoolYearOf } from '@jiaxiao/common';
import {
  consents,
  classes,
  committeeMembers,
  committees,
  conversationMembers,
  conversations,
  coursePlans,
  courseRequirements,
  Database,
  DbExecutor,
  districts,
  elections,
  guardianships,
  lectures,
  messages,
  nominations,
  Relation,
  roleAssignments,
  SchoolType,
  schoolYears,
  schools,
  students,
  users,
} from '@jiaxiao/db';

import { modelSchoolsCampaignsDemo } from './model-schools-campaigns.seed';

export const DEMO_PASSWORD = 'Jiaxiao#2016';

export const DEMO_ACCOUNTS = [
  { phone: '13900000000', name: '刘建国', who: '市教育局管理员（潍坊市教育局）' },
  { phone: '13900000001', name: '王秀英', who: '潍坊七中 家庭教育总协调员' },
  { phone: '13900000002', name: '张丽华', who: '潍坊七中 初一(1)班 班主任' },
  { phone: '13900000003', name: '陈志强', who: '初一(1)班 陈小雨的父亲（另有一子在潍坊实验学校）' },
  { phone: '13900000004', name: '刘芳', who: '初一(1)班 刘子涵的母亲' },
  { phone: '13900000005', name: '赵敏', who: '广文中学 初一(1)班 赵一鸣的母亲（与初一(1)班无关）' },
  { phone: '13900000006', name: '孙海涛', who: '奎文区教育局管理员' },
] as const;

const DISTRICTS = [
  { name: '奎文区', code: '370705' },
  { name: '潍城区', code: '370702' },
  { name: '寒亭区', code: '370703' },
  { name: '昌乐县', code: '370725' },
  { name: '高新区', code: '370791' },
];

const SCHOOLS: { name: string; district: string; type: SchoolType; address: string; classes: [number, string][] }[] = [
  {
    name: '潍坊七中',
    district: '奎文区',
    type: 'junior',
    address: '潍坊市奎文区胜利东街',
    classes: [
      [7, '初一(1)班'],
      [7, '初一(2)班'],
      [8, '初二(1)班'],
    ],
  },
  {
    name: '广文中学',
    district: '奎文区',
    type: 'junior',
    address: '潍坊市奎文区文化路',
    classes: [
      [7, '初一(1)班'],
      [8, '初二(3)班'],
    ],
  },
  { name: '北辰中学', district: '潍城区', type: 'junior', address: '潍坊市潍城区北宫西街', classes: [[7, '初一(3)班']] },
  { name: '昌乐二中', district: '昌乐县', type: 'senior', address: '潍坊市昌乐县新城街', classes: [[10, '高一(1)班']] },
  {
    name: '潍坊实验学校',
    district: '高新区',
    type: 'nine_year',
    address: '潍坊市高新区健康东街',
    classes: [
      [3, '三年级(2)班'],
      [7, '七年级(1)班'],
    ],
  },
];

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '马', '朱', '胡', '郭', '何', '高', '林', '郑'];
const CHILD_NAMES = ['子轩', '欣怡', '浩然', '梓涵', '宇航', '诗琪', '俊杰', '雨萱', '博文', '佳怡', '明轩', '思彤'];
const ADULT_NAMES = ['建华', '秀兰', '国强', '丽娟', '志刚', '海燕', '伟', '静', '军', '敏'];

export interface SeedResult {
  schoolYear: string;
  created: boolean;
}

/**
 * The demo data of CONTRACT.md. Idempotent: every row is found by its natural key first,
 * so running it twice changes nothing.
 */
export async function seedDemo(db: Database, passwords = new PasswordService(), now = new Date()): Promise<SeedResult> {
  const passwordHash = await passwords.hash(DEMO_PASSWORD);
  const current = schoolYearOf(now);
  const startYear = Number(current.slice(0, 4));
  const previous = `${startYear - 1}-${startYear}`;
  let created = false;

  await db.transaction(async (tx) => {
    created = (await tx.select({ n: sql<number>`count(*)::int` }).from(users))[0].n === 0;

    const districtIds = new Map<string, string>();
    for (const d of DISTRICTS) districtIds.set(d.name, await upsertId(tx, districts, districts.name, d.name, d));

    const yearIds = new Map<string, string>();
    for (const name of [previous, current]) {
      const { startsOn, endsOn } = schoolYearBounds(name);
      yearIds.set(name, await upsertId(tx, schoolYears, schoolYears.name, name, { name, startsOn, endsOn }));
    }
    const yearId = yearIds.get(current) as string;

    const classIds = new Map<string, string>();
    for (const s of SCHOOLS) {
      const schoolId = await upsertId(tx, schools, schools.name, s.name, {
        name: s.name,
        districtId: districtIds.get(s.district) as string,
        type: s.type,
        address: s.address,
      });
      for (const [grade, name] of s.classes) {
        const [existing] = await tx
          .select({ id: classes.id })
          .from(classes)
          .where(and(eq(classes.schoolId, schoolId), eq(classes.schoolYearId, yearId), eq(classes.name, name)));
        const id = existing?.id ?? (await tx.insert(classes).values({ schoolId, schoolYearId: yearId, grade, name }).returning())[0].id;
        classIds.set(`${s.name} ${name}`, id);
      }
    }

    const userIds = new Map<string, string>();
    for (const account of DEMO_ACCOUNTS) {
      userIds.set(account.phone, await upsertUser(tx, account.phone, account.name, passwordHash));
    }
    const schoolId = async (name: string) => (await tx.select({ id: schools.id }).from(schools).where(eq(schools.name, name)))[0].id;
    const class1 = classIds.get('潍坊七中 初一(1)班') as string;

    const assign = async (
      phone: string,
      role: 'teacher' | 'coordinator' | 'district_admin' | 'city_admin',
      scopeType: 'city' | 'district' | 'school' | 'class',
      scopeId: string | null,
      title?: string,
    ) => {
      await tx
        .insert(roleAssignments)
        .values({ userId: userIds.get(phone) as string, role, scopeType, scopeId, title })
        .onConflictDoNothing();
    };
    await assign('13900000000', 'city_admin', 'city', null);
    await assign('13900000001', 'coordinator', 'school', await schoolId('潍坊七中'));
    await assign('13900000002', 'teacher', 'class', class1, '班主任');
    await assign('13900000006', 'district_admin', 'district', districtIds.get('奎文区') as string);

    await enrol(tx, class1, '陈小雨', [[userIds.get('13900000003') as string, '父亲']]);
    await enrol(tx, class1, '刘子涵', [[userIds.get('13900000004') as string, '母亲']]);
    await enrol(tx, classIds.get('潍坊实验学校 三年级(2)班') as string, '陈小阳', [[userIds.get('13900000003') as string, '父亲']]);
    await enrol(tx, classIds.get('广文中学 初一(1)班') as string, '赵一鸣', [[userIds.get('13900000005') as string, '母亲']]);

    // Classmates with guardians who have not activated their accounts yet (as after a roster import).
    let serial = 0;
    for (const [key, classId] of classIds) {
      const size = key === '潍坊七中 初一(1)班' ? 10 : 6;
      for (let i = 0; i < size; i++, serial++) {
        const surname = SURNAMES[serial % SURNAMES.length];
        const child = `${surname}${CHILD_NAMES[(serial * 7) % CHILD_NAMES.length]}`;
        const fatherPhone = `1370000${String(serial * 2).padStart(4, '0')}`;
        const motherPhone = `1370000${String(serial * 2 + 1).padStart(4, '0')}`;
        const father = await upsertUser(tx, fatherPhone, `${surname}${ADULT_NAMES[serial % ADULT_NAMES.length]}`, null);
        const mother = await upsertUser(
          tx,
          motherPhone,
          `${SURNAMES[(serial + 5) % SURNAMES.length]}${ADULT_NAMES[(serial + 3) % ADULT_NAMES.length]}`,
          null,
        );
        await enrol(
          tx,
          classId,
          child,
          serial % 3 === 0
            ? [[mother, '母亲']]
            : [
                [father, '父亲'],
                [mother, '母亲'],
              ],
        );
      }
    }

    await courseProgramme(tx, { yearId, schoolId: await schoolId('潍坊七中'), createdBy: userIds.get('13900000001') as string, now });

    // Every class has its group chat (家长群): guardians as members, the class's teachers as staff.
    for (const [title, classId] of classIds) {
      const groupId = await classGroup(tx, classId, title);
      if (classId === class1) await welcomeNotice(tx, groupId, userIds.get('13900000002') as string);
    }

    await committeeDemo(tx, {
      yearId,
      schoolId: await schoolId('潍坊七中'),
      class1,
      class2: classIds.get('潍坊七中 初一(2)班') as string,
      coordinatorId: userIds.get('13900000001') as string,
      now,
    });

    await modelSchoolsCampaignsDemo(tx, { year: startYear, passwordHash, now });
    // 示范学校's facts of what the seed wrote around the producers (their events): added once.
    await tx.execute(sql`select model_school_metric_facts_backfill()`);

    // The demo parents who can sign in have read and accepted the privacy notice; the imported,
    // never-activated guardians (周伟 13700000007 among them) have not.
    await tx.execute(sql`
      insert into ${consents} (user_id, version)
      select distinct g.user_id, ${PRIVACY_NOTICE.version} from ${guardianships} g join ${users} u on u.id = g.user_id
      where u.password_hash is not null
        and not exists (select 1 from ${consents} c where c.user_id = g.user_id and c.version = ${PRIVACY_NOTICE.version} and c.withdrawn_at is null)`);
  });
  return { schoolYear: current, created };
}

/**
 * The year's 8-hour requirement, 潍坊七中's course plan (4 sessions × 2 hours of 《牵手两代》),
 * and a 父母大讲堂 lecture at the school running now — from 30 minutes before the seed ran to
 * 2 hours after — so check-in can be tried at once.
 */
async function courseProgramme(tx: DbExecutor, input: { yearId: string; schoolId: string; createdBy: string; now: Date }): Promise<void> {
  const { yearId, schoolId, createdBy, now } = input;
  await tx.insert(courseRequirements).values({ schoolYearId: yearId, requiredHours: 8 }).onConflictDoNothing();
  await tx.insert(coursePlans).values({ schoolId, schoolYearId: yearId, note: '每学期两次，每次 2 学时', createdBy }).onConflictDoNothing();
  const [plan] = await tx
    .select()
    .from(coursePlans)
    .where(and(eq(coursePlans.schoolId, schoolId), eq(coursePlans.schoolYearId, yearId)));
  const [school] = await tx.select({ districtId: schools.districtId }).from(schools).where(eq(schools.id, schoolId));
  const lecture = async (
    values: Omit<typeof lectures.$inferInsert, 'schoolYearId' | 'schoolId' | 'districtId' | 'checkinSecret' | 'createdBy' | 'audience'>,
  ) => {
    const [existing] = await tx
      .select({ id: lectures.id })
      .from(lectures)
      .where(and(eq(lectures.schoolYearId, yearId), eq(lectures.title, values.title)));
    if (existing) return;
    await tx.insert(lectures).values({
      ...values,
      schoolYearId: yearId,
      schoolId,
      districtId: school.districtId,
      audience: { scope: 'school', schoolId },
      checkinSecret: randomBytes(24).toString('hex'),
      createdBy,
    });
  };
  await lecture({
    series: 'parents_forum',
    title: '父母大讲堂：做孩子成长路上的引路人',
    speaker: '李明华（潍坊市家庭教育讲师团）',
    mode: 'offline',
    venue: '潍坊七中报告厅',
    startsAt: new Date(now.getTime() - 30 * 60_000),
    endsAt: new Date(now.getTime() + 2 * 3600_000),
    // Late-comers may still register while it runs.
    registrationCutoff: new Date(now.getTime() + 2 * 3600_000),
    capacity: 300,
    creditHours: 2,
    // The demo lecture is there to try check-in and check-out at once: it credits whoever scans both.
    lateCheckinMinutes: 150,
    minPresencePercent: 0,
    status: 'published',
  });
  const units = [
    '《牵手两代》第一单元：理解青春期',
    '《牵手两代》第二单元：有效沟通',
    '《牵手两代》第三单元：学习习惯',
    '《牵手两代》第四单元：情绪与压力',
  ];
  for (const [index, unit] of units.entries()) {
    const startsAt = new Date(now.getTime() + (index + 1) * 21 * 86_400_000);
    await lecture({
      series: 'school_course',
      title: `家长学校第 ${index + 1} 讲`,
      curriculumLabel: unit,
      planId: plan.id,
      mode: index % 2 === 0 ? 'offline' : 'hybrid',
      venue: '潍坊七中报告厅',
      streamUrl: index % 2 === 0 ? undefined : 'https://live.example.edu.cn/wf7z',
      startsAt,
      endsAt: new Date(startsAt.getTime() + 2 * 3600_000),
      capacity: 400,
      creditHours: 2,
      status: 'published',
    });
  }
}

/**
 * 家长委员会: 初一(1)班's class committee with its charter, chair 刘芳 (13900000004), a vice chair
 * and a member, and its group chat; 初一(2)班's committee with an election in its voting window
 * (nominations closed, three accepted candidates, voting from an hour before the seed to 7 days after).
 */
async function committeeDemo(
  tx: DbExecutor,
  input: { yearId: string; schoolId: string; class1: string; class2: string; coordinatorId: string; now: Date },
): Promise<void> {
  const { yearId, schoolId, now } = input;
  const userId = async (phone: string) => (await tx.select({ id: users.id }).from(users).where(eq(users.phone, phone)))[0].id;
  const committee = async (classId: string, name: string) => {
    await tx
      .insert(committees)
      .values({
        schoolId,
        schoolYearId: yearId,
        level: 'class',
        classId,
        scopeKey: `class:${classId}`,
        name,
        charter: [
          'school_management',
          'home_school_communication',
          'parent_school',
          'oversight_canteen',
          'oversight_uniforms',
          'oversight_materials',
          'volunteering',
        ],
        charterNote: '家委会每学期至少召开两次会议，班费收支每月公示。',
        createdBy: input.coordinatorId,
      })
      .onConflictDoNothing();
    return (
      await tx
        .select()
        .from(committees)
        .where(and(eq(committees.schoolId, schoolId), eq(committees.schoolYearId, yearId), eq(committees.scopeKey, `class:${classId}`)))
    )[0];
  };
  const { endsOn } = schoolYearBounds(schoolYearOf(now));
  const today = now.toISOString().slice(0, 10);

  const c1 = await committee(input.class1, '初一(1)班家长委员会');
  const seats: [string, 'chair' | 'vice_chair' | 'member'][] = [
    ['13900000004', 'chair'],
    ['13700000002', 'vice_chair'],
    ['13700000001', 'member'],
  ];
  for (const [phone, role] of seats) {
    await tx
      .insert(committeeMembers)
      .values({ committeeId: c1.id, userId: await userId(phone), role, termStartsOn: today, termEndsOn: endsOn })
      .onConflictDoNothing();
  }
  await tx.insert(conversations).values({ kind: 'committee_group', title: c1.name, schoolId, refId: c1.id }).onConflictDoNothing();
  const [group] = await tx
    .select()
    .from(conversations)
    .where(and(eq(conversations.kind, 'committee_group'), eq(conversations.refId, c1.id)));
  // One query at a time: a transaction is one connection, and pg refuses overlapping queries on it.
  const members: (typeof conversationMembers.$inferInsert)[] = [{ conversationId: group.id, userId: input.coordinatorId, role: 'staff' }];
  for (const [phone, role] of seats) {
    members.push({ conversationId: group.id, userId: await userId(phone), role: role === 'member' ? 'member' : 'staff' });
  }
  await tx.insert(conversationMembers).values(members).onConflictDoNothing();

  const c2 = await committee(input.class2, '初一(2)班家长委员会');
  const title = '初一(2)班家委会委员选举';
  const [existing] = await tx
    .select({ id: elections.id })
    .from(elections)
    .where(and(eq(elections.committeeId, c2.id), eq(elections.title, title)));
  if (existing) return;
  const day = 24 * 3600_000;
  const [election] = await tx
    .insert(elections)
    .values({
      committeeId: c2.id,
      title,
      role: 'member',
      seats: 2,
      nominationStartsAt: new Date(now.getTime() - 7 * day),
      nominationEndsAt: new Date(now.getTime() - 3600_000),
      votingStartsAt: new Date(now.getTime() - 3600_000),
      votingEndsAt: new Date(now.getTime() + 7 * day),
      createdBy: input.coordinatorId,
    })
    .returning();
  for (const phone of ['13700000020', '13700000022', '13700000025']) {
    const id = await userId(phone);
    await tx
      .insert(nominations)
      .values({ electionId: election.id, nomineeId: id, nominatedBy: id, status: 'accepted', statement: '愿为班级家校共育出一份力。' })
      .onConflictDoNothing();
  }
}

async function classGroup(tx: DbExecutor, classId: string, title: string): Promise<string> {
  const [school] = await tx.select({ schoolId: classes.schoolId }).from(classes).where(eq(classes.id, classId));
  await tx.insert(conversations).values({ kind: 'class_group', title, classId, schoolId: school.schoolId }).onConflictDoNothing();
  const [group] = await tx
    .select()
    .from(conversations)
    .where(and(eq(conversations.kind, 'class_group'), eq(conversations.classId, classId)));
  await tx.execute(sql`
    insert into ${conversationMembers} (conversation_id, user_id, role)
    select ${group.id}::uuid, ra.user_id, 'staff' from ${roleAssignments} ra
      where ra.role = 'teacher' and ra.scope_type = 'class' and ra.scope_id = ${classId}::uuid
    union
    select ${group.id}::uuid, g.user_id, 'member' from ${guardianships} g join ${students} s on s.id = g.student_id
      where s.class_id = ${classId}::uuid
        and g.user_id not in (select user_id from ${roleAssignments} where role = 'teacher' and scope_type = 'class' and scope_id = ${classId}::uuid)
    on conflict do nothing`);
  return group.id;
}

/** The class teacher's first notice in the group, asking families to confirm (回执). */
async function welcomeNotice(tx: DbExecutor, conversationId: string, teacherId: string): Promise<void> {
  const [group] = await tx.select({ lastSeq: conversations.lastSeq }).from(conversations).where(eq(conversations.id, conversationId));
  if (group.lastSeq > 0) return;
  const body = '各位家长好！本学期家庭教育课程共 8 学时，请关注学校发布的父母大讲堂安排，按时参加。收到请点“确认”。';
  await tx.update(conversations).set({ lastSeq: 1, lastMessageAt: new Date() }).where(eq(conversations.id, conversationId));
  await tx.insert(messages).values({
    conversationId,
    seq: 1,
    senderId: teacherId,
    clientMsgId: 'seed-welcome-notice',
    type: 'notice',
    text: body,
    payload: { notice: { title: '欢迎加入初一(1)班家长群', body, needsAck: true, emergency: false } },
  });
  await tx
    .update(conversationMembers)
    .set({ lastReadSeq: 1 })
    .where(and(eq(conversationMembers.conversationId, conversationId), eq(conversationMembers.userId, teacherId)));
}

async function upsertId(
  tx: DbExecutor,
  table: typeof districts | typeof schools | typeof schoolYears,
  key: typeof districts.name | typeof schools.name | typeof schoolYears.name,
  value: string,
  values: Record<string, unknown>,
): Promise<string> {
  const [existing] = await tx.select({ id: table.id }).from(table).where(eq(key, value));
  if (existing) return existing.id;
  const [row] = await tx
    .insert(table)
    .values(values as never)
    .returning({ id: table.id });
  return row.id;
}

async function upsertUser(tx: DbExecutor, phone: string, name: string, passwordHash: string | null): Promise<string> {
  await tx
    .insert(users)
    .values({ phone, name, passwordHash, status: passwordHash ? 'active' : 'invited' })
    .onConflictDoNothing({ target: users.phone });
  return (await tx.select({ id: users.id }).from(users).where(eq(users.phone, phone)))[0].id;
}

async function enrol(tx: DbExecutor, classId: string, name: string, guardians: [string, Relation][]): Promise<void> {
  const [existing] = await tx
    .select({ id: students.id })
    .from(students)
    .where(and(eq(students.classId, classId), eq(students.name, name)));
  const studentId = existing?.id ?? (await tx.insert(students).values({ classId, name }).returning())[0].id;
  for (const [index, [userId, relation]] of guardians.entries()) {
    await tx
      .insert(guardianships)
      .values({ studentId, userId, relation, isPrimary: index === 0 })
      .onConflictDoNothing();
  }
}
