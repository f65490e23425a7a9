import { randomInt } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import ExcelJS from 'exceljs';
import {
  areaScopeOf,
  decodeCursor,
  DEFAULT_PAGE_SIZE,
  DomainError,
  formatShanghai,
  maskPhone,
  Page,
  pageWindow,
  PasswordService,
  Principal,
  PRIVACY_NOTICE,
  schoolYearBounds,
  schoolYearOf,
  staffSchoolIds,
  spreadsheetText,
  toPage,
} from '@jiaxiao/common';
import { pgErrorCode, UNIQUE_VIOLATION } from '@jiaxiao/db';
import { AuditService } from '@jiaxiao/platform';
import { ClassGroupTrigger } from './class-group.trigger';
import { DirectoryRepository, GuardianRow } from './directory.repository';
import { searchRoster } from './roster-search';
import {
  AppointDistrictAdminDto,
  AppointmentDto,
  AppointStaffDto,
  ChildDto,
  ClassDto,
  ClassListQueryDto,
  ClassPageDto,
  ClassSummaryDto,
  CreateClassDto,
  CreateSchoolDto,
  CreateSchoolYearDto,
  DistrictDto,
  GuardianDto,
  ListSchoolsQueryDto,
  MeDto,
  RosterDto,
  RosterQueryDto,
  SchoolDto,
  SchoolYearDto,
  ScopeDto,
  StaffDto,
  StudentDto,
} from './dto/directory.dto';

@Injectable()
export class DirectoryService {
  constructor(
    private readonly directory: DirectoryRepository,
    private readonly passwords: PasswordService,
    private readonly audit: AuditService,
    private readonly classGroups: ClassGroupTrigger,
  ) {}

  // ── the caller ────────────────────────────────────────────────────────────────

  async me(principal: Principal): Promise<MeDto> {
    // Before consent a guardian sees no child's data, not even here.
    const [user, children] = await Promise.all([this.directory.userById(principal.userId), principal.consentRequired ? [] : this.children(principal)]);
    if (!user) throw new DomainError('USER_NOT_FOUND');
    const scopes: ScopeDto[] = await Promise.all(
      principal.assignments.map(async (a) => ({
        role: a.role,
        scopeType: a.scopeType,
        scopeId: a.scopeId,
        scopeName: await this.scopeName(a.scopeType, a.scopeId),
        title: a.title,
        districtId: a.districtId,
        schoolId: a.schoolId,
        classId: a.classId,
      })),
    );
    for (const child of children) {
      scopes.push({
        role: 'parent',
        scopeType: 'class',
        scopeId: child.classId,
        scopeName: `${child.schoolName} ${child.className}`,
        title: child.relation,
        districtId: null,
        schoolId: child.schoolId,
        classId: child.classId,
      });
    }
    return {
      id: user.id,
      name: user.name,
      phone: user.phone,
      roles: principal.roles,
      scopes,
      children,
      consentRequired: principal.consentRequired ?? false,
      consentVersion: PRIVACY_NOTICE.version,
      passwordChangeRequired: principal.passwordChangeRequired ?? false,
    };
  }

  async children(principal: Principal): Promise<ChildDto[]> {
    const rows = await this.directory.childrenOf(principal.userId);
    return rows.map((r) => ({
      id: r.studentId,
      name: r.studentName,
      relation: r.relation,
      classId: r.classId,
      className: r.className,
      grade: r.grade,
      schoolId: r.schoolId,
      schoolName: r.schoolName,
      schoolYear: r.schoolYear,
    }));
  }

  private async scopeName(type: string, id: string | null): Promise<string | null> {
    if (!id) return type === 'city' ? '潍坊市' : null;
    if (type === 'class') {
      const c = await this.directory.classPlace(id);
      return c ? `${c.schoolName} ${c.className}` : null;
    }
    if (type === 'school') return (await this.directory.schoolById(id))?.name ?? null;
    return (await this.directory.districtById(id))?.name ?? null;
  }

  // ── students and classes (the caller's access was checked by @Authorize) ───────

  async student(principal: Principal, studentId: string): Promise<StudentDto> {
    const place = await this.directory.studentPlace(studentId);
    if (!place) throw new DomainError('STUDENT_NOT_FOUND');
    const guardians = await this.directory.guardiansOf([studentId]);
    const seeFull = staffSchoolIds(principal).has(place.schoolId);
    return {
      id: place.studentId,
      name: place.studentName,
      classId: place.classId,
      className: place.className,
      schoolId: place.schoolId,
      schoolName: place.schoolName,
      guardians: guardians.map((g) => guardianView(g, seeFull || g.userId === principal.userId)),
    };
  }

