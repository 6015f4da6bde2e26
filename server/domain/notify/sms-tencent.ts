import { sms } from 'tencentcloud-sdk-nodejs-sms';
import type { NotificationSender } from './sender';

export interface TencentSmsOptions {
  secretId: string;
  secretKey: string;
  sdkAppId: string;
  signName: string;
  /** The approved template of the one-time code; its parameters are [code, minutes]. */
  templateId: string;
  region: string;
  /** Host, or http(s)://host:port for a local fake in tests. */
  endpoint: string;
}

/** Tencent Cloud SMS through the official SDK (SendSms, API 2021-01-11). */
export function createTencentSmsSender(opts: TencentSmsOptions): NotificationSender {
  const url = /^https?:\/\//.test(opts.endpoint) ? new URL(opts.endpoint) : null;
  const client = new sms.v20210111.Client({
    credential: { secretId: opts.secretId, secretKey: opts.secretKey },
    region: opts.region,
    profile: {
      httpProfile: { endpoint: url ? url.host : opts.endpoint, protocol: url ? `${url.protocol}//` : 'https://', reqTimeout: 10 },
    },
  });
  return {
    async send(msg) {
      const res = await client.SendSms({
        PhoneNumberSet: [`+86${msg.to}`],
        SmsSdkAppId: opts.sdkAppId,
        SignName: opts.signName,
        TemplateId: opts.templateId,
        TemplateParamSet: msg.params.code ? [msg.params.code, msg.params.minutes ?? '5'] : Object.values(msg.params).slice(0, 4),
      });
      const status = res.SendStatusSet?.[0];
      if (status?.Code !== 'Ok') throw new Error(`Tencent Cloud SMS refused the message: ${status?.Code ?? 'no status'}`);
      return { providerMessageId: status.SerialNo ?? res.RequestId ?? 'tencent' };
    },
  };
}
