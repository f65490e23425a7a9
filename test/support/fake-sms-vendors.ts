import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the fake received, decoded. */
export interface VendorRequest {
  vendor: 'aliyun' | 'tencent';
  action: string;
  params: Record<string, unknown>;
  headers: IncomingMessage['headers'];
}

/** Numbers that make the fakes answer with a vendor error instead of success. */
export const FAKE_PHONES = {
  invalid: '13000000001',
  throttled: '13000000002',
  serverError: '13000000003',
  badKey: '13000000004',
};

/**
 * Speaks the documented SendSms shapes of Aliyun dysmsapi (RPC, 2017-05-25) and Tencent Cloud
 * SMS (API 3.0, 2021-01-11): successes, business errors and HTTP errors, chosen by phone number.
 */
export async function startFakeSmsVendors(): Promise<{ url: string; requests: VendorRequest[]; close(): Promise<void> }> {
  const requests: VendorRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      if (req.headers['x-tc-action']) tencent(req, res, body, requests);
      else aliyun(req, res, body, requests);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function json(res: ServerResponse, status: number, payload: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(payload));
}

function aliyun(req: IncomingMessage, res: ServerResponse, body: string, requests: VendorRequest[]) {
  const url = new URL(req.url ?? '/', 'http://fake');
  const params: Record<string, unknown> = Object.fromEntries(url.searchParams);
  for (const [key, value] of new URLSearchParams(body)) params[key] = value;
  const action = String(req.headers['x-acs-action'] ?? params.Action ?? '');
  requests.push({ vendor: 'aliyun', action, params, headers: req.headers });
  const requestId = `ali-${requests.length}`;
  const phone = String(params.PhoneNumbers ?? '');
  if (phone === FAKE_PHONES.badKey) {
    json(res, 404, {
      RequestId: requestId,
      HostId: 'dysmsapi.aliyuncs.com',
      Code: 'InvalidAccessKeyId.NotFound',
      Message: 'Specified access key is not found.',
    });
  } else if (phone === FAKE_PHONES.serverError) {
    json(res, 503, {
      RequestId: requestId,
      Code: 'ServiceUnavailable',
      Message: 'The request has failed due to a temporary failure of the server.',
    });
  } else if (phone === FAKE_PHONES.invalid) {
    json(res, 200, { RequestId: requestId, Code: 'isv.MOBILE_NUMBER_ILLEGAL', Message: '非法手机号' });
  } else if (phone === FAKE_PHONES.throttled) {
    json(res, 200, { RequestId: requestId, Code: 'isv.BUSINESS_LIMIT_CONTROL', Message: '触发分钟级流控Permits:1' });
  } else {
    json(res, 200, { RequestId: requestId, Code: 'OK', Message: 'OK', BizId: `900619746936498440^${requests.length}` });
  }
}

function tencent(req: IncomingMessage, res: ServerResponse, body: string, requests: VendorRequest[]) {
  const params = JSON.parse(body || '{}') as Record<string, unknown>;
  const action = String(req.headers['x-tc-action']);
  requests.push({ vendor: 'tencent', action, params, headers: req.headers });
  const requestId = `tc-${requests.length}`;
  const phone = String((params.PhoneNumberSet as string[] | undefined)?.[0] ?? '');
  const status = (code: string, message: string) => ({
    SerialNo: code === 'Ok' ? `2640:${requests.length}` : '',
    PhoneNumber: phone,
    Fee: code === 'Ok' ? 1 : 0,
    SessionContext: '',
    Code: code,
    Message: message,
    IsoCode: 'CN',
  });
  if (phone === `+86${FAKE_PHONES.badKey}`) {
    json(res, 200, {
      Response: { Error: { Code: 'AuthFailure.SecretIdNotFound', Message: 'The SecretId is not found' }, RequestId: requestId },
    });
  } else if (phone === `+86${FAKE_PHONES.serverError}`) {
    json(res, 200, { Response: { Error: { Code: 'InternalError.Timeout', Message: '请求下发短信超时' }, RequestId: requestId } });
  } else if (phone === `+86${FAKE_PHONES.invalid}`) {
    json(res, 200, {
      Response: { SendStatusSet: [status('InvalidParameterValue.IncorrectPhoneNumber', '手机号格式错误')], RequestId: requestId },
    });
  } else if (phone === `+86${FAKE_PHONES.throttled}`) {
    json(res, 200, {
      Response: {
        SendStatusSet: [status('LimitExceeded.PhoneNumberThirtySecondLimit', '单个手机号30秒内下发短信条数超过设定的上限')],
        RequestId: requestId,
      },
    });
  } else {
    json(res, 200, { Response: { SendStatusSet: [status('Ok', 'send success')], RequestId: requestId } });
  }
}
