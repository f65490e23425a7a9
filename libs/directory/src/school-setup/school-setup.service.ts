import { Injectable } from '@nestjs/common';
import { DomainError, Principal, schoolYearOf } from '@jiaxiao/common';
import { DbExecutor, pgConstraint, pgErrorCode, RolloverSummary, UNIQUE_VIOLATION } from '@jiaxiao/db';
import { AuditService } from '@jiaxiao/platform';
import { ClassGroupTrigger } from '../class-group.trigger';
import { promotedName, TOP_GRADE } from './grades';
import { LeaveStudentDto, RolloverDto, RolloverQueryDto, StudentMoveDto, TransferStudentDto } from './school-setup.dto';
import { SchoolSetupRepository } from './school-setup.repository';

/**
 * Setting a school up year to year: the rollover (升级), 分班 and students leaving. A student
 * is one row for life at the school: moving class (or up a grade) changes its class, so its
 * guardians, hours and history stay with it; class groups follow through the messaging worker.
 */
@Injectable()
export class SchoolSetupService {
  constructor(
    private readonly repository: SchoolSetupRepository,
    private readonly audit: AuditService,
    private readonly classGroups: ClassGroupTrigger,
  ) {}

  /** What the rollover would do (or did, once done). Changes nothing. */
  async previewRollover(schoolId: string, query: RolloverQueryDto): Promise<RolloverDto> {
    const { school, from, to } = await this.years(schoolId, query);
    const done = await this.repository.rollover(schoolId, from.id);
    if (done) return { schoolId, fromYear: from.name, toYear: to.name, committed: true, alreadyDone: true, ...done.summary };
    const plan = await this.plan(school, from.id, to.id);
    return {
      schoolId,
      fromYear: from.name,
      toYear: to.name,
      committed: false,
      alreadyDone: false,
      promoted: plan.promoted.map(({ grade: _grade, ...p }) => p),
      archived: plan.archived,
    };
  }

  /**
   * 升级, in one transaction: every open class below the school's last grade moves into a class a
   * grade up in the new year (created when missing) with its students and teachers; classes of
   * the last grade are archived with their students and history. Once per school and year: a
   * second call changes nothing and answers what the first did.
   */
  async rollover(principal: Principal, schoolId: string, body: RolloverQueryDto): Promise<RolloverDto> {
    const { school, from, to } = await this.years(schoolId, body);
    const events: number[] = [];
    const outcome = await this.repository
      .transaction(async (tx) => {
        const plan = await this.plan(school, from.id, to.id, tx);
        const summary: RolloverSummary = { promoted: [], archived: plan.archived };
        const rolloverId = await this.repository.claimRollover(
          { schoolId, fromYearId: from.id, toYearId: to.id, performedBy: principal.userId, summary },
          tx,
        );
        if (!rolloverId) return undefined;
        for (const { grade, ...p } of plan.promoted) {
          const target = await this.repository.ensureClass({ schoolId, schoolYearId: to.id, grade: grade + 1, name: p.to }, tx);
          const students = await this.repository.moveStudents(p.fromClassId, target.id, tx);
          await this.repository.copyTeachers(p.fromClassId, target.id, principal.userId, tx);
          summary.promoted.push({ ...p, toClassId: target.id, students });
          events.push(await this.classGroups.classMoved(tx, p.fromClassId, target.id));
        }
        for (const a of plan.archived) await this.repository.archiveClass(a.classId, tx);
        await this.repository.saveSummary(rolloverId, summary, tx);
        await this.audit.record(
          {
            actorId: principal.userId,
            action: 'school.rolled_over',
            targetType: 'school',
            targetId: schoolId,
            detail: {
              fromYear: from.name,
              toYear: to.name,
              promoted: summary.promoted.length,
              archived: summary.archived.length,
              students: summary.promoted.reduce((n, p) => n + p.students, 0),
            },
          },
          tx,
        );
        return summary;
      })
      .catch((error: unknown) => {
        if (pgErrorCode(error) === UNIQUE_VIOLATION && pgConstraint(error) === 'students_class_name_uq')
          throw new DomainError('STUDENT_NAME_TAKEN', { name: takenName(error) });
        throw error;
      });
    if (!outcome) {
      const done = await this.repository.rollover(schoolId, from.id);
      return { schoolId, fromYear: from.name, toYear: to.name, committed: true, alreadyDone: true, ...done!.summary };
    }
    await this.classGroups.publish(events);
    return { schoolId, fromYear: from.name, toYear: to.name, committed: true, alreadyDone: false, ...outcome };
  }

