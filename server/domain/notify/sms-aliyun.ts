import * as dysmsapi from '@alicloud/dysmsapi20170525';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import type { NotificationSender } from './sender';

export interface AliyunSmsOptions {
  accessKeyId: string;
  accessKeySecret: string;
  signName: string;
  /** The approved template of the one-time code (e.g. SMS_123456789, with a ${code} variable). */
  templateCode: string;
  /** Host, or http(s)://host:port for a local fake in tests. */
  endpoint: string;
}

/**
 * The SDK is CommonJS compiled from TypeScript (`exports.default = Client`). A TypeScript loader
 * hands that class over as the default import; Node's own ESM loader, which runs the compiled
 * server, hands over the whole `module.exports`, so the class is one level further down.
 */
type DysmsapiClient = typeof dysmsapi.default;
const Dysmsapi: DysmsapiClient =
  (dysmsapi.default as DysmsapiClient & { default?: DysmsapiClient }).default ?? dysmsapi.default;
const { SendSmsRequest } = dysmsapi;

/** Alibaba Cloud SMS through the official SDK (Dysmsapi SendSms). */
export function createAliyunSmsSender(opts: AliyunSmsOptions): NotificationSender {
  const url = /^https?:\/\//.test(opts.endpoint) ? new URL(opts.endpoint) : null;
  const client = new Dysmsapi(
    new $OpenApiUtil.Config({
      accessKeyId: opts.accessKeyId,
      accessKeySecret: opts.accessKeySecret,
      endpoint: url ? url.host : opts.endpoint,
      protocol: url ? url.protocol.replace(':', '') : 'https',
      regionId: 'cn-hangzhou',
    }),
  );
  return {
    async send(msg) {
      const res = await client.sendSms(
        new SendSmsRequest({
          phoneNumbers: msg.to,
          signName: opts.signName,
          templateCode: opts.templateCode,
          templateParam: JSON.stringify(msg.params),
        }),
      );
      if (res.body?.code !== 'OK') throw new Error(`Alibaba Cloud SMS refused the message: ${res.body?.code ?? 'no code'}`);
      return { providerMessageId: res.body.bizId ?? res.body.requestId ?? 'aliyun' };
    },
  };
}
