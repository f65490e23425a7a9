import { Injectable } from '@nestjs/common';
import ExcelJS from 'exceljs';
import {
  areaScopeOf,
  DomainError,
  formatShanghai,
  maskPhone,
  pageWindow,
  Principal,
  PRIVACY_NOTICE,
  staffSchoolIds,
  spreadsheetText,
} from '@jiaxiao/common';
import { pgErrorCode, UNIQUE_VIOLATION } from '@jiaxiao/db';
import { AuditService, Cacheable, ReadCache, ReadCaches } from '@jiaxiao/platform';
import { ClassGroupTrigger } from './class-group.trigger';
import { DirectoryRepository, GuardianRow } from './directory.repository';
import { UserRepository } from './user.repository';
import { StudentRepository } from './student.repository';
import { ClassRepository } from './class.repository';
import { searchRoster } from './roster-search';
import {
  ChildDto,
  ClassDto,
  ClassListQueryDto,
  ClassPageDto,
  ClassSummaryDto,
  CreateClassDto,
  GuardianDto,
  MeDto,
  RosterDto,
  RosterQueryDto,
  ScopeDto,
  StudentDto,
} from './dto/directory.dto';
import { SchoolService } from './school.service';

/** Callers whose own view a process keeps (about a kilobyte each). */
const CACHED_CALLERS = 50_000;

/** What the caller's own view reads from the database: the account, the children and the names of the places it is assigned to. */
interface CallerRecord {
  user: { id: string; name: string; phone: string };
  children: ChildDto[];
  /** `scopeType:scopeId` → the place's name, for the assignments the record was read for */
  placeNames: Map<string, string | null>;
}

const placeKey = (scopeType: string, scopeId: string | null) => `${scopeType}:${scopeId ?? ''}`;

/**
 * The caller's own view (who they are, their children), a class with its students and roster, and
 * a school's classes. The H5 reads the caller's view on most screens, so a process keeps what it
 * reads from the database per user until the database notifies a change to the account (its
 * assignments, consents, guardianships), one of the children, or any place or school year (ReadCache).
 */
@Injectable()
export class DirectoryService {
  private readonly callers: ReadCache<string, CallerRecord>;

  constructor(
    private readonly directory: DirectoryRepository,
    private readonly userRepository: UserRepository,
    private readonly studentRepository: StudentRepository,
    private readonly classRepository: ClassRepository,
    private readonly audit: AuditService,
    private readonly classGroups: ClassGroupTrigger,
    private readonly schools: SchoolService,
    caches: ReadCaches,
  ) {
    this.callers = caches.create('me', { max: CACHED_CALLERS, flushOn: ['places', 'courses'] });
  }

  // ── the caller ────────────────────────────────────────────────────────────────

