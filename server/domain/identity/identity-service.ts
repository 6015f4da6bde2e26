import { signWebhookPayload, WEBHOOK_SIGNATURE_HEADER } from '../../jobs/webhook-signature';
import type { Config } from '../../config';
import type { Clock } from '../context';

/** 实名: how an identity was verified, weakest first. Drafting an agreement needs ID_SERVICE or IN_PERSON. */
export const IDENTITY_METHODS = ['PHONE', 'ID_SERVICE', 'IN_PERSON'] as const;
export type IdentityMethod = (typeof IDENTITY_METHODS)[number];

/** Methods strong enough for a natural person to be a party to an agreement. */
export const REAL_NAME_METHODS: readonly IdentityMethod[] = ['ID_SERVICE', 'IN_PERSON'];

/** The stronger of two methods (a later, weaker check never lowers what an account has). */
export function strongerMethod(a: IdentityMethod | null, b: IdentityMethod): IdentityMethod {
  if (a === null) return b;
  return IDENTITY_METHODS.indexOf(b) > IDENTITY_METHODS.indexOf(a) ? b : a;
}

/** The answer of an identity service: null when no service is available (nothing was checked). */
export type IdentityCheck = { passed: boolean; detail: string | null } | null;

/**
 * A service that checks a name against a resident ID number (e.g. a public-security identity
 * gateway behind a relay). Pluggable: `none` checks nothing, `http` asks a configured endpoint.
 */
export interface IdentityService {
  /** Recorded as identity_verifications.verified_by. */
  readonly name: string;
  check(person: { name: string; idNumber: string }): Promise<IdentityCheck>;
}

/** No service configured: ID numbers are never checked, so no account becomes ID_SERVICE-verified. */
export const noIdentityService: IdentityService = {
  name: 'none',
  check: async () => null,
};

/**
 * POSTs `{ "name", "idNumber" }` as JSON to IDENTITY_HTTP_URL, signed like the webhooks
 * (X-Jiefen-Signature with IDENTITY_HTTP_SECRET); the endpoint answers `{ "match": true|false }`.
 * An unreachable service or an unreadable answer checks nothing (null), it does not fail the person.
 */
export function createHttpIdentityService(opts: { url: string; secret: string; clock: Clock; timeoutMs?: number }, fetchImpl: typeof fetch = fetch): IdentityService {
  return {
    name: 'http',
    async check(person) {
      const body = JSON.stringify({ name: person.name, idNumber: person.idNumber });
      const t = Math.floor(opts.clock.now().getTime() / 1000);
      try {
        const res = await fetchImpl(opts.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [WEBHOOK_SIGNATURE_HEADER]: signWebhookPayload(opts.secret, body, t) },
          body,
          signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
        });
        if (!res.ok) return null;
        const answer = (await res.json().catch(() => null)) as { match?: unknown } | null;
        if (typeof answer?.match !== 'boolean') return null;
        return { passed: answer.match, detail: answer.match ? null : 'name and ID number do not match' };
      } catch {
        return null;
      }
    },
  };
}

/** The service the configuration names. */
export function identityServiceFrom(config: Config, clock: Clock): IdentityService {
  const c = config.identity;
  if (c.provider === 'http') return createHttpIdentityService({ url: c.httpUrl!, secret: c.httpSecret!, clock });
  return noIdentityService;
}
