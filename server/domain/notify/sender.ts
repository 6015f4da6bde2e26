import { randomUUID } from 'node:crypto';

/** A templated message to one recipient: a phone number for SMS, a user id for in-app. */
export interface NotificationMessage {
  channel: 'SMS' | 'IN_APP';
  to: string;
  template: string;
  params: Record<string, string>;
}

/** Delivers notifications through some provider (SMS gateway, in-app inbox, log…). */
export interface NotificationSender {
  send(msg: NotificationMessage): Promise<{ providerMessageId: string }>;
}

/** Masks the middle of a mainland mobile number (13812341234 -> 138****1234); other strings are masked conservatively. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/[\s-]/g, '');
  const m = /^(\+?86)?(1\d{2})\d{4}(\d{4})$/.exec(digits);
  if (m) return `${m[1] ?? ''}${m[2]}****${m[3]}`;
  // Unknown formats must not leak in full either (个人信息保护法 51 asks for de-identification): keep the last four.
  if (digits.length <= 4) return '*'.repeat(digits.length);
  return `${'*'.repeat(digits.length - 4)}${digits.slice(-4)}`;
}

/** Sender for development and deployments without an SMS gateway: logs each message with the phone masked. */
export function createLoggingSender(
  log: { info(obj: object, msg?: string): void },
  newId: () => string = randomUUID,
): NotificationSender {
  return {
    async send(msg) {
      const providerMessageId = `log-${newId()}`;
      // Params are left out: they can carry names, case numbers or verification codes.
      log.info(
        {
          channel: msg.channel,
          to: msg.channel === 'SMS' ? maskPhone(msg.to) : msg.to,
          template: msg.template,
          paramKeys: Object.keys(msg.params),
          // SMS_PROVIDER=log exists for development (refused in production): show one-time codes there.
          ...(msg.template === 'auth.phone_code' ? { code: msg.params.code } : {}),
          providerMessageId,
        },
        'notification sent',
      );
      return { providerMessageId };
    },
  };
}

/** In-memory sender for tests: records every message it is given. */
export interface MemorySender extends NotificationSender {
  readonly sent: ReadonlyArray<NotificationMessage & { providerMessageId: string }>;
  clear(): void;
}

/** Creates a {@link MemorySender} with sequential ids (mem-1, mem-2…). */
export function createMemorySender(): MemorySender {
  const sent: Array<NotificationMessage & { providerMessageId: string }> = [];
  let seq = 0;
  return {
    sent,
    clear() {
      sent.length = 0;
    },
    async send(msg) {
      const providerMessageId = `mem-${++seq}`;
      sent.push({ ...msg, params: { ...msg.params }, providerMessageId });
      return { providerMessageId };
    },
  };
}
