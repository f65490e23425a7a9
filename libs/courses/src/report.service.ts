import { Injectable } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { areaScopeOf, DomainError, formatShanghai, maskPhone, Principal, schoolYearOf, spreadsheetText } from '@jiaxiao/common';
import { NotificationsService } from '@jiaxiao/notifications';
import { AuditService, OutboxService } from '@jiaxiao/platform';
import { CoursesRepository } from './courses.repository';
import { ReportRepository } from './report.repository';
import { ReportExportRepository } from './report-export.repository';
import { HourLedgerRepository } from './hour-ledger.repository';
import { ExportRequestDto } from './dto/lecture.dto';
import { ClassFollowUpDto, ClassReportDto, ExportStatusDto, SummaryReportDto, TrendReportDto } from './dto/progress.dto';

const rate = (compliant: number, households: number) => (households === 0 ? 0 : Math.round((compliant / households) * 10000) / 10000);

/**
 * Course-hour compliance for coordinators and the bureau. Class, school and city figures are sums
 * of the per-class totals (class_hour_totals, kept by the ledger's transaction), so a city report
 * reads one row per class, not a row per household. A household counts in the class it was in that
 * school year (class_memberships: a rollover keeps last year's), unless the student has left.
 */
@Injectable()
export class ReportService {
  constructor(
    private readonly repository: CoursesRepository,
    private readonly reportRepository: ReportRepository,
    private readonly reportExportRepository: ReportExportRepository,
    private readonly hourLedgerRepository: HourLedgerRepository,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
  ) {}

  /**
   * A school's households of a school year (in its classes that year, not left), those meeting the
   * year's requirement, and the requirement: current values, from the totals the ledger keeps.
   * For other contexts (示范学校's course-hour indicator), without a caller's scope check.
   */
  async schoolTotals(schoolId: string, schoolYearId: string): Promise<{ households: number; compliant: number; requiredHours: number }> {
    const [totals, requiredHours] = await Promise.all([
      this.reportRepository.schoolTotals(schoolId, schoolYearId),
      this.repository.requiredHours(schoolYearId),
    ]);
    return { ...totals, requiredHours: Number(requiredHours) };
  }

  /** Per class of one school; a coordinator's own school by default. */
  async classes(principal: Principal, query: { schoolId?: string; schoolYear?: string }): Promise<ClassReportDto> {
    const schoolId = query.schoolId ?? this.ownSchool(principal);
    const districtId = await this.assertCovers(principal, schoolId);
    const { year, required } = await this.year(query.schoolYear);
    const school = await this.repository.schoolName(schoolId);
    const rows = await this.reportRepository.classReport(schoolId, year.id);
    const visible = this.teacherOnly(principal, schoolId, districtId)
      ? rows.filter((r) => principal.assignments.some((a) => a.classId === r.classId))
      : rows;
    const households = visible.reduce((n, r) => n + r.households, 0);
    const compliant = visible.reduce((n, r) => n + r.compliant, 0);
    return {
      schoolId,
      schoolName: school ?? '',
      schoolYear: year.name,
      requiredHours: required,
      households,
      compliant,
      rate: rate(compliant, households),
      classes: visible.map((r) => ({ ...r, rate: rate(r.compliant, r.households) })),
    };
  }

  /** Per school and per district: a district's own area, or the whole city. */
  async summary(principal: Principal, query: { districtId?: string; schoolYear?: string }): Promise<SummaryReportDto> {
    const districtId = this.summaryDistrict(principal, query.districtId);
    const { year, required } = await this.year(query.schoolYear);
    const schools = (await this.reportRepository.schoolReport(year.id, districtId)).map((s) => ({
      ...s,
      rate: rate(s.compliant, s.households),
    }));
    const byDistrict = new Map<string, { districtId: string; districtName: string; households: number; compliant: number }>();
    for (const s of schools) {
      const d = byDistrict.get(s.districtId) ?? { districtId: s.districtId, districtName: s.districtName, households: 0, compliant: 0 };
      d.households += s.households;
      d.compliant += s.compliant;
      byDistrict.set(s.districtId, d);
    }
    const households = schools.reduce((n, s) => n + s.households, 0);
    const compliant = schools.reduce((n, s) => n + s.compliant, 0);
    return {
      schoolYear: year.name,
      requiredHours: required,
      households,
      compliant,
      rate: rate(compliant, households),
      districts: [...byDistrict.values()].map((d) => ({ ...d, rate: rate(d.compliant, d.households) })),
      schools,
    };
  }