  async classInfo(classId: string): Promise<ClassDto> {
    const place = await this.directory.classPlace(classId);
    if (!place) throw new DomainError('CLASS_NOT_FOUND');
    const [teachers, year] = await Promise.all([this.directory.teachersOfClass(classId), this.directory.schoolYearById(place.schoolYearId)]);
    return {
      id: place.classId,
      name: place.className,
      grade: place.grade,
      schoolId: place.schoolId,
      schoolName: place.schoolName,
      schoolYear: year?.name ?? '',
      teachers,
    };
  }

  async roster(principal: Principal, classId: string, query: RosterQueryDto = {}): Promise<RosterDto> {
    const [info, students] = await Promise.all([this.classInfo(classId), this.directory.studentsOfClass(classId)]);
    const guardians = await this.directory.guardiansOf(students.map((s) => s.id));
    const seeFull = staffSchoolIds(principal).has(info.schoolId);
    const byStudent = new Map<string, GuardianRow[]>();
    for (const g of guardians) byStudent.set(g.studentId, [...(byStudent.get(g.studentId) ?? []), g]);
    const all = students.map((s) => ({
      id: s.id,
      name: s.name,
      classId: info.id,
      className: info.name,
      schoolId: info.schoolId,
      schoolName: info.schoolName,
      guardians: (byStudent.get(s.id) ?? []).map((g) => guardianView(g, seeFull)),
    }));
    const matching = searchRoster(all, query);
    const size = query.page === undefined ? matching.length : (query.pageSize ?? 20);
    const start = query.page === undefined ? 0 : (query.page - 1) * size;
    return { class: info, students: matching.slice(start, start + size), total: matching.length };
  }

  /** The class roster as an Excel sheet; personal data leaves the platform, so it is audited. */
  async exportRoster(principal: Principal, classId: string, ip: string): Promise<{ fileName: string; content: Buffer }> {
    const roster = await this.roster(principal, classId);
    const workbook = new ExcelJS.Workbook();
    workbook.creator = '家校共育平台';
    const sheet = workbook.addWorksheet('花名册');
    sheet.columns = [
      { header: '学生姓名', key: 'student', width: 14 },
      { header: '家长姓名', key: 'guardian', width: 14 },
      { header: '家长手机号', key: 'phone', width: 16 },
      { header: '关系', key: 'relation', width: 10 },
      { header: '主要联系人', key: 'primary', width: 10 },
      { header: '账号状态', key: 'status', width: 10 },
    ];
    sheet.getRow(1).font = { bold: true };
    let rows = 0;
    for (const student of roster.students) {
      const guardians = student.guardians.length > 0 ? student.guardians : [undefined];
      for (const g of guardians) {
        sheet.addRow({
          student: spreadsheetText(student.name),
          guardian: spreadsheetText(g?.name ?? ''),
          phone: g?.phone ?? '',
          relation: g?.relation ?? '',
          primary: g?.isPrimary ? '是' : '',
          status: g ? STATUS_LABELS[g.status] ?? g.status : '',
        });
        rows++;
      }
    }
    const content = Buffer.from(await workbook.xlsx.writeBuffer());
    await this.audit.record({
      actorId: principal.userId,
      action: 'roster.exported',
      targetType: 'class',
      targetId: classId,
      ip,
      detail: { rows, students: roster.students.length },
    });
    const stamp = formatShanghai(new Date(), false);
    return { fileName: `${roster.class.schoolName}${roster.class.name}花名册-${stamp}.xlsx`, content };
  }

  // ── districts, schools, school years ──────────────────────────────────────────

  async districts(principal: Principal): Promise<DistrictDto[]> {
    const rows = await this.directory.listDistricts(areaScopeOf(principal));
    return rows.map((d) => ({ id: d.id, name: d.name, code: d.code }));
  }

