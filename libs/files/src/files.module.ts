import { Module } from '@nestjs/common';
import { AppConfig } from '@jiaxiao/common';
import { FileAccessRegistry } from './file-access.registry';
import { FilesAccess } from './files.access';
import { FilesRepository } from './files.repository';
import { FILE_STORAGE, FileStorage, LocalDiskStorage } from './storage/file-storage';
import { S3Storage } from './storage/s3-storage';
import { UploadService } from './upload.service';

@Module({
  providers: [
    FilesRepository,
    FilesAccess,
    UploadService,
    FileAccessRegistry,
    {
      provide: FILE_STORAGE,
      inject: [AppConfig],
      useFactory: (config: AppConfig): FileStorage =>
        config.S3_ENDPOINT && config.S3_BUCKET && config.S3_ACCESS_KEY_ID && config.S3_SECRET_ACCESS_KEY
          ? new S3Storage({
              endpoint: config.S3_ENDPOINT,
              bucket: config.S3_BUCKET,
              region: config.S3_REGION,
              accessKeyId: config.S3_ACCESS_KEY_ID,
              secretAccessKey: config.S3_SECRET_ACCESS_KEY,
              sessionToken: config.S3_SESSION_TOKEN,
              forcePathStyle: config.S3_FORCE_PATH_STYLE,
              timeoutMs: config.S3_TIMEOUT_MS,
              maxAttempts: config.S3_MAX_ATTEMPTS,
              presignSeconds: config.S3_PRESIGN_SECONDS,
            })
          : new LocalDiskStorage(config.DATA_DIR),
    },
  ],
  exports: [UploadService, FileAccessRegistry],
})
export class FilesModule {}
