import type { Config } from '../../config';
import type { Clock } from '../context';
import { createLoggingSender, type NotificationSender } from './sender';
import { createAliyunSmsSender } from './sms-aliyun';
import { createHttpSmsSender } from './sms-http';
import { createTencentSmsSender } from './sms-tencent';

/** The SMS sender SMS_PROVIDER names (config refuses `log` in production). */
export function createSmsSender(config: Config, log: { info(obj: object, msg?: string): void }, clock: Clock): NotificationSender {
  const sms = config.sms;
  switch (sms.provider) {
    case 'http':
      return createHttpSmsSender({ url: sms.url, secret: sms.secret, clock });
    case 'aliyun':
      return createAliyunSmsSender(sms);
    case 'tencent':
      return createTencentSmsSender(sms);
    default:
      return createLoggingSender(log);
  }
}
