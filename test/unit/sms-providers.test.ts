import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config';
import { createAliyunSmsSender } from '../../server/domain/notify/sms-aliyun';
import { createHttpSmsSender } from '../../server/domain/notify/sms-http';
import { createSmsSender } from '../../server/domain/notify/sms-provider';
import { createTencentSmsSender } from '../../server/domain/notify/sms-tencent';
import { verifyWebhookSignature, WEBHOOK_SIGNATURE_HEADER } from '../../server/jobs/webhook-signature';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A local fake of a vendor's HTTP API on 127.0.0.1: records each request and answers with `answer`. */
async function fakeApi(answer: (req: Seen) => { status?: number; json: unknown }) {
  const seen: Seen[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const r = { method: req.method!, url: req.url!, headers: req.headers, body };
      seen.push(r);
      const a = answer(r);
      res.writeHead(a.status ?? 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(a.json));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  servers.push(server);
  return { url: `http://127.0.0.1:${port}`, seen };
}
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

const clock = { now: () => new Date('2026-11-23T02:00:00Z') };
const codeMsg = { channel: 'SMS' as const, to: '13912345678', template: 'auth.phone_code', params: { code: '042137', purpose: 'LOGIN', minutes: '5' } };

describe('SMS_PROVIDER=http', () => {
  it('POSTs { phone, text, code, purpose } signed like the webhooks', async () => {
    const api = await fakeApi(() => ({ json: { id: 'gw-1' } }));
    const secret = 'sms-relay-secret-0123456789';
    const sender = createHttpSmsSender({ url: `${api.url}/sms`, secret, clock });
    expect(await sender.send(codeMsg)).toEqual({ providerMessageId: 'gw-1' });
    const [req] = api.seen;
    expect(req!.method).toBe('POST');
    const body = JSON.parse(req!.body);
    expect(body).toMatchObject({ phone: '13912345678', code: '042137', purpose: 'LOGIN' });
    expect(body.text).toContain('042137');
    const header = req!.headers[WEBHOOK_SIGNATURE_HEADER.toLowerCase()] as string;
    expect(verifyWebhookSignature(secret, header, req!.body, clock.now().getTime() / 1000)).toBe(true);
    expect(verifyWebhookSignature('another-secret-000000', header, req!.body, clock.now().getTime() / 1000)).toBe(false);
  });

  it('fails on a non-2xx answer without keeping the gateway’s body', async () => {
    const api = await fakeApi(() => ({ status: 502, json: { secret: 'leak' } }));
    const sender = createHttpSmsSender({ url: api.url, secret: 'sms-relay-secret-0123456789', clock });
    await expect(sender.send(codeMsg)).rejects.toThrow(/^SMS gateway answered HTTP 502$/);
  });
});

describe('Alibaba Cloud SMS through the official SDK, against a local fake of its API', () => {
  it('sends SendSms with the sign, template and code, and reads the BizId', async () => {
    const api = await fakeApi(() => ({ json: { Code: 'OK', Message: 'OK', BizId: 'biz-42', RequestId: 'req-1' } }));
    const sender = createAliyunSmsSender({ accessKeyId: 'LTAI-test', accessKeySecret: 'secret-test', signName: '解纷', templateCode: 'SMS_1234', endpoint: api.url });
    expect(await sender.send(codeMsg)).toEqual({ providerMessageId: 'biz-42' });
    const [req] = api.seen;
    const params = new URLSearchParams(req!.url.split('?')[1] ?? '');
    const form = new URLSearchParams(req!.body);
    const get = (k: string) => params.get(k) ?? form.get(k);
    expect(get('Action') ?? req!.headers['x-acs-action']).toBe('SendSms');
    expect(get('PhoneNumbers')).toBe('13912345678');
    expect(get('SignName')).toBe('解纷');
    expect(get('TemplateCode')).toBe('SMS_1234');
    expect(JSON.parse(get('TemplateParam')!)).toMatchObject({ code: '042137' });
    // Signed by the SDK with the access key.
    expect(JSON.stringify(req!.headers) + req!.url).toContain('LTAI-test');
  });

  it('fails when the vendor refuses', async () => {
    const api = await fakeApi(() => ({ json: { Code: 'isv.BUSINESS_LIMIT_CONTROL', Message: 'limit', RequestId: 'req-2' } }));
    const sender = createAliyunSmsSender({ accessKeyId: 'LTAI-test', accessKeySecret: 'secret-test', signName: '解纷', templateCode: 'SMS_1234', endpoint: api.url });
    await expect(sender.send(codeMsg)).rejects.toThrow(/BUSINESS_LIMIT_CONTROL/);
  });
});

describe('Tencent Cloud SMS through the official SDK, against a local fake of its API', () => {
  it('sends SendSms with the app, sign, template and code, and reads the serial number', async () => {
    const api = await fakeApi(() => ({ json: { Response: { SendStatusSet: [{ SerialNo: 'serial-7', PhoneNumber: '+8613912345678', Code: 'Ok', Message: 'send success' }], RequestId: 'rq-1' } } }));
    const sender = createTencentSmsSender({ secretId: 'AKID-test', secretKey: 'key-test', sdkAppId: '1400000000', signName: '解纷', templateId: '123456', region: 'ap-guangzhou', endpoint: api.url });
    expect(await sender.send(codeMsg)).toEqual({ providerMessageId: 'serial-7' });
    const [req] = api.seen;
    expect(req!.headers['x-tc-action']).toBe('SendSms');
    expect(String(req!.headers.authorization)).toContain('AKID-test');
    expect(JSON.parse(req!.body)).toMatchObject({
      PhoneNumberSet: ['+8613912345678'],
      SmsSdkAppId: '1400000000',
      SignName: '解纷',
      TemplateId: '123456',
      TemplateParamSet: ['042137', '5'],
    });
  });

  it('fails when the vendor refuses', async () => {
    const api = await fakeApi(() => ({ json: { Response: { SendStatusSet: [{ Code: 'LimitExceeded.PhoneNumberDailyLimit', Message: 'limit' }], RequestId: 'rq-2' } } }));
    const sender = createTencentSmsSender({ secretId: 'AKID-test', secretKey: 'key-test', sdkAppId: '1400000000', signName: '解纷', templateId: '123456', region: 'ap-guangzhou', endpoint: api.url });
    await expect(sender.send(codeMsg)).rejects.toThrow(/PhoneNumberDailyLimit/);
  });
});

describe('configuration', () => {
  const prod = {
    NODE_ENV: 'production',
    DATA_KEY: Buffer.alloc(32, 7).toString('base64'),
    PUBLIC_URL: 'https://jiefen.example.cn',
    SIGNING_SELF_SIGNED: 'true',
    SMS_PROVIDER: 'http',
    SMS_HTTP_URL: 'https://sms-relay.example.cn/send',
    SMS_HTTP_SECRET: 'relay-secret-0123456789',
  };
  const problems = (env: Record<string, string | undefined>) => {
    try {
      loadConfig(env);
      return [];
    } catch (err) {
      return (err as { problems: string[] }).problems;
    }
  };

  it('accepts a complete production configuration and picks the provider it names', async () => {
    const config = loadConfig(prod);
    expect(config.sms).toMatchObject({ provider: 'http', url: prod.SMS_HTTP_URL });
    const sender = await createSmsSender(config, { info() {} }, clock);
    expect(typeof sender.send).toBe('function');
  });

  it('refuses SMS_PROVIDER=log, a missing provider, PUBLIC_URL or signing key in production', () => {
    expect(problems({ ...prod, SMS_PROVIDER: 'log' })).toEqual(['SMS_PROVIDER: log is refused when NODE_ENV=production']);
    expect(problems({ ...prod, SMS_PROVIDER: undefined })).toEqual([expect.stringMatching(/^SMS_PROVIDER: required/)]);
    expect(problems({ ...prod, PUBLIC_URL: undefined })).toEqual(['PUBLIC_URL: required when NODE_ENV=production']);
    expect(problems({ ...prod, SIGNING_SELF_SIGNED: undefined })).toEqual([expect.stringMatching(/^SIGNING_P12_BASE64: required/)]);
    expect(problems({ ...prod, SIGNING_SELF_SIGNED: undefined, SIGNING_P12_BASE64: 'MIIK' })).toEqual([]);
    expect(problems({ ...prod, SMS_HTTP_SECRET: undefined })).toEqual(['SMS_HTTP_SECRET: required when SMS_PROVIDER=http']);
    expect(problems({ ...prod, SMS_PROVIDER: 'tencent' })).toHaveLength(5);
  });

  it('uses the log provider by default outside production, and parses CORS_ORIGINS', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).sms.provider).toBe('log');
    expect(loadConfig({ CORS_ORIGINS: 'https://a.example.cn, https://b.example.cn/' }).corsOrigins).toEqual(['https://a.example.cn', 'https://b.example.cn']);
    expect(loadConfig({}).corsOrigins).toEqual([]);
  });
});