  /**
   * The compliance rate month by month across the school year, scoped like the reports: a school
   * (a teacher who does not manage it: their classes), else the caller's district or the city.
   */
  async trend(principal: Principal, query: { schoolYear?: string; schoolId?: string; districtId?: string }): Promise<TrendReportDto> {
    const area = areaScopeOf(principal);
    const bySchool = query.schoolId !== undefined || (query.districtId === undefined && !area.city && area.districtIds.length === 0);
    const { year, required } = await this.year(query.schoolYear);
    let scope: {
      scopeType: 'city' | 'district' | 'school' | 'class';
      scopeId: string | null;
      filter: { districtId?: string; schoolId?: string; classIds?: string[] };
    };
    if (bySchool) {
      const schoolId = query.schoolId ?? this.ownSchool(principal);
      const districtId = await this.assertCovers(principal, schoolId);
      scope = this.teacherOnly(principal, schoolId, districtId)
        ? {
            scopeType: 'class',
            scopeId: null,
            filter: {
              schoolId,
              classIds: principal.assignments.filter((a) => a.role === 'teacher' && a.classId).map((a) => a.classId as string),
            },
          }
        : { scopeType: 'school', scopeId: schoolId, filter: { schoolId } };
    } else {
      const districtId = this.summaryDistrict(principal, query.districtId);
      scope = districtId
        ? { scopeType: 'district', scopeId: districtId, filter: { districtId } }
        : { scopeType: 'city', scopeId: null, filter: {} };
    }
    const rows = await this.reportRepository.monthlyCompliance(year, required, scope.filter);
    return {
      schoolYear: year.name,
      requiredHours: required,
      scopeType: scope.scopeType,
      scopeId: scope.scopeId,
      months: rows.map((r) => ({ ...r, rate: rate(r.compliant, r.households) })),
    };
  }

  /** The households of a class below the requirement, guardians' numbers masked, for the class teacher to follow up. */
  async followUp(classId: string, schoolYear?: string): Promise<ClassFollowUpDto> {
    const { year, required } = await this.year(schoolYear);
    const rows = await this.reportRepository.nonCompliant(classId, year.id, required);
    const households = new Map<string, ClassFollowUpDto['households'][number]>();
    for (const r of rows) {
      const h = households.get(r.studentId) ?? {
        studentId: r.studentId,
        studentName: r.studentName,
        earnedHours: r.earned,
        missingHours: Math.max(0, required - r.earned),
        guardians: [],
      };
      if (r.guardianId && r.phone && r.guardianName && r.relation) {
        h.guardians.push({ userId: r.guardianId, name: r.guardianName, phone: maskPhone(r.phone), relation: r.relation });
      }
      households.set(r.studentId, h);
    }
    return { classId, schoolYear: year.name, requiredHours: required, households: [...households.values()] };
  }

  /** 提醒未完成: a notification to each guardian of the class's households still below the requirement. */
  async remindClass(principal: Principal, classId: string, schoolYear?: string): Promise<{ reminded: number }> {
    const report = await this.followUp(classId, schoolYear);
    const now = new Date();
    const created = await this.notifications.create(
      report.households.flatMap((h) =>
        h.guardians.map((g) => ({
          userId: g.userId,
          kind: 'course.remind',
          title: '【家庭教育课程】学时尚未完成',
          body: `${h.studentName}家庭本学年已完成 ${h.earnedHours} 学时，还差 ${h.missingHours} 学时。请关注近期的父母大讲堂和学校课程安排。`,
          data: {
            classId,
            studentId: h.studentId,
            schoolYear: report.schoolYear,
            studentName: h.studentName,
            earned: h.earnedHours,
            required: report.requiredHours,
          },
          dedupeKey: `course-remind:${classId}:${report.schoolYear}:${formatShanghai(now, false)}`,
          deliverAt: now,
        })),
      ),
    );
    await this.notifications.dispatch(created);
    await this.audit.record({
      actorId: principal.userId,
      action: 'course.reminded',
      targetType: 'class',
      targetId: classId,
      detail: { reminded: created.length },
    });
    return { reminded: created.length };
  }

