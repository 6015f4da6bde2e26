import type { Config } from '../../config';
import type { Clock } from '../context';
import { createLoggingSender, type NotificationSender } from './sender';
import { createHttpSmsSender } from './sms-http';

/**
 * The SMS sender SMS_PROVIDER names (config refuses `log` in production). A vendor's SDK is loaded
 * only when it is the one configured: each takes a few hundred milliseconds to load.
 */
export async function createSmsSender(config: Config, log: { info(obj: object, msg?: string): void }, clock: Clock): Promise<NotificationSender> {
  const sms = config.sms;
  switch (sms.provider) {
    case 'http':
      return createHttpSmsSender({ url: sms.url, secret: sms.secret, clock });
    case 'aliyun':
      return (await import('./sms-aliyun')).createAliyunSmsSender(sms);
    case 'tencent':
      return (await import('./sms-tencent')).createTencentSmsSender(sms);
    default:
      return createLoggingSender(log);
  }
}
