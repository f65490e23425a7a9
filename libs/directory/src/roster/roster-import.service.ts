import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { assertSpreadsheetUpload, DomainError, JobPayloads, Principal, QUEUES } from '@jiaxiao/common';
import { ImportRowError, ImportStats } from '@jiaxiao/db';
import { AuditService } from '@jiaxiao/platform';
import { ClassGroupTrigger } from '../class-group.trigger';
import { ImportStatusDto } from '../dto/roster.dto';
import { detectFormat, parseRoster, RosterRow } from './roster-file';
import { RosterRepository } from './roster.repository';

const CHUNK = 500;

/**
 * Class roster import: the API stores the upload and queues it; the worker parses it and
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
    @InjectQueue(QUEUES.imports) private readonly queue: Queue,
  ) {}

  async start(principal: Principal, classId: string, file: { fileName: string; content: Buffer }): Promise<ImportStatusDto> {
    if (file.content.length === 0) throw new DomainError('FILE_REQUIRED');
    const format = detectFormat(file.content);
    assertSpreadsheetUpload(file.content, format);
    const created = await this.roster.createImport({
      classId,
      uploadedBy: principal.userId,
      // The name is the client's (a multipart filename*= can carry %00); PostgreSQL text refuses NUL.
      fileName: file.fileName.replace(/\p{Cc}/gu, '').slice(0, 200) || 'roster',
      format,
      content: file.content,
    });
    const payload: JobPayloads['roster.import'] = { importId: created.id };
    // The import id is the job id: a retried enqueue cannot run the same import twice.
    await this.queue.add('roster.import', payload, { jobId: created.id, attempts: 3, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: 1000, removeOnFail: 1000 });
    return this.status(created.id);
  }

  async status(importId: string): Promise<ImportStatusDto> {
    const row = await this.roster.importById(importId);
    if (!row) throw new DomainError('IMPORT_NOT_FOUND');
    return {
      id: row.id,
      classId: row.classId,
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
      parsed = await parseRoster(job.content, job.format);
    } catch (error) {
      const reason = error instanceof DomainError ? String(error.params.detail ?? error.code) : '文件无法读取';
      await this.roster.finish(importId, { status: 'failed', failureReason: reason });
      return;
    }
    const { rows, problems } = parsed;
    await this.roster.setTotal(importId, rows.length, problems);

    const stats: ImportStats = { studentsCreated: 0, guardiansCreated: 0, guardianshipsCreated: 0, unchanged: 0 };
    for (let start = 0; start < rows.length; start += CHUNK) {
      const chunk = rows.slice(start, start + CHUNK);
      await this.roster.transaction(async (tx) => {
        const people = uniqueBy(chunk.map((r) => ({ phone: r.phone, name: r.guardianName })), (p) => p.phone);
        const guardians = await this.roster.upsertGuardians(people, tx);
        const studentsOf = await this.roster.upsertStudents(job.classId, [...new Set(chunk.map((r) => r.studentName))], tx);
        const needPrimary = await this.roster.withoutPrimary([...studentsOf.idByName.values()], tx);
        const links = uniqueBy(
          chunk.map((r) => ({ studentId: studentsOf.idByName.get(r.studentName) as string, userId: guardians.idByPhone.get(r.phone) as string, relation: r.relation })),
          (l) => `${l.studentId}:${l.userId}`,
        ).map((l) => {
          // The first guardian listed for a student without one becomes the primary contact.
          const isPrimary = needPrimary.delete(l.studentId);
          return { ...l, isPrimary };
        });
        const linked = await this.roster.insertGuardianships(links, tx);
        stats.studentsCreated += studentsOf.created.size;
        stats.guardiansCreated += guardians.created;
        stats.guardianshipsCreated += linked;
        stats.unchanged += chunk.length - linked;
        await this.roster.setProgress(importId, Math.min(start + CHUNK, rows.length), tx);
      });
    }
    // The class group follows before the import counts as done: a failure here retries the job.
    if (stats.guardianshipsCreated > 0) await this.classGroups.classChanged(job.classId);
    await this.roster.transaction(async (tx) => {
      await this.roster.finish(importId, { status: 'succeeded', stats }, tx);
      await this.audit.record(
        {
          actorId: job.uploadedBy,
          action: 'roster.imported',
          targetType: 'class',
          targetId: job.classId,
          detail: { importId, fileName: job.fileName, rows: rows.length, rejectedRows: new Set(problems.map((p) => p.row)).size, ...stats },
        },
        tx,
      );
    });
  }

  /**
   * The worker gave up on an import (its last attempt threw, e.g. the database went away):
   * without this it would stay 'running' and whoever polls it would wait forever.
   */
  async abandon(importId: string): Promise<void> {
    await this.roster.failUnfinished(importId, '导入时发生内部错误，请重新上传；多次失败请联系管理员');
  }
}

function uniqueBy<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const item of items) if (!seen.has(key(item))) seen.set(key(item), item);
  return [...seen.values()];
}
