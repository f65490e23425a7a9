import { AliyunSmsProvider } from '../libs/channels/src/sms/aliyun-sms.provider';
import { TencentSmsProvider } from '../libs/channels/src/sms/tencent-sms.provider';
import { FAKE_PHONES, startFakeSmsVendors } from './support/fake-sms-vendors';

/** The two vendor providers against a local server speaking the vendors' SendSms shapes. */
describe('SMS vendor providers', () => {
  let fake: Awaited<ReturnType<typeof startFakeSmsVendors>>;
  let aliyun: AliyunSmsProvider;
  let tencent: TencentSmsProvider;
  const message = { phone: '13900000003', template: 'login_code' as const, params: { code: '123456', minutes: '5' } };

  beforeAll(async () => {
    fake = await startFakeSmsVendors();
    const templateIds = { login_code: 'SMS_4711', reset_code: 'SMS_4712' };
    aliyun = new AliyunSmsProvider({
      accessKeyId: 'ak',
      accessKeySecret: 'sk',
      signName: '潍坊家校共育',
      templateIds,
      endpoint: fake.url,
      timeoutSeconds: 5,
    });
    tencent = new TencentSmsProvider({
      secretId: 'AKIDfake',
      secretKey: 'fake-key',
      sdkAppId: '1400006666',
      signName: '潍坊家校共育',
      region: 'ap-guangzhou',
      templateIds: { login_code: '1234567', reset_code: '1234568' },
      endpoint: fake.url,
      timeoutSeconds: 5,
    });
  });

  afterAll(() => fake.close());

  it('Aliyun: sends the template code, sign name and JSON parameters, signed with the AccessKey', async () => {
    await expect(aliyun.send(message)).resolves.toEqual({ ok: true, providerMessageId: expect.stringContaining('900619746936498440') });
    const sent = fake.requests.at(-1);
    expect(sent).toMatchObject({ vendor: 'aliyun', action: 'SendSms' });
    expect(sent?.params).toMatchObject({ PhoneNumbers: '13900000003', SignName: '潍坊家校共育', TemplateCode: 'SMS_4711' });
    expect(JSON.parse(String(sent?.params.TemplateParam))).toEqual({ code: '123456', minutes: '5' });
    expect(String(sent?.headers.authorization)).toContain('ak');
  });

  it('Aliyun: maps vendor errors to retryable or not', async () => {
    const send = (phone: string) => aliyun.send({ ...message, phone });
    await expect(send(FAKE_PHONES.invalid)).resolves.toEqual({
      ok: false,
      error: expect.stringContaining('isv.MOBILE_NUMBER_ILLEGAL'),
      retryable: false,
    });
    await expect(send(FAKE_PHONES.throttled)).resolves.toMatchObject({
      ok: false,
      error: expect.stringContaining('isv.BUSINESS_LIMIT_CONTROL'),
      retryable: true,
    });
    await expect(send(FAKE_PHONES.badKey)).resolves.toMatchObject({
      ok: false,
      error: expect.stringContaining('InvalidAccessKeyId.NotFound'),
      retryable: false,
    });
    await expect(send(FAKE_PHONES.serverError)).resolves.toMatchObject({ ok: false, retryable: true });
    await expect(aliyun.send({ ...message, template: 'hours_reminder' })).resolves.toMatchObject({ ok: false, retryable: false });
  });

  it('Tencent: sends the SdkAppId, template id and positional parameters to +86 numbers, TC3-signed', async () => {
    await expect(tencent.send(message)).resolves.toEqual({ ok: true, providerMessageId: expect.stringMatching(/^2640:/) });
    const sent = fake.requests.at(-1);
    expect(sent).toMatchObject({ vendor: 'tencent', action: 'SendSms' });
    expect(sent?.params).toEqual({
      SmsSdkAppId: '1400006666',
      SignName: '潍坊家校共育',
      TemplateId: '1234567',
      TemplateParamSet: ['123456', '5'],
      PhoneNumberSet: ['+8613900000003'],
    });
    expect(String(sent?.headers.authorization)).toMatch(/^TC3-HMAC-SHA256 Credential=AKIDfake\//);
  });

  it('Tencent: maps vendor errors to retryable or not', async () => {
    const send = (phone: string) => tencent.send({ ...message, phone });
    await expect(send(FAKE_PHONES.invalid)).resolves.toEqual({
      ok: false,
      error: expect.stringContaining('IncorrectPhoneNumber'),
      retryable: false,
    });
    await expect(send(FAKE_PHONES.throttled)).resolves.toMatchObject({ ok: false, retryable: true });
    await expect(send(FAKE_PHONES.badKey)).resolves.toMatchObject({
      ok: false,
      error: expect.stringContaining('AuthFailure.SecretIdNotFound'),
      retryable: false,
    });
    await expect(send(FAKE_PHONES.serverError)).resolves.toMatchObject({
      ok: false,
      error: expect.stringContaining('InternalError.Timeout'),
      retryable: true,
    });
  });

  it('both: an unreachable endpoint is a retryable failure, not an exception', async () => {
    const down = { endpoint: 'http://127.0.0.1:9', timeoutSeconds: 2 };
    const a = new AliyunSmsProvider({
      accessKeyId: 'ak',
      accessKeySecret: 'sk',
      signName: 's',
      templateIds: { login_code: 'SMS_1' },
      ...down,
    });
    const t = new TencentSmsProvider({
      secretId: 'a',
      secretKey: 'b',
      sdkAppId: '1400000000',
      signName: 's',
      region: 'ap-guangzhou',
      templateIds: { login_code: '1' },
      ...down,
    });
    await expect(a.send(message)).resolves.toMatchObject({ ok: false, retryable: true });
    await expect(t.send(message)).resolves.toMatchObject({ ok: false, retryable: true });
  });
});