  async schools(principal: Principal, query: ListSchoolsQueryDto): Promise<Page<SchoolDto>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const after = decodeCursor(query.cursor, 1);
    const rows = await this.directory.listSchools(areaScopeOf(principal), {
      districtId: query.districtId,
      afterName: after ? String(after[0]) : undefined,
      limit,
    });
    return toPage(rows, limit, (s) => [s.name]);
  }

  async school(schoolId: string): Promise<SchoolDto> {
    const row = await this.directory.schoolById(schoolId);
    if (!row) throw new DomainError('SCHOOL_NOT_FOUND');
    return row;
  }

  async createSchool(principal: Principal, districtId: string, dto: CreateSchoolDto): Promise<SchoolDto> {
    try {
      const row = await this.directory.transaction(async (tx) => {
        const inserted = await this.directory.insertSchool({ districtId, name: dto.name, type: dto.type, address: dto.address }, tx);
        await this.audit.record({ actorId: principal.userId, action: 'school.created', targetType: 'school', targetId: inserted.id, detail: { name: inserted.name } }, tx);
        return inserted;
      });
      return this.school(row.id);
    } catch (error) {
      if (pgErrorCode(error) === UNIQUE_VIOLATION) throw new DomainError('SCHOOL_EXISTS');
      throw error;
    }
  }

  async schoolYears(): Promise<SchoolYearDto[]> {
    const current = schoolYearOf(new Date());
    const rows = await this.directory.listSchoolYears();
    return rows.map((y) => ({ name: y.name, startsOn: y.startsOn, endsOn: y.endsOn, current: y.name === current }));
  }

  /** A school year by name, or the current one (in Asia/Shanghai) when no name is given. */
  async schoolYear(name?: string) {
    const row = await this.directory.schoolYearByName(name ?? schoolYearOf(new Date()));
    if (!row) throw new DomainError('SCHOOL_YEAR_NOT_FOUND');
    return row;
  }

  async createSchoolYear(principal: Principal, dto: CreateSchoolYearDto): Promise<SchoolYearDto> {
    if (!principal.roles.includes('city_admin')) throw new DomainError('FORBIDDEN');
    let bounds: ReturnType<typeof schoolYearBounds>;
    try {
      bounds = schoolYearBounds(dto.name);
    } catch {
      throw new DomainError('VALIDATION_FAILED', {}, [{ field: 'name', constraint: 'matches' }]);
    }
    try {
      const row = await this.directory.insertSchoolYear({ name: dto.name, startsOn: bounds.startsOn, endsOn: bounds.endsOn });
      return { name: row.name, startsOn: row.startsOn, endsOn: row.endsOn, current: row.name === schoolYearOf(new Date()) };
    } catch (error) {
      if (pgErrorCode(error) === UNIQUE_VIOLATION) throw new DomainError('SCHOOL_YEAR_EXISTS');
      throw error;
    }
  }

  // ── classes ───────────────────────────────────────────────────────────────────

  /** A school's classes in a year; a teacher who does not manage the school sees only their own classes. */
  async classes(principal: Principal, schoolId: string, schoolYear?: string): Promise<ClassSummaryDto[]> {
    const year = await this.schoolYear(schoolYear);
    const scope = areaScopeOf(principal);
    const school = await this.school(schoolId);
    const seesAll = scope.city || scope.districtIds.includes(school.districtId) || scope.schoolIds.includes(schoolId);
    const rows = await this.directory.listClasses({ schoolId, schoolYearId: year.id, classIds: seesAll ? undefined : scope.classIds });
    return rows.map((c) => ({ id: c.id, name: c.name, grade: c.grade, studentCount: c.studentCount }));
  }

  /** One page of the school's classes (a teacher who does not manage the school: their classes only). */
  async classPage(principal: Principal, schoolId: string, query: ClassListQueryDto): Promise<ClassPageDto> {
    const year = await this.schoolYear(query.schoolYear);
    const scope = areaScopeOf(principal);
    const school = await this.school(schoolId);
    const seesAll = scope.city || scope.districtIds.includes(school.districtId) || scope.schoolIds.includes(schoolId);
    const sort = query.sort ?? 'grade';
    return this.directory.pageClasses(
      { schoolId, schoolYearId: year.id, classIds: seesAll ? undefined : scope.classIds, grade: query.grade, q: query.q?.trim() || undefined },
      { by: sort.replace('-', '') as 'name' | 'grade' | 'students', descending: sort.startsWith('-') },
      pageWindow(query),
    );
  }

  async createClass(principal: Principal, schoolId: string, dto: CreateClassDto): Promise<ClassDto> {
    const year = await this.schoolYear(dto.schoolYear);
    try {
      const row = await this.directory.transaction(async (tx) => {
        const inserted = await this.directory.insertClass({ schoolId, schoolYearId: year.id, grade: dto.grade, name: dto.name }, tx);
        await this.audit.record({ actorId: principal.userId, action: 'class.created', targetType: 'class', targetId: inserted.id, detail: { name: inserted.name } }, tx);
        return inserted;
      });
      await this.classGroups.classChanged(row.id);
      return this.classInfo(row.id);
    } catch (error) {
      if (pgErrorCode(error) === UNIQUE_VIOLATION) throw new DomainError('CLASS_EXISTS');
      throw error;
    }
  }

  // ── staff and role assignments ────────────────────────────────────────────────

  async staff(schoolId: string, schoolYear?: string): Promise<StaffDto[]> {
    const year = await this.schoolYear(schoolYear);
    return this.directory.staffOfSchool(schoolId, year.id);
  }

  /** Appoints a school's 家庭教育总协调员 or a class's teacher (the caller manages the school). */
  async appointStaff(principal: Principal, schoolId: string, dto: AppointStaffDto, ip: string): Promise<AppointmentDto> {
    let scopeId = schoolId;
    if (dto.role === 'teacher') {
      if (!dto.classId) throw new DomainError('ROLE_SCOPE_MISMATCH', { role: 'teacher', scopeType: 'class' });
      const place = await this.directory.classPlace(dto.classId);
      if (!place || place.schoolId !== schoolId) throw new DomainError('CLASS_NOT_FOUND');
      scopeId = dto.classId;
    } else if (dto.classId) {
      throw new DomainError('ROLE_SCOPE_MISMATCH', { role: 'coordinator', scopeType: 'school' });
    }
    const appointment = await this.appoint(principal, { ...dto, scopeType: dto.role === 'teacher' ? 'class' : 'school', scopeId }, ip);
    if (dto.role === 'teacher') await this.classGroups.classChanged(scopeId);
    return appointment;
  }

  async appointDistrictAdmin(principal: Principal, districtId: string, dto: AppointDistrictAdminDto, ip: string): Promise<AppointmentDto> {
    if (!principal.roles.includes('city_admin')) throw new DomainError('FORBIDDEN');
    return this.appoint(principal, { ...dto, role: 'district_admin', scopeType: 'district', scopeId: districtId }, ip);
  }

  async revokeAssignment(principal: Principal, assignmentId: string, ip: string): Promise<void> {
    const removed = await this.directory.transaction(async (tx) => {
      const removed = await this.directory.deleteAssignment(assignmentId, tx);
      if (!removed) throw new DomainError('ROLE_ASSIGNMENT_NOT_FOUND');
      await this.audit.record(
        {
          actorId: principal.userId,
          action: 'role.revoked',
          targetType: 'user',
          targetId: removed.userId,
          ip,
          detail: { role: removed.role, scopeType: removed.scopeType, scopeId: removed.scopeId },
        },
        tx,
      );
      return removed;
    });
    if (removed.scopeType === 'class' && removed.scopeId) await this.classGroups.classChanged(removed.scopeId);
  }

  private async appoint(
    principal: Principal,
    input: { phone: string; name: string; role: 'teacher' | 'coordinator' | 'district_admin'; scopeType: 'class' | 'school' | 'district'; scopeId: string; title?: string },
    ip: string,
  ): Promise<AppointmentDto> {
    // Hash outside the transaction: it takes ~160 ms and must not hold row locks meanwhile.
    const initialPassword = generatePassword();
    const passwordHash = await this.passwords.hash(initialPassword);
    return this.directory.transaction(async (tx) => {
      let user = await this.directory.lockUserByPhone(input.phone, tx);
      let issued: string | null = null;
      if (!user) {
        user = await this.directory.insertUser({ phone: input.phone, name: input.name, passwordHash, status: 'active', passwordChangeRequired: true }, tx);
        issued = initialPassword;
      } else if (!user.passwordHash) {
        await this.directory.activateUser(user.id, passwordHash, tx);
        issued = initialPassword;
      }
      const assignment = await this.directory.insertAssignment(
        { userId: user.id, role: input.role, scopeType: input.scopeType, scopeId: input.scopeId, title: input.title, createdBy: principal.userId },
        tx,
      );
      if (!assignment) throw new DomainError('ROLE_ASSIGNMENT_EXISTS');
      await this.audit.record(
        {
          actorId: principal.userId,
          action: 'role.assigned',
          targetType: 'user',
          targetId: user.id,
          ip,
          detail: { role: input.role, scopeType: input.scopeType, scopeId: input.scopeId, accountCreated: issued !== null },
        },
        tx,
      );
      return {
        id: assignment.id,
        userId: user.id,
        name: user.name,
        phone: user.phone,
        role: assignment.role,
        scopeType: assignment.scopeType,
        scopeId: assignment.scopeId,
        title: assignment.title,
        initialPassword: issued,
      };
    });
  }
}

const STATUS_LABELS: Record<string, string> = { active: '已激活', invited: '未激活', disabled: '已停用' };

function guardianView(g: GuardianRow, fullPhone: boolean): GuardianDto {
  return {
    userId: g.userId,
    name: g.name,
    phone: fullPhone ? g.phone : maskPhone(g.phone),
    relation: g.relation,
    isPrimary: g.isPrimary,
    status: g.status,
  };
}

/** 10 characters without look-alikes (0/O, 1/l/I), easy to read out over the phone. */
function generatePassword(): string {
  const alphabet = 'ABCDEFGHJKMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789';
  return Array.from({ length: 10 }, () => alphabet[randomInt(alphabet.length)]).join('');
}
