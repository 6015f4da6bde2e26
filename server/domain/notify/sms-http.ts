import { signWebhookPayload, WEBHOOK_SIGNATURE_HEADER } from '../../jobs/webhook-signature';
import type { Clock } from '../context';
import type { NotificationSender } from './sender';
import { smsText } from './sms-text';

/**
 * POSTs each SMS as JSON `{ phone, text, code, purpose }` to a gateway or relay, signed exactly like
 * the court webhooks (X-Jiefen-Signature over "<t>.<raw body>" with the shared secret).
 */
export function createHttpSmsSender(
  opts: { url: string; secret: string; clock: Clock; timeoutMs?: number },
  fetchImpl: typeof fetch = fetch,
): NotificationSender {
  return {
    async send(msg) {
      const body = JSON.stringify({
        phone: msg.to,
        text: smsText(msg),
        code: msg.params.code ?? null,
        purpose: msg.params.purpose ?? null,
        template: msg.template,
      });
      const t = Math.floor(opts.clock.now().getTime() / 1000);
      const res = await fetchImpl(opts.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [WEBHOOK_SIGNATURE_HEADER]: signWebhookPayload(opts.secret, body, t) },
        body,
        signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
      });
      // The gateway's body is not kept: only the status, so nothing it says leaks into our logs or rows.
      if (!res.ok) throw new Error(`SMS gateway answered HTTP ${res.status}`);
      const answer = (await res.json().catch(() => null)) as { id?: unknown } | null;
      return { providerMessageId: typeof answer?.id === 'string' ? answer.id.slice(0, 100) : `http-${t}` };
    },
  };
}
