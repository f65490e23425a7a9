import { mkdtempSync, rmSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { S3Options, S3Storage } from './s3-storage';

/**
 * Against s3rver, an S3 API server, in this process (path-style: virtual-hosted names need DNS
 * for `bucket.host`). Virtual-hosted URL building is checked on presigned URLs, which need no server.
 */
describe('S3Storage', () => {
  const dir = mkdtempSync(join(tmpdir(), 's3rver-'));
  let server: S3rver;
  let endpoint: string;
  const made: S3Storage[] = [];

  beforeAll(async () => {
    server = new S3rver({
      port: 0,
      address: '127.0.0.1',
      silent: true,
      directory: dir,
      configureBuckets: [{ name: 'jiaxiao-files', configs: [] }],
    });
    const address = (await server.run()) as AddressInfo;
    endpoint = `http://127.0.0.1:${address.port}`;
  });
  afterAll(async () => {
    for (const storage of made) storage.onModuleDestroy();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const storage = (overrides: Partial<S3Options> = {}) => {
    const created = new S3Storage({
      endpoint,
      bucket: 'jiaxiao-files',
      region: 'us-east-1',
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
      forcePathStyle: true,
      timeoutMs: 2000,
      maxAttempts: 2,
      presignSeconds: 300,
      ...overrides,
    });
    made.push(created);
    return created;
  };

  it('puts, gets and deletes objects', async () => {
    const content = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 250, 251]);
    await storage().put('2026-11/abc-123', content);
    expect(await storage().get('2026-11/abc-123')).toEqual(content);
    await storage().delete('2026-11/abc-123');
    expect(await storage().get('2026-11/abc-123')).toBeUndefined();
  });

  it('answers undefined for a missing object and tolerates deleting one', async () => {
    expect(await storage().get('2026-11/missing')).toBeUndefined();
    await expect(storage().delete('2026-11/missing')).resolves.toBeUndefined();
  });

  it('gives a presigned GET URL that serves the object with the stored name and type', async () => {
    const content = Buffer.from('%PDF-1.4 test');
    await storage().put('2026-11/presigned', content);
    const link = await storage().downloadLink('2026-11/presigned', { name: '家长会 通知.pdf', mime: 'application/pdf' });
    expect(link?.expiresIn).toBe(300);
    const url = new URL(link?.url ?? '');
    expect(url.origin).toBe(endpoint);
    expect(url.pathname).toBe('/jiaxiao-files/2026-11/presigned');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toContain(encodeURIComponent('家长会 通知.pdf'));
    expect(Buffer.from(await response.arrayBuffer())).toEqual(content);
  });

  it('builds virtual-hosted URLs unless path style is configured, and signs temporary credentials with their session token', async () => {
    const cos = storage({
      endpoint: 'https://cos.ap-shanghai.myqcloud.com',
      region: 'ap-shanghai',
      forcePathStyle: false,
      sessionToken: 'sts-token-1',
    });
    const url = new URL((await cos.downloadLink('2026-11/abc', { name: 'a.png', mime: 'image/png' }))?.url ?? '');
    expect(url.host).toBe('jiaxiao-files.cos.ap-shanghai.myqcloud.com');
    expect(url.pathname).toBe('/2026-11/abc');
    expect(url.searchParams.get('X-Amz-Security-Token')).toBe('sts-token-1');
    expect(url.searchParams.get('X-Amz-Credential')).toMatch(/^S3RVER\/\d{8}\/ap-shanghai\/s3\/aws4_request$/);

    const minio = storage({ endpoint: 'https://minio.example.cn', forcePathStyle: true });
    const pathStyle = new URL((await minio.downloadLink('2026-11/abc', { name: 'a.png', mime: 'image/png' }))?.url ?? '');
    expect([pathStyle.host, pathStyle.pathname]).toEqual(['minio.example.cn', '/jiaxiao-files/2026-11/abc']);
  });

  it('streams through the API when presigning is turned off', async () => {
    expect(await storage({ presignSeconds: 0 }).downloadLink('2026-11/abc', { name: 'a.png', mime: 'image/png' })).toBeUndefined();
  });

  it('gives up after the configured attempts when the store does not answer', async () => {
    const dead = storage({ endpoint: 'http://127.0.0.1:9', maxAttempts: 2, timeoutMs: 500 });
    const started = Date.now();
    await expect(dead.put('2026-11/x', Buffer.from('x'))).rejects.toMatchObject({ $metadata: expect.objectContaining({ attempts: 2 }) });
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
