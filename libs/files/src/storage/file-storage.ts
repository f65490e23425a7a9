import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

/** Where uploaded bytes live. Local disk by default; an S3-compatible store implements the same. */
export interface FileStorage {
  put(key: string, content: Buffer): Promise<void>;
  get(key: string): Promise<Buffer | undefined>;
  delete(key: string): Promise<void>;
  /** A store that serves downloads itself gives a short-lived link to redirect to. */
  downloadLink?(key: string, file: { name: string; mime: string }): Promise<DownloadLink | undefined>;
}

export interface DownloadLink {
  url: string;
  /** seconds */
  expiresIn: number;
}

export const FILE_STORAGE = Symbol('FILE_STORAGE');

/** Files under DATA_DIR/uploads, keyed by a generated path (never the user's file name). */
export class LocalDiskStorage implements FileStorage {
  private readonly root: string;

  constructor(dataDir: string) {
    this.root = resolve(dataDir, 'uploads');
  }

  async put(key: string, content: Buffer): Promise<void> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content);
  }

  async get(key: string): Promise<Buffer | undefined> {
    try {
      return await readFile(this.pathOf(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  private pathOf(key: string): string {
    if (!/^[a-z0-9/-]+$/.test(key)) throw new Error(`bad storage key ${key}`);
    return join(this.root, key);
  }
}
