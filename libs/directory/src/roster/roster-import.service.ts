import { Injectable } from '@nestjs/common';
import { assertSpreadsheetUpload, DomainError, Principal, schoolYearOf } from '@jiaxiao/common';
import { ImportRowError, ImportStats } from '@jiaxiao/db';
import { AuditService, OutboxService } from '@jiaxiao/platform';
import { ClassGroupTrigger } from '../class-group.trigger';
import { ImportStatusDto } from '../dto/roster.dto';
import { gradeOfClassName } from '../school-setup/grades';
import { detectFormat, parseRoster, RosterRow } from './roster-file';
import { RosterRepository } from './roster.repository';

const CHUNK = 500;

/**
 * Roster import, of one class or of a whole school (a 班级 column; missing classes of the current
 * school year are created): the API stores the upload with its `roster-import.uploaded` event; the worker parses it and
 * merges it in chunks (one transaction each, with progress). Idempotent: students are matched
 * by name within the class, guardians by phone, so the same file twice changes nothing; a
 * guardian with children in several classes or schools stays one account.
 */
@Injectable()
export class RosterImportService {
  constructor(
    private readonly roster: RosterRepository,
    private readonly audit: AuditService,
    private readonly classGroups: ClassGroupTrigger,
    private readonly outbox: OutboxService,
  ) {}

  start(principal: Principal, classId: string, file: { fileName: string; content: Buffer }): Promise<ImportStatusDto> {
    return this.enqueue(principal, { classId, schoolId: null }, file);
  }

  /** A whole-school sheet with a 班级 column. */
  startForSchool(principal: Principal, schoolId: string, file: { fileName: string; content: Buffer }): Promise<ImportStatusDto> {
    return this.enqueue(principal, { classId: null, schoolId }, file);
  }

  private async enqueue(
    principal: Principal,
    target: { classId: string | null; schoolId: string | null },
    file: { fileName: string; content: Buffer },
  ): Promise<ImportStatusDto> {
    if (file.content.length === 0) throw new DomainError('FILE_REQUIRED');
    const format = detectFormat(file.content);
    assertSpreadsheetUpload(file.content, format);
    const created = await this.roster.transaction(async (tx) => {
      const row = await this.roster.createImport(
        {
          ...target,
          uploadedBy: principal.userId,
          // The name is the client's (a multipart filename*= can carry %00); PostgreSQL text refuses NUL.
          fileName: file.fileName.replace(/\p{Cc}/gu, '').slice(0, 200) || 'roster',
          format,
          content: file.content,
        },
        tx,
      );
      return { row, event: await this.outbox.record(tx, 'roster-import.uploaded', { importId: row.id }) };
    });
    await this.outbox.publish(created.event);
    return this.status(created.row.id);
  }

  async status(importId: string): Promise<ImportStatusDto> {
    const row = await this.roster.importById(importId);
    if (!row) throw new DomainError('IMPORT_NOT_FOUND');
    return {
      id: row.id,
      classId: row.classId,
      schoolId: row.schoolId,
      fileName: row.fileName,
      status: row.status,
      totalRows: row.totalRows,
      processedRows: row.processedRows,
      progress: row.totalRows > 0 ? Math.floor((row.processedRows / row.totalRows) * 100) : row.status === 'succeeded' ? 100 : 0,
      stats: row.stats ?? null,
      errors: row.errors,
      failureReason: row.failureReason,
      createdAt: row.createdAt.toISOString(),
      finishedAt: row.finishedAt?.toISOString() ?? null,
    };
  }

