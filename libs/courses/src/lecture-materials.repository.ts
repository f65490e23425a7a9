import { Inject, Injectable } from '@nestjs/common';
import { asc, eq } from 'drizzle-orm';
import { DB, Database, DbExecutor, lectureMaterials, MaterialKind } from '@jiaxiao/db';
import { uploads } from '@jiaxiao/files';

/** Lecture materials (课件, 讲义): files attached to a lecture. */
@Injectable()
export class LectureMaterialsRepository {
  constructor(@Inject(DB) private readonly db: Database) {}

  transaction<T>(work: (tx: DbExecutor) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  async file(id: string) {
    const [row] = await this.db
      .select({ id: uploads.id, ownerId: uploads.ownerId, name: uploads.name, mime: uploads.mime, size: uploads.size })
      .from(uploads)
      .where(eq(uploads.id, id));
    return row;
  }

  /** Adds a material; undefined when the file is already attached to the lecture. */
  async insert(values: { lectureId: string; fileId: string; title: string; kind: MaterialKind; addedBy: string }, db: DbExecutor) {
    const [row] = await db.insert(lectureMaterials).values(values).onConflictDoNothing().returning();
    return row;
  }

  async ofLecture(lectureId: string) {
    return this.db
      .select({
        id: lectureMaterials.id,
        title: lectureMaterials.title,
        kind: lectureMaterials.kind,
        fileId: uploads.id,
        name: uploads.name,
        mime: uploads.mime,
        size: uploads.size,
        createdAt: lectureMaterials.createdAt,
      })
      .from(lectureMaterials)
      .innerJoin(uploads, eq(uploads.id, lectureMaterials.fileId))
      .where(eq(lectureMaterials.lectureId, lectureId))
      .orderBy(asc(lectureMaterials.createdAt), asc(lectureMaterials.id));
  }

  async material(id: string) {
    const [row] = await this.db
      .select({ id: lectureMaterials.id, lectureId: lectureMaterials.lectureId })
      .from(lectureMaterials)
      .where(eq(lectureMaterials.id, id));
    return row;
  }

  /** Takes a material off its lecture; undefined when it is already gone. */
  async remove(id: string, db: DbExecutor) {
    const [row] = await db
      .delete(lectureMaterials)
      .where(eq(lectureMaterials.id, id))
      .returning({ lectureId: lectureMaterials.lectureId, fileId: lectureMaterials.fileId, title: lectureMaterials.title });
    return row;
  }

  /** The lectures a file is a material of. */
  async lecturesWithFile(fileId: string): Promise<string[]> {
    const rows = await this.db
      .select({ lectureId: lectureMaterials.lectureId })
      .from(lectureMaterials)
      .where(eq(lectureMaterials.fileId, fileId));
    return rows.map((r) => r.lectureId);
  }
}
