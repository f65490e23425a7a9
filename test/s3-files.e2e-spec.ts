import { mkdtempSync, rmSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { createTestContext, TestContext } from './support/harness';
import { png } from './support/png';

/**
 * Chat files in an S3-compatible store (s3rver in this process, path-style): uploads land in the
 * bucket, and GET /files/:id checks access first, then redirects to a short-lived presigned URL.
 */
describe('files in S3 (parent-api)', () => {
  const dir = mkdtempSync(join(tmpdir(), 's3rver-'));
  let server: S3rver;
  let ctx: TestContext;

  beforeAll(async () => {
    server = new S3rver({
      port: 0,
      address: '127.0.0.1',
      silent: true,
      directory: dir,
      configureBuckets: [{ name: 'jiaxiao-files', configs: [] }],
    });
    const address = (await server.run()) as AddressInfo;
    ctx = await createTestContext({
      apps: ['parent'],
      env: {
        S3_ENDPOINT: `http://127.0.0.1:${address.port}`,
        S3_BUCKET: 'jiaxiao-files',
        S3_ACCESS_KEY_ID: 'S3RVER',
        S3_SECRET_ACCESS_KEY: 'S3RVER',
        S3_FORCE_PATH_STYLE: 'true',
        S3_PRESIGN_SECONDS: '120',
      },
    });
  });
  afterAll(async () => {
    await ctx?.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores the upload in the bucket and redirects the uploader to a presigned URL; others get 403 and no URL', async () => {
    const owner = await ctx.login('13900000003');
    const stranger = await ctx.login('13900000005');
    const bytes = png();
    const upload = await ctx
      .parent()
      .post('/uploads')
      .set('authorization', `Bearer ${owner}`)
      .attach('file', bytes, '全家福.png')
      .expect(201);
    const [{ storage_key: key }] = await ctx.query<{ storage_key: string }>(
      `select storage_key from files where id = '${upload.body.id as string}'`,
    );

    const download = await ctx
      .parent()
      .get(`/files/${upload.body.id as string}`)
      .set('authorization', `Bearer ${owner}`)
      .expect(302);
    const location = new URL(download.headers.location as string);
    expect(location.pathname).toBe(`/jiaxiao-files/${key}`);
    expect(location.searchParams.get('X-Amz-Expires')).toBe('120');
    expect(download.headers['cache-control']).toBe('private, no-store');
    const fetched = await fetch(location);
    expect(fetched.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await fetched.arrayBuffer())).toEqual(bytes);

    const refused = await ctx
      .parent()
      .get(`/files/${upload.body.id as string}`)
      .set('authorization', `Bearer ${stranger}`)
      .expect(403);
    expect(refused.body.code).toBe('FORBIDDEN');
    expect(refused.headers.location).toBeUndefined();
  });
});
