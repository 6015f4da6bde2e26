import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { signingKeys } from '../../../schema';
import type { Config } from '../../config';
import type { Executor } from '../../db';
import { decrypt, encrypt } from '../auth/crypto';

export interface SigningKey {
  p12: Uint8Array;
  passphrase: string;
  /** True for the development certificate generated in this process. */
  selfSigned: boolean;
}

const generated = new Map<string, Promise<SigningKey>>();

/** The certificate builder loads the PDF and ASN.1 libraries on first use, not at start. */
async function selfSignedP12(opts: import('../../pdf/sign-pdf').SelfSignedOptions): Promise<Uint8Array> {
  const { generateSelfSignedP12 } = await import('../../pdf/sign-pdf');
  return generateSelfSignedP12(opts);
}

/**
 * The certificate that seals effective agreements: the organisation's or platform's PKCS#12 from
 * configuration, or, when none is configured, a self-signed development certificate in the
 * organisation's name, generated once per process (validators report its issuer as untrusted).
 */
export function signingKeyFor(config: Config, organizationName: string, notBefore: Date, db?: Executor): Promise<SigningKey> {
  if (config.signing) {
    return Promise.resolve({ p12: new Uint8Array(Buffer.from(config.signing.p12Base64, 'base64')), passphrase: config.signing.passphrase, selfSigned: false });
  }
  if (config.signingSelfSigned && db) return storedSelfSignedKey(config, db, organizationName, notBefore);
  let key = generated.get(organizationName);
  if (!key) {
    const passphrase = randomBytes(18).toString('base64url');
    key = selfSignedP12({
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

/**
 * SIGNING_SELF_SIGNED=true: one self-signed key per organisation, generated once and kept in the
 * database (encrypted under the data key), so every instance and every restart signs with the same key.
 * The first writer wins (insert ... on conflict do nothing), and everyone reads the stored one.
 */
async function storedSelfSignedKey(config: Config, db: Executor, organizationName: string, notBefore: Date): Promise<SigningKey> {
  const name = `self-signed:${organizationName}`;
  const read = async () => {
    const [row] = await db.select().from(signingKeys).where(eq(signingKeys.name, name)).limit(1);
    if (!row) return null;
    const { p12, passphrase } = JSON.parse(decrypt(config.dataKey, row.p12Enc)) as { p12: string; passphrase: string };
    return { p12: new Uint8Array(Buffer.from(p12, 'base64')), passphrase, selfSigned: true };
  };
  const existing = await read();
  if (existing) return existing;
  const passphrase = randomBytes(18).toString('base64url');
  const p12 = await selfSignedP12({
    commonName: organizationName,
    organization: organizationName,
    passphrase,
    notBefore: new Date(notBefore.getTime() - 365 * 86_400_000),
    validDays: 20 * 365,
  });
  const sealed = encrypt(config.dataKey, JSON.stringify({ p12: Buffer.from(p12).toString('base64'), passphrase }));
  await db.insert(signingKeys).values({ name, p12Enc: sealed, createdAt: notBefore }).onConflictDoNothing();
  return (await read())!;
}