  async me(principal: Principal): Promise<MeDto> {
    // Before consent a guardian sees no child's data, not even here: the children are not read.
    const consented = !principal.consentRequired;
    const record = await this.callers.read(`${principal.userId}:${consented}`, () => this.readCaller(principal, consented));
    if (!record) throw new DomainError('USER_NOT_FOUND');
    const { user, children, placeNames } = record;
    const scopes: ScopeDto[] = await Promise.all(
      principal.assignments.map(async (a) => ({
        role: a.role,
        scopeType: a.scopeType,
        scopeId: a.scopeId,
        scopeName: await this.placeName(placeNames, a.scopeType, a.scopeId),
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

  private async readCaller(principal: Principal, consented: boolean): Promise<Cacheable<CallerRecord> | undefined> {
    const [user, children, placeNames] = await Promise.all([
      this.userRepository.userById(principal.userId),
      consented ? this.children(principal) : [],
      Promise.all(
        principal.assignments.map(async (a): Promise<[string, string | null]> => [
          placeKey(a.scopeType, a.scopeId),
          await this.scopeName(a.scopeType, a.scopeId),
        ]),
      ),
    ]);
    if (!user) return undefined;
    return {
      value: { user: { id: user.id, name: user.name, phone: user.phone }, children, placeNames: new Map(placeNames) },
      tags: [`user:${user.id}`, ...children.map((child) => `student:${child.id}`)],
    };
  }

  async children(principal: Principal): Promise<ChildDto[]> {
    const rows = await this.studentRepository.childrenOf(principal.userId);
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

  /** A place's name from the caller's record, or read (an assignment newer than the record). */
  private async placeName(names: Map<string, string | null>, type: string, id: string | null): Promise<string | null> {
    const key = placeKey(type, id);
    return names.has(key) ? (names.get(key) ?? null) : this.scopeName(type, id);
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
    const guardians = await this.studentRepository.guardiansOf([studentId]);
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
    const [teachers, year] = await Promise.all([
      this.classRepository.teachersOfClass(classId),
      this.directory.schoolYearById(place.schoolYearId),
    ]);
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
    const [info, students] = await Promise.all([this.classInfo(classId), this.studentRepository.studentsOfClass(classId)]);
    const guardians = await this.studentRepository.guardiansOf(students.map((s) => s.id));
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
          status: g ? (STATUS_LABELS[g.status] ?? g.status) : '',
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

  // ── classes ───────────────────────────────────────────────────────────────────

  /** A school's classes in a year; a teacher who does not manage the school sees only their own classes. */
  async classes(principal: Principal, schoolId: string, schoolYear?: string): Promise<ClassSummaryDto[]> {
    const year = await this.schools.schoolYear(schoolYear);
    const scope = areaScopeOf(principal);
    const school = await this.schools.school(schoolId);
    const seesAll = scope.city || scope.districtIds.includes(school.districtId) || scope.schoolIds.includes(schoolId);
    const rows = await this.classRepository.listClasses({
      schoolId,
      schoolYearId: year.id,
      classIds: seesAll ? undefined : scope.classIds,
    });
    return rows.map((c) => ({ id: c.id, name: c.name, grade: c.grade, studentCount: c.studentCount }));
  }

  /** One page of the school's classes (a teacher who does not manage the school: their classes only). */
  async classPage(principal: Principal, schoolId: string, query: ClassListQueryDto): Promise<ClassPageDto> {
    const year = await this.schools.schoolYear(query.schoolYear);
    const scope = areaScopeOf(principal);
    const school = await this.schools.school(schoolId);
    const seesAll = scope.city || scope.districtIds.includes(school.districtId) || scope.schoolIds.includes(schoolId);
    const sort = query.sort ?? 'grade';
    return this.classRepository.pageClasses(
      {
        schoolId,
        schoolYearId: year.id,
        classIds: seesAll ? undefined : scope.classIds,
        grade: query.grade,
        q: query.q?.trim() || undefined,
      },
      { by: sort.replace('-', '') as 'name' | 'grade' | 'students', descending: sort.startsWith('-') },
      pageWindow(query),
    );
  }

  async createClass(principal: Principal, schoolId: string, dto: CreateClassDto): Promise<ClassDto> {
    const year = await this.schools.schoolYear(dto.schoolYear);
    try {
      const { row, event } = await this.directory.transaction(async (tx) => {
        const inserted = await this.classRepository.insertClass({ schoolId, schoolYearId: year.id, grade: dto.grade, name: dto.name }, tx);
        await this.audit.record(
          {
            actorId: principal.userId,
            action: 'class.created',
            targetType: 'class',
            targetId: inserted.id,
            detail: { name: inserted.name },
          },
          tx,
        );
        return { row: inserted, event: await this.classGroups.classChanged(tx, inserted.id) };
      });
      await this.classGroups.publish([event]);
      return this.classInfo(row.id);
    } catch (error) {
      if (pgErrorCode(error) === UNIQUE_VIOLATION) throw new DomainError('CLASS_EXISTS');
      throw error;
    }
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