  /** 分班: the student moves to another class of the school in the same year and stays one child for its guardians. */
  async transfer(principal: Principal, studentId: string, dto: TransferStudentDto): Promise<StudentMoveDto> {
    const events: number[] = [];
    const moved = await this.repository.transaction(async (tx) => {
      const student = await this.repository.lockStudent(studentId, tx);
      if (!student) throw new DomainError('STUDENT_NOT_FOUND');
      if (student.leftAt) throw new DomainError('STUDENT_ALREADY_LEFT');
      const [current, target] = [await this.repository.classOf(student.classId, tx), await this.repository.classOf(dto.classId, tx)];
      if (!target) throw new DomainError('CLASS_NOT_FOUND');
      if (target.schoolId !== current!.schoolId || target.schoolYearId !== current!.schoolYearId || target.archivedAt)
        throw new DomainError('TRANSFER_NOT_ALLOWED');
      if (target.id === current!.id) return { to: target };
      // Names are unique within a class (roster imports match by them): a namesake must be told apart first.
      if (await this.repository.nameTaken(target.id, student.name, tx)) throw new DomainError('STUDENT_NAME_TAKEN', { name: student.name });
      await this.repository.setClass(studentId, target.id, tx);
      events.push(await this.classGroups.classChanged(tx, current!.id), await this.classGroups.classChanged(tx, target.id));
      await this.audit.record(
        {
          actorId: principal.userId,
          action: 'student.transferred',
          targetType: 'student',
          targetId: studentId,
          detail: { fromClassId: current!.id, toClassId: target.id, from: current!.name, to: target.name },
        },
        tx,
      );
      return { to: target };
    });
    await this.classGroups.publish(events);
    return this.studentView(studentId, moved.to);
  }

  /** A student leaves the school: guardianships end (class groups follow), hours and messages stay. */
  async leave(principal: Principal, studentId: string, dto: LeaveStudentDto): Promise<StudentMoveDto> {
    const left = await this.repository.transaction(async (tx) => {
      const student = await this.repository.lockStudent(studentId, tx);
      if (!student) throw new DomainError('STUDENT_NOT_FOUND');
      if (student.leftAt) throw new DomainError('STUDENT_ALREADY_LEFT');
      const ended = await this.repository.endGuardianships(studentId, tx);
      const reason = dto.reason?.trim() || null;
      await this.repository.markLeft(studentId, reason, tx);
      const event = await this.classGroups.classChanged(tx, student.classId);
      await this.audit.record(
        {
          actorId: principal.userId,
          action: 'student.left',
          targetType: 'student',
          targetId: studentId,
          detail: { classId: student.classId, reason, guardianships: ended },
        },
        tx,
      );
      return { ...student, event };
    });
    await this.classGroups.publish([left.event]);
    return this.studentView(studentId, (await this.repository.classOf(left.classId))!);
  }

  private async studentView(studentId: string, klass: { id: string; name: string }): Promise<StudentMoveDto> {
    const row = await this.repository.student(studentId);
    const guardians = await this.repository.guardianCount(studentId);
    return {
      id: studentId,
      name: row!.name,
      classId: klass.id,
      className: klass.name,
      leftAt: row!.leftAt?.toISOString() ?? null,
      guardians,
    };
  }

  private async years(schoolId: string, query: RolloverQueryDto) {
    const school = await this.repository.school(schoolId);
    if (!school) throw new DomainError('SCHOOL_NOT_FOUND');
    const fromName = query.fromYear ?? schoolYearOf(new Date());
    const start = Number(fromName.slice(0, 4));
    if (Number(fromName.slice(5)) !== start + 1)
      throw new DomainError('VALIDATION_FAILED', {}, [{ field: 'fromYear', constraint: 'matches' }]);
    const toName = query.toYear ?? `${start + 1}-${start + 2}`;
    if (toName !== `${start + 1}-${start + 2}`) throw new DomainError('ROLLOVER_YEAR_INVALID');
    const [from, to] = [await this.repository.yearByName(fromName), await this.repository.yearByName(toName)];
    if (!from || !to) throw new DomainError('SCHOOL_YEAR_NOT_FOUND');
    return { school, from, to };
  }

  private async plan(school: { id: string; type: keyof typeof TOP_GRADE }, fromYearId: string, toYearId: string, tx?: DbExecutor) {
    const open = await this.repository.openClasses(school.id, fromYearId, tx);
    const top = TOP_GRADE[school.type];
    const promoted: { fromClassId: string; toClassId: string | null; from: string; to: string; students: number; grade: number }[] = [];
    const archived: RolloverSummary['archived'] = [];
    for (const c of open) {
      if (c.grade >= top) {
        archived.push({ classId: c.id, name: c.name, students: c.students });
        continue;
      }
      const to = promotedName(c.name, c.grade);
      const existing = await this.repository.classByName(school.id, toYearId, to, tx);
      promoted.push({ fromClassId: c.id, toClassId: existing?.id ?? null, from: c.name, to, students: c.students, grade: c.grade });
    }
    return { promoted, archived };
  }
}

/** The name in a unique violation's detail (Key (class_id, name)=(…, 张伟) already exists); Drizzle wraps the driver's error. */
function takenName(error: unknown): string {
  for (let e: unknown = error, depth = 0; e && depth < 4; depth++) {
    const detail = (e as { detail?: unknown }).detail;
    const match = typeof detail === 'string' ? /=\([^,]+, (.+)\) already exists/.exec(detail) : null;
    if (match) return match[1];
    e = (e as { cause?: unknown }).cause;
  }
  return '';
}