  // ── exports ───────────────────────────────────────────────────────────────────

  async requestExport(principal: Principal, dto: ExportRequestDto): Promise<ExportStatusDto> {
    const schoolYear = dto.schoolYear ?? schoolYearOf(new Date());
    // Store the district the summary rule resolves to, not the one asked for: a district bureau
    // asking without one would otherwise get the whole city.
    const districtId = dto.schoolId ? undefined : this.summaryDistrict(principal, dto.districtId);
    if (dto.schoolId) await this.assertCovers(principal, dto.schoolId);
    await this.year(schoolYear);
    const { row, event } = await this.repository.transaction(async (tx) => {
      const inserted = await this.reportExportRepository.insertExport(
        { requestedBy: principal.userId, params: { schoolYear, schoolId: dto.schoolId, districtId } },
        tx,
      );
      return { row: inserted, event: await this.outbox.record(tx, 'report-export.requested', { exportId: inserted.id }) };
    });
    await this.outbox.publish(event);
    return this.exportStatus(row.id);
  }

  async exportStatus(exportId: string): Promise<ExportStatusDto> {
    const row = await this.reportExportRepository.exportById(exportId);
    if (!row) throw new DomainError('EXPORT_NOT_FOUND');
    return {
      id: row.id,
      status: row.status,
      progress: row.progress,
      fileName: row.fileName,
      downloadUrl: row.status === 'succeeded' ? `/reports/exports/${row.id}/file` : null,
    };
  }

  async exportFile(principal: Principal, exportId: string, ip: string): Promise<{ fileName: string; content: Buffer }> {
    const row = await this.reportExportRepository.exportById(exportId);
    if (!row) throw new DomainError('EXPORT_NOT_FOUND');
    if (row.status !== 'succeeded' || !row.content) throw new DomainError('EXPORT_NOT_READY');
    await this.audit.record({
      actorId: principal.userId,
      action: 'report.exported',
      targetType: 'export',
      targetId: row.id,
      ip,
      detail: row.params,
    });
    return { fileName: row.fileName ?? 'report.xlsx', content: row.content };
  }

