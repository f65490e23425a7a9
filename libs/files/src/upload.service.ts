import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DomainError, Principal } from '@jiaxiao/common';
import { FileDto } from './dto/file.dto';
import { FileAccessRegistry } from './file-access.registry';
import { FilesRepository } from './files.repository';
import { FILE_STORAGE, FileStorage } from './storage/file-storage';
import { sniff } from './storage/sniff';

export type FileDownload = { name: string; mime: string } & (
  { content: Buffer; redirect?: undefined } | { redirect: string; content?: undefined }
);
/** A stored file as a message attachment names it. */
export type OwnedFile = Pick<FileDto, 'id' | 'name' | 'mime' | 'size'>;

export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

/** Images (png, jpeg, gif, webp ≤ 5 MB) and files (pdf, docx, xlsx, pptx ≤ 10 MB) for messages, lectures, committees and campaigns. */
@Injectable()
export class UploadService {
  constructor(
    private readonly repository: FilesRepository,
    @Inject(FILE_STORAGE) private readonly storage: FileStorage,
    private readonly fileAccess: FileAccessRegistry,
  ) {}

  async upload(principal: Principal, file: { name: string; content: Buffer }): Promise<FileDto> {
    if (file.content.length === 0) throw new DomainError('FILE_REQUIRED');
    const type = sniff(file.content);
    if (!type) throw new DomainError('UNSUPPORTED_MEDIA_TYPE');
    const limit = type.kind === 'image' ? MAX_IMAGE_BYTES : MAX_FILE_BYTES;
    if (file.content.length > limit) throw new DomainError('FILE_TOO_LARGE', { limit: `${limit / 1024 / 1024} MB` });
    const storageKey = `${new Date().toISOString().slice(0, 7)}/${randomUUID()}`;
    await this.storage.put(storageKey, file.content);
    const row = await this.repository.insertFile({
      ownerId: principal.userId,
      name: file.name.slice(0, 200) || 'file',
      mime: type.mime,
      size: file.content.length,
      storageKey,
    });
    return { id: row.id, name: row.name, mime: row.mime, size: row.size, kind: type.kind };
  }

  /** A file the caller uploaded, to attach to something they write; anyone else's is not shown to exist. */
  async owned(principal: Principal, fileId: string): Promise<OwnedFile> {
    const row = await this.repository.fileById(fileId);
    if (!row || row.ownerId !== principal.userId) throw new DomainError('FILE_NOT_FOUND');
    return { id: row.id, name: row.name, mime: row.mime, size: row.size };
  }

  /**
   * The uploader, and whoever a registered check admits (members of a conversation the file was sent to, …), may download it.
   * The access check comes first; then a store that serves downloads itself (S3) gives a short-lived link instead of the bytes.
   */
  async download(principal: Principal, fileId: string): Promise<FileDownload> {
    const row = await this.repository.fileById(fileId);
    if (!row) throw new DomainError('FILE_NOT_FOUND');
    if (row.ownerId !== principal.userId && !(await this.fileAccess.allows(principal, fileId))) throw new DomainError('FORBIDDEN');
    const link = await this.storage.downloadLink?.(row.storageKey, { name: row.name, mime: row.mime });
    if (link) return { name: row.name, mime: row.mime, redirect: link.url };
    const content = await this.storage.get(row.storageKey);
    if (!content) throw new DomainError('FILE_NOT_FOUND');
    return { name: row.name, mime: row.mime, content };
  }

  /** The file goes, its row with its bytes (a row left behind would answer readers 403 instead of 404). */
  async remove(fileId: string): Promise<void> {
    const row = await this.repository.deleteFile(fileId);
    if (row) await this.storage.delete(row.storageKey);
  }
}
