import { mkdtempSync, rmSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { S3Storage, signV4 } from './s3-storage';

/** Against s3rver, an S3 API server, in this process. It does not check V4 signatures, so the
 * signature is checked against the worked example of the AWS documentation instead. */
describe('S3Storage', () => {
  const dir = mkdtempSync(join(tmpdir(), 's3rver-'));
  let server: S3rver;
  let endpoint: string;

  beforeAll(async () => {
    server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: dir, configureBuckets: [{ name: 'jiaxiao-files', configs: [] }] });
    const address = (await server.run()) as AddressInfo;
    endpoint = `http://127.0.0.1:${address.port}`;
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const storage = () => new S3Storage({ endpoint, bucket: 'jiaxiao-files', region: 'us-east-1', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' });

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

  it('signs like the AWS documentation\'s "GET Object" example (Signature Version 4)', () => {
    const authorization = signV4({
      method: 'GET',
      url: new URL('https://examplebucket.s3.amazonaws.com/test.txt'),
      headers: {
        host: 'examplebucket.s3.amazonaws.com',
        range: 'bytes=0-9',
        'x-amz-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
        'x-amz-date': '20130524T000000Z',
      },
      payloadHash: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      region: 'us-east-1',
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    });
    expect(authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, ' +
        'SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, ' +
        'Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
  });
});
