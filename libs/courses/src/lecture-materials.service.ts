import { Injectable, OnModuleInit } from '@nestjs/common';
import { DomainError, Principal } from '@jiaxiao/common';
import { PolicyService } from '@jiaxiao/auth';
import { FileAccessRegistry } from '@jiaxiao/files';
import { AuditService } from '@jiaxiao/platform';
import { AddMaterialDto, MaterialDto, MaterialListDto } from './dto/material.dto';
import { LectureMaterialsRepository } from './lecture-materials.repository';
import { LectureService } from './lecture.service';

/**
 * Lecture materials (课件, 讲义). Staff who manage a lecture attach files they uploaded
 * (`POST /uploads`); whoever may read the lecture — its audience, staff over it — lists them and
 * downloads them with `GET /files/:id`, through a check registered with the file-access registry.
 */
@Injectable()
export class LectureMaterialsService implements OnModuleInit {
  constructor(
    private readonly repository: LectureMaterialsRepository,
    private readonly lectures: LectureService,
    private readonly policy: PolicyService,
    private readonly files: FileAccessRegistry,
    private readonly audit: AuditService,
  ) {}

  onModuleInit() {
    // A material is managed (removed) by whoever manages its lecture.
    this.policy.register({
      resource: 'lecture_material',
      notFound: 'MATERIAL_NOT_FOUND',
      check: async (principal, action, id) => {
        const material = await this.repository.material(id);
        if (!material) return 'not_found';
        try {
          await this.policy.assert(principal, action, 'lecture', material.lectureId);
          return 'allowed';
        } catch (error) {
          if (error instanceof DomainError) return error.code === 'FORBIDDEN' ? 'forbidden' : 'not_found';
          throw error;
        }
      },
    });
    this.files.register(async (principal, fileId) => {
      for (const lectureId of await this.repository.lecturesWithFile(fileId)) {
        if (await this.mayRead(principal, lectureId)) return true;
      }
      return false;
    });
  }

  async add(principal: Principal, lectureId: string, dto: AddMaterialDto): Promise<MaterialDto> {
    const lecture = await this.lectures.mustGet(lectureId);
    // Attaching a file shares it: only its uploader may.
    const file = await this.repository.file(dto.fileId);
    if (!file || file.ownerId !== principal.userId) throw new DomainError('FILE_NOT_FOUND');
    const row = await this.repository.transaction(async (tx) => {
      const inserted = await this.repository.insert(
        { lectureId: lecture.id, fileId: file.id, title: dto.title.trim(), kind: dto.kind, addedBy: principal.userId },
        tx,
      );
      if (!inserted) throw new DomainError('MATERIAL_EXISTS');
      await this.audit.record(
        {
          actorId: principal.userId,
          action: 'lecture.material_added',
          targetType: 'lecture',
          targetId: lecture.id,
          detail: { fileId: file.id, title: inserted.title },
        },
        tx,
      );
      return inserted;
    });
    return {
      id: row.id,
      title: row.title,
      kind: row.kind,
      fileId: file.id,
      name: file.name,
      mime: file.mime,
      size: file.size,
      createdAt: row.createdAt.toISOString(),
    };
  }

  /**
   * Takes a material off its lecture (whoever may add one may: the route checks `lecture_material`).
   * The file stays stored for its uploader, but the lecture's audience no longer reaches it: the
   * file-access check above reads the materials table.
   */
  async remove(principal: Principal, materialId: string): Promise<void> {
    await this.repository.transaction(async (tx) => {
      const removed = await this.repository.remove(materialId, tx);
      if (!removed) throw new DomainError('MATERIAL_NOT_FOUND');
      await this.audit.record(
        {
          actorId: principal.userId,
          action: 'lecture.material_removed',
          targetType: 'lecture',
          targetId: removed.lectureId,
          detail: { fileId: removed.fileId, title: removed.title },
        },
        tx,
      );
    });
  }

  async list(lectureId: string): Promise<MaterialListDto> {
    const rows = await this.repository.ofLecture(lectureId);
    return { items: rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })), nextCursor: null };
  }

  private async mayRead(principal: Principal, lectureId: string): Promise<boolean> {
    try {
      await this.policy.assert(principal, 'read', 'lecture', lectureId);
      return true;
    } catch (error) {
      if (error instanceof DomainError) return false;
      throw error;
    }
  }
}
