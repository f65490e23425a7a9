import { createHash, createHmac } from 'node:crypto';
import { FileStorage } from './file-storage';

export interface S3Options {
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/**
 * An S3-compatible object store (MinIO, Aliyun OSS and Tencent COS in S3 mode, AWS S3), spoken
 * to directly with Signature Version 4 and path-style URLs — no SDK to install.
 */
export class S3Storage implements FileStorage {
  private readonly base: URL;

  constructor(private readonly options: S3Options) {
    this.base = new URL(options.endpoint);
  }

  async put(key: string, content: Buffer): Promise<void> {
    const response = await this.request('PUT', key, content);
    if (!response.ok) throw new Error(`S3 PUT ${key}: ${response.status} ${await response.text()}`);
  }

  async get(key: string): Promise<Buffer | undefined> {
    const response = await this.request('GET', key);
    if (response.status === 404) return undefined;
    if (!response.ok) throw new Error(`S3 GET ${key}: ${response.status} ${await response.text()}`);
    return Buffer.from(await response.arrayBuffer());
  }

  async delete(key: string): Promise<void> {
    const response = await this.request('DELETE', key);
    if (!response.ok && response.status !== 404) throw new Error(`S3 DELETE ${key}: ${response.status} ${await response.text()}`);
  }

  private request(method: 'GET' | 'PUT' | 'DELETE', key: string, body?: Buffer): Promise<Response> {
    const path = `${this.base.pathname.replace(/\/$/, '')}/${this.options.bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
    const url = new URL(path, this.base);
    const payloadHash = sha256(body ?? Buffer.alloc(0));
    const headers: Record<string, string> = { host: url.host, 'x-amz-content-sha256': payloadHash, 'x-amz-date': amzDate(new Date()) };
    const authorization = signV4({ ...this.options, method, url, headers, payloadHash });
    const { host: _host, ...sent } = headers;
    return fetch(url, { method, headers: { ...sent, authorization }, body: body ? new Uint8Array(body) : undefined });
  }
}

/** `20130524T000000Z` */
export function amzDate(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/**
 * The Authorization header of AWS Signature Version 4 for a request without a query string.
 * `headers` must include host and x-amz-date; every one of them is signed.
 */
export function signV4(input: {
  method: string;
  url: URL;
  headers: Record<string, string>;
  payloadHash: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}): string {
  const names = Object.keys(input.headers)
    .map((h) => h.toLowerCase())
    .sort();
  const value = (name: string) => Object.entries(input.headers).find(([h]) => h.toLowerCase() === name)?.[1].trim() ?? '';
  const timestamp = value('x-amz-date');
  const canonicalRequest = [input.method, input.url.pathname, '', ...names.map((h) => `${h}:${value(h)}`), '', names.join(';'), input.payloadHash].join('\n');
  const scope = `${timestamp.slice(0, 8)}/${input.region}/s3/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', timestamp, scope, sha256(Buffer.from(canonicalRequest))].join('\n');
  let key = hmac(`AWS4${input.secretAccessKey}`, timestamp.slice(0, 8));
  for (const part of [input.region, 's3', 'aws4_request']) key = hmac(key, part);
  const signature = createHmac('sha256', key).update(stringToSign).digest('hex');
  return `AWS4-HMAC-SHA256 Credential=${input.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`;
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}
