import { randomBytes } from 'node:crypto';
import { generateSelfSignedP12 } from '../../pdf/sign-pdf';
import type { Config } from '../../config';

export interface SigningKey {
  p12: Uint8Array;
  passphrase: string;
  /** True for the development certificate generated in this process. */
  selfSigned: boolean;
}

const generated = new Map<string, Promise<SigningKey>>();

/**
 * The certificate that seals effective agreements: the organisation's or platform's PKCS#12 from
 * configuration, or, when none is configured, a self-signed development certificate in the
 * organisation's name, generated once per process (validators report its issuer as untrusted).
 */
export function signingKeyFor(config: Config, organizationName: string, notBefore: Date): Promise<SigningKey> {
  if (config.signing) {
    return Promise.resolve({ p12: new Uint8Array(Buffer.from(config.signing.p12Base64, 'base64')), passphrase: config.signing.passphrase, selfSigned: false });
  }
  let key = generated.get(organizationName);
  if (!key) {
    const passphrase = randomBytes(18).toString('base64url');
    key = generateSelfSignedP12({
      commonName: organizationName,
      organization: organizationName,
      passphrase,
      // Back-dated a year so that signing times moved by a test clock stay inside its validity.
      notBefore: new Date(notBefore.getTime() - 365 * 86_400_000),
      validDays: 20 * 365,
    }).then((p12) => ({ p12, passphrase, selfSigned: true }));
    // A failed generation must not poison the cache for the rest of the process.
    key.catch(() => generated.delete(organizationName));
    generated.set(organizationName, key);
  }
  return key;
}
