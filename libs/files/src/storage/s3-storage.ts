import { DeleteObjectCommand, GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { DownloadLink, FileStorage } from './file-storage';

export interface S3Options {
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** temporary credentials (STS) come with a session token */
  sessionToken?: string;
  /** path-style URLs (`endpoint/bucket/key`, MinIO) instead of virtual-hosted ones (`bucket.endpoint/key`, AWS, OSS, COS) */
  forcePathStyle: boolean;
  timeoutMs: number;
  maxAttempts: number;
  /** lifetime of presigned download URLs; 0 streams downloads through the API instead */
  presignSeconds: number;
}

/**
 * An S3-compatible object store (AWS S3, Aliyun OSS, Tencent COS, MinIO) through the AWS SDK.
 * Checksums only where the API requires them: OSS, COS and MinIO refuse or ignore the
 * SDK's default CRC32 trailers.
 */
export class S3Storage implements FileStorage {
  private readonly client: S3Client;

  constructor(private readonly options: S3Options) {
    this.client = new S3Client({
      endpoint: options.endpoint,
      region: options.region,
      forcePathStyle: options.forcePathStyle,
      credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey, sessionToken: options.sessionToken },
      maxAttempts: options.maxAttempts,
      requestHandler: { connectionTimeout: options.timeoutMs, requestTimeout: options.timeoutMs },
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  async put(key: string, content: Buffer): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: this.options.bucket, Key: key, Body: content, ContentLength: content.length }));
  }

  async get(key: string): Promise<Buffer | undefined> {
    try {
      const response = await this.client.send(new GetObjectCommand({ Bucket: this.options.bucket, Key: key }));
      return response.Body ? Buffer.from(await response.Body.transformToByteArray()) : Buffer.alloc(0);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.options.bucket, Key: key }));
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }

  /** A short-lived GET URL that answers with the stored name and type, so downloads skip the API. */
  async downloadLink(key: string, file: { name: string; mime: string }): Promise<DownloadLink | undefined> {
    if (this.options.presignSeconds === 0) return undefined;
    const command = new GetObjectCommand({
      Bucket: this.options.bucket,
      Key: key,
      ResponseContentType: file.mime,
      ResponseContentDisposition: `inline; filename="file"; filename*=UTF-8''${encodeURIComponent(file.name)}`,
    });
    const url = await getSignedUrl(this.client, command, { expiresIn: this.options.presignSeconds });
    return { url, expiresIn: this.options.presignSeconds };
  }

  /** Nest calls this at shutdown: the SDK's keep-alive sockets would hold the process open. */
  onModuleDestroy(): void {
    this.client.destroy();
  }
}

function isNotFound(error: unknown): boolean {
  return error instanceof NoSuchKey || (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404);
}
