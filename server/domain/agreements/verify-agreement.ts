import { eq } from 'drizzle-orm';
import { agreements } from '../../../schema';
import type { Deps } from '../context';
import { contentOf } from './agreement-content';

/** What anyone holding a verification code may learn: nothing about the people involved. */
export interface AgreementVerification {
  status: string;
  /** SHA-256 of the signed PDF; null until the agreement is effective. */
  sha256: string | null;
  effectiveAt: Date | null;
  confirmationDeadline: Date | null;
  organizationName: string;
  /** The agreement number carries the year and county, never a name. */
  number: string;
  version: number;
}

const CODE_RE = /^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/;

/** Public check of an agreement by the code printed on it; null for an unknown code. */
export async function verifyAgreement(deps: Deps, code: string): Promise<AgreementVerification | null> {
  const normalised = code.trim().toUpperCase();
  if (!CODE_RE.test(normalised)) return null;
  const [row] = await deps.db.select().from(agreements).where(eq(agreements.verificationCode, normalised)).limit(1);
  if (!row) return null;
  return {
    status: row.status,
    sha256: row.finalSha256,
    effectiveAt: row.effectiveAt,
    confirmationDeadline: row.confirmationDeadline,
    organizationName: contentOf(row).organizationName,
    number: row.number,
    version: row.version,
  };
}