  /** The worker's job: a workbook with the summary and, per class, the households still to follow up. */
  async buildExport(exportId: string): Promise<void> {
    const row = await this.reportExportRepository.exportById(exportId);
    if (!row || row.status === 'succeeded') return;
    await this.reportExportRepository.updateExport(exportId, { status: 'running', progress: 0 });
    const { year } = await this.year(row.params.schoolYear);
    const schools = row.params.schoolId
      ? (await this.reportRepository.schoolReport(year.id)).filter((s) => s.schoolId === row.params.schoolId)
      : await this.reportRepository.schoolReport(year.id, row.params.districtId);
    const workbook = new ExcelJS.Workbook();
    workbook.creator = '家校共育平台';
    const summary = workbook.addWorksheet('学校汇总');
    summary.columns = [
      { header: '区县', key: 'district', width: 12 },
      { header: '学校', key: 'school', width: 20 },
      { header: '家庭数', key: 'households', width: 10 },
      { header: '已完成', key: 'compliant', width: 10 },
      { header: '完成率', key: 'rate', width: 10 },
      { header: '平均学时', key: 'average', width: 10 },
    ];
    const follow = workbook.addWorksheet('未完成家庭');
    follow.columns = [
      { header: '学校', key: 'school', width: 20 },
      { header: '班级', key: 'class', width: 14 },
      { header: '学生', key: 'student', width: 12 },
      { header: '已完成学时', key: 'earned', width: 12 },
      { header: '家长', key: 'guardian', width: 12 },
      { header: '联系电话', key: 'phone', width: 14 },
    ];
    for (const [index, s] of schools.entries()) {
      summary.addRow({
        district: spreadsheetText(s.districtName),
        school: spreadsheetText(s.schoolName),
        households: s.households,
        compliant: s.compliant,
        rate: rate(s.compliant, s.households),
        average: s.averageHours,
      });
      for (const c of await this.reportRepository.classReport(s.schoolId, year.id)) {
        const pending = await this.followUp(c.classId, year.name);
        for (const h of pending.households) {
          const g = h.guardians[0];
          follow.addRow({
            school: spreadsheetText(s.schoolName),
            class: spreadsheetText(c.className),
            student: spreadsheetText(h.studentName),
            earned: h.earnedHours,
            guardian: spreadsheetText(g?.name ?? ''),
            phone: g?.phone ?? '',
          });
        }
      }
      await this.reportExportRepository.updateExport(exportId, { progress: Math.floor(((index + 1) / schools.length) * 100) });
    }
    for (const sheet of [summary, follow]) sheet.getRow(1).font = { bold: true };
    summary.getColumn('rate').numFmt = '0.0%';
    const content = Buffer.from(await workbook.xlsx.writeBuffer());
    await this.reportExportRepository.updateExport(exportId, {
      status: 'succeeded',
      progress: 100,
      content,
      fileName: `家庭教育课程完成情况-${year.name}.xlsx`,
      finishedAt: new Date(),
    });
  }

  /** The worker gave up on an export: say so, or its requester polls a "running" export for ever. */
  async abandonExport(exportId: string): Promise<void> {
    const row = await this.reportExportRepository.exportById(exportId);
    if (!row || row.status === 'succeeded') return;
    await this.reportExportRepository.updateExport(exportId, { status: 'failed', finishedAt: new Date() });
  }

  /** The school year and its requirement, in one read. */
  private async year(name?: string) {
    const year = await this.hourLedgerRepository.yearWithRequirement(name ?? schoolYearOf(new Date()));
    if (!year) throw new DomainError('SCHOOL_YEAR_NOT_FOUND');
    return { year, required: year.required };
  }

  private ownSchool(principal: Principal): string {
    const own = principal.assignments.find((a) => a.schoolId && (a.role === 'coordinator' || a.role === 'teacher'));
    if (!own?.schoolId) throw new DomainError('VALIDATION_FAILED', {}, [{ field: 'schoolId', constraint: 'isDefined' }]);
    return own.schoolId;
  }

  /** The district a summary (or its export) covers: undefined for the whole city, which only city staff see. */
  private summaryDistrict(principal: Principal, asked?: string): string | undefined {
    const area = areaScopeOf(principal);
    const districtId = asked ?? (area.city ? undefined : area.districtIds[0]);
    if (!area.city && (!districtId || !area.districtIds.includes(districtId))) throw new DomainError('FORBIDDEN');
    return districtId;
  }

  /** Returns the school's district. */
  private async assertCovers(principal: Principal, schoolId: string): Promise<string> {
    const district = await this.repository.schoolDistrict(schoolId);
    if (!district) throw new DomainError('SCHOOL_NOT_FOUND');
    const area = areaScopeOf(principal);
    const covers =
      area.city ||
      area.districtIds.includes(district) ||
      area.schoolIds.includes(schoolId) ||
      principal.assignments.some((a) => a.role === 'teacher' && a.schoolId === schoolId);
    if (!covers) throw new DomainError('FORBIDDEN');
    return district;
  }

  /**
   * A teacher who does not also manage the school sees only their own classes. Managing means the
   * school's own district, not any district the caller runs (a teacher may run another district).
   */
  private teacherOnly(principal: Principal, schoolId: string, districtId: string): boolean {
    const area = areaScopeOf(principal);
    return !area.city && !area.schoolIds.includes(schoolId) && !area.districtIds.includes(districtId);
  }
}