  /** Runs one import (the worker's job). Safe to run again: each chunk is an idempotent merge. */
  async run(importId: string): Promise<void> {
    if (!(await this.roster.claim(importId))) return;
    const job = await this.roster.importById(importId);
    if (!job) return;
    let parsed: { rows: RosterRow[]; problems: ImportRowError[] };
    try {
      parsed = await parseRoster(job.content, job.format, job.classId === null);
    } catch (error) {
      const reason = error instanceof DomainError ? String(error.params.detail ?? error.code) : '文件无法读取';
      await this.roster.finish(importId, { status: 'failed', failureReason: reason });
      return;
    }
    const problems = parsed.problems;
    let classOf: (row: RosterRow) => string | undefined = () => job.classId ?? undefined;
    let classesCreated: number | undefined;
    if (job.schoolId && !job.classId) {
      const resolved = await this.resolveClasses(job.schoolId, schoolYearOf(job.createdAt), job.uploadedBy, importId, parsed.rows);
      if (!resolved) {
        await this.roster.finish(importId, {
          status: 'failed',
          failureReason: `${schoolYearOf(job.createdAt)} 学年尚未建立，请联系市教育局`,
        });
        return;
      }
      problems.push(...resolved.problems);
      classOf = (row) => resolved.idByName.get(row.className ?? '');
      classesCreated = resolved.created;
    }
    const rows = parsed.rows.filter((r) => classOf(r) !== undefined);
    problems.sort((a, b) => a.row - b.row);
    await this.roster.setTotal(importId, rows.length, problems);

    const stats: ImportStats = {
      studentsCreated: 0,
      guardiansCreated: 0,
      guardianshipsCreated: 0,
      unchanged: 0,
      ...(classesCreated === undefined ? {} : { classesCreated }),
    };
    // A class whose guardians a chunk changed gets its roster.changed in that chunk's transaction:
    // what is committed is announced, even if the job dies before the end (its retry adds no links).
    const events: number[] = [];
    for (let start = 0; start < rows.length; start += CHUNK) {
      const chunk = rows.slice(start, start + CHUNK);
      await this.roster.transaction(async (tx) => {
        const people = uniqueBy(
          chunk.map((r) => ({ phone: r.phone, name: r.guardianName })),
          (p) => p.phone,
        );
        const guardians = await this.roster.upsertGuardians(people, tx);
        stats.guardiansCreated += guardians.created;
        for (const [classId, classRows] of groupBy(chunk, (r) => classOf(r) as string)) {
          const studentsOf = await this.roster.upsertStudents(classId, [...new Set(classRows.map((r) => r.studentName))], tx);
          const needPrimary = await this.roster.withoutPrimary([...studentsOf.idByName.values()], tx);
          const links = uniqueBy(
            classRows.map((r) => ({
              studentId: studentsOf.idByName.get(r.studentName) as string,
              userId: guardians.idByPhone.get(r.phone) as string,
              relation: r.relation,
            })),
            (l) => `${l.studentId}:${l.userId}`,
          ).map((l) => {
            // The first guardian listed for a student without one becomes the primary contact.
            const isPrimary = needPrimary.delete(l.studentId);
            return { ...l, isPrimary };
          });
          const linked = await this.roster.insertGuardianships(links, tx);
          if (linked > 0) events.push(await this.classGroups.classChanged(tx, classId));
          stats.studentsCreated += studentsOf.created.size;
          stats.guardianshipsCreated += linked;
          stats.unchanged += classRows.length - linked;
        }
        await this.roster.setProgress(importId, Math.min(start + CHUNK, rows.length), tx);
      });
    }
    await this.roster.transaction(async (tx) => {
      await this.roster.finish(importId, { status: 'succeeded', stats }, tx);
      await this.audit.record(
        {
          actorId: job.uploadedBy,
          action: 'roster.imported',
          targetType: job.classId ? 'class' : 'school',
          targetId: (job.classId ?? job.schoolId) as string,
          detail: { importId, fileName: job.fileName, rows: rows.length, rejectedRows: new Set(problems.map((p) => p.row)).size, ...stats },
        },
        tx,
      );
    });
    await this.classGroups.publish(events);
  }

  /**
   * The classes a whole-school sheet names, in the school year of the upload: existing ones by
   * name, missing ones created (their grade read from the name, 初一(1)班 → 7), in one
   * transaction with their audit entries. Rows of a graduated class, or of a name without a
   * grade, become per-row errors. Undefined when the school year does not exist.
   */
  private async resolveClasses(schoolId: string, yearName: string, actorId: string, importId: string, rows: RosterRow[]) {
    const yearId = await this.roster.yearIdByName(yearName);
    if (!yearId) return undefined;
    const names = [...new Set(rows.map((r) => r.className ?? ''))];
    const existing = await this.roster.classesNamed(schoolId, yearId, names);
    const idByName = new Map(existing.filter((c) => !c.archivedAt).map((c) => [c.name, c.id]));
    const archived = new Set(existing.filter((c) => c.archivedAt).map((c) => c.name));
    const unknown = new Set<string>();
    const toCreate: { schoolId: string; schoolYearId: string; grade: number; name: string }[] = [];
    for (const name of names) {
      if (idByName.has(name) || archived.has(name)) continue;
      const grade = gradeOfClassName(name);
      if (grade === undefined) unknown.add(name);
      else toCreate.push({ schoolId, schoolYearId: yearId, grade, name });
    }
    const created = await this.roster.transaction(async (tx) => {
      const inserted = await this.roster.createClasses(toCreate, tx);
      for (const c of inserted) {
        await this.audit.record(
          { actorId, action: 'class.created', targetType: 'class', targetId: c.id, detail: { name: c.name, importId } },
          tx,
        );
      }
      return inserted;
    });
    // A class a concurrent import created in between is found by name.
    for (const c of await this.roster.classesNamed(
      schoolId,
      yearId,
      toCreate.map((t) => t.name),
    ))
      idByName.set(c.name, c.id);
    const problems: ImportRowError[] = [];
    for (const row of rows) {
      const name = row.className ?? '';
      if (archived.has(name)) problems.push({ row: row.row, field: '班级', message: `班级“${name}”已毕业归档，不能再导入学生` });
      else if (unknown.has(name))
        problems.push({
          row: row.row,
          field: '班级',
          message: `班级“${name}”不存在，且无法从名称识别年级：请写成 初一(1)班、三年级2班 这样以年级开头的名称`,
        });
    }
    return { idByName, problems, created: created.length };
  }

  /**
   * The worker gave up on an import (its last attempt threw, e.g. the database went away):
   * without this it would stay 'running' and whoever polls it would wait forever.
   */
  async abandon(importId: string): Promise<void> {
    await this.roster.failUnfinished(importId, '导入时发生内部错误，请重新上传；多次失败请联系管理员');
  }
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

function uniqueBy<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const item of items) if (!seen.has(key(item))) seen.set(key(item), item);
  return [...seen.values()];
}
