import { randomBytes } from 'node:crypto';
import { REAL_NAME_METHODS, type IdentityMethod } from '../identity/identity-service';
import { chineseDate } from '../../pdf/agreement-text';
import type { AgreementDocument, AgreementPartyView, AgreementSignature, AgreementTemplateId } from '../../pdf/types';
import { decrypt } from '../auth/crypto';
import type { PartyRow } from '../cases/case-access';
import type { FieldError } from '../errors';
import { agreements, users } from '../../../schema';

export type AgreementRow = typeof agreements.$inferSelect;
type UserRow = typeof users.$inferSelect;

/** A party as printed on the agreement; the ID number stays encrypted at rest, as on the profile. */
export interface StoredParty extends Omit<AgreementPartyView, 'idNumber'> {
  partyId: string;
  idNumberEnc?: string;
}

export interface StoredTerm {
  text: string;
  obligorPartyId: string | null;
  obligorName: string | null;
  /** Yuan with two places, e.g. "8500.00". */
  amount: string | null;
  /** YYYY-MM-DD */
  dueDate: string | null;
}

/**
 * Everything printed on an agreement except signatures and the seal: a snapshot taken when it is
 * drafted, so the final PDF shows exactly what the signers were shown.
 */
export interface AgreementContent {
  caseNumber: string;
  categoryLabel: string;
  organizationName: string;
  mediators: string[];
  recorder: string;
  parties: StoredParty[];
  facts: string;
  issues: string;
  responsibilities: string | null;
  terms: StoredTerm[];
  performance: { method: string; place: string | null; deadline: string };
  breach: string;
  originals: number;
  /** YYYY-MM-DD: the day it was drafted (the printed date is the effective date, set on the last signature). */
  date: string;
  /** The number of the effective agreement this version corrects, when it is one. */
  replacesNumber?: string | null;
}

/** Parse the jsonb column back into its shape (written only by draftAgreement). */
export function contentOf(row: Pick<AgreementRow, 'content'>): AgreementContent {
  return row.content as unknown as AgreementContent;
}

/** Template by channel; a court-delegated (委派) case uses the court template whatever its channel. */
export function templateForCase(channel: string | null, delegatingCourtId: string | null): AgreementTemplateId {
  if (delegatingCourtId || channel === 'JUDICIAL') return 'judicial';
  if (channel === 'ADMINISTRATIVE') return 'administrative';
  if (channel === 'LAWYER') return 'lawyer';
  return 'peoples';
}

/**
 * （2026）金牛调字第12号 -> （2026）金牛调协字第12号 for the first agreement of a case; each later
 * version (a correction) gets its own number, （2026）金牛调协字第12号之一, 之二 …, and cites the one it replaces.
 */
export function agreementNumber(caseNumber: string, version = 1): string {
  const base = caseNumber.includes('调字') ? caseNumber.replace('调字', '调协字') : `${caseNumber}（调解协议）`;
  return version <= 1 ? base : `${base}之${chineseNumeralShort(version - 1)}`;
}

const NUMERALS = '零一二三四五六七八九';
function chineseNumeralShort(n: number): string {
  if (n < 10) return NUMERALS[n]!;
  if (n < 20) return `十${n % 10 ? NUMERALS[n % 10] : ''}`;
  return `${NUMERALS[Math.floor(n / 10)]}十${n % 10 ? NUMERALS[n % 10] : ''}`;
}

// Crockford base32 without I, L, O, U: read aloud or typed from paper without confusion.
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** 16 random base32 characters (80 bits) in groups of four: unguessable and URL-safe. */
export function newVerificationCode(): string {
  const bytes = randomBytes(16);
  let code = '';
  for (let i = 0; i < 16; i++) code += CODE_ALPHABET[bytes[i]! & 31];
  return code.match(/.{4}/g)!.join('-');
}

export function verificationUrl(publicUrl: string, code: string): string {
  return `${publicUrl}/verify/${code}`;
}

/** "8500.00" -> 人民币8,500.00元 */
export function formatYuan(amount: string): string {
  const [int = '0', frac = '00'] = amount.split('.');
  return `人民币${int.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${frac.padEnd(2, '0')}元`;
}

/** An instant as printed beside a signature: China time, to the minute. */
export function chinaTime(instant: Date): string {
  const local = new Date(instant.getTime() + 8 * 3600_000).toISOString();
  return `${local.slice(0, 10)} ${local.slice(11, 16)}`;
}

function ageOn(birthDate: string, date: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

const GENDER: Record<string, string> = { MALE: '男', FEMALE: '女', 男: '男', 女: '女' };

const ROLE_LABEL: Record<string, string> = { APPLICANT: '申请人', RESPONDENT: '被申请人' };

/**
 * The identity block a court needs for each party (PML 29, INT 354), from the linked, verified
 * account where there is one and otherwise from what was filed. Returns what is missing as field
 * errors naming the party that must supply it.
 */
export function buildParties(
  parties: PartyRow[],
  accounts: Map<string, UserRow>,
  date: string,
): { parties: StoredParty[]; missing: FieldError[] } {
  const missing: FieldError[] = [];
  const out = parties.map((p, n): StoredParty => {
    const who = `${ROLE_LABEL[p.role] ?? p.role}${p.name}`;
    const user = accounts.get(p.id);
    const domicile = user?.address ?? p.address ?? '';
    const phone = p.phone || user?.phone || '';
    // 特别授权 is said once, and what it allows (INT 351) unless the power of attorney already says so.
    const agents = p.agents.map((a) => {
      if (!a.special) return { name: a.name, authority: a.authority };
      const scope = a.authority.replace(/^特别授权[：:]?/, '');
      const says = scope.includes('签署') && scope.includes('司法确认');
      return { name: a.name, authority: `特别授权：${scope}${says ? '' : '（可代为签署调解协议、申请司法确认）'}` };
    });
    // 电子送达地址 only for a party who designated one and consented to electronic service.
    const serviceAddress = user?.serviceConsentAt && user.serviceAddress ? user.serviceAddress : p.serviceConsentAt && p.serviceAddress ? p.serviceAddress : undefined;
    if (!domicile.trim()) missing.push({ field: `parties.${n}.address`, message: `${who} must add their domicile (住所) to their profile` });
    if (!phone) missing.push({ field: `parties.${n}.phone`, message: `${who} must add a contact phone` });
    const base = {
      partyId: p.id,
      role: p.role as 'APPLICANT' | 'RESPONDENT',
      kind: p.kind as 'PERSON' | 'ORGANIZATION',
      name: p.kind === 'PERSON' && user ? user.name : p.name,
      domicile,
      phone,
      ...(serviceAddress ? { serviceAddress } : {}),
      ...(agents.length ? { agents } : {}),
    };
    if (p.kind === 'ORGANIZATION') {
      if (!p.creditCode) {
        missing.push({ field: `parties.${n}.creditCode`, message: `${who} must supply its unified social credit code (统一社会信用代码)` });
      }
      return { ...base, ...(p.creditCode ? { creditCode: p.creditCode } : {}) };
    }
    const idNumberEnc = user?.idNumberEnc ?? p.idNumberEnc ?? undefined;
    if (!idNumberEnc) {
      missing.push({ field: `parties.${n}.idNumber`, message: `${who} must add their resident ID number (公民身份号码) to their profile` });
    }
    // 实名: a natural person signs an agreement only once verified by the identity service or in person.
    if (!user || !REAL_NAME_METHODS.includes(user.identityMethod as IdentityMethod)) {
      missing.push({
        field: `parties.${n}.identity`,
        message: user
          ? `${who} is not yet verified (实名): the mediator checks their identity document in person (verifyIdentityInPerson), or the identity service confirms their ID number`
          : `${who} has no account yet: they register with the phone on the case, then are verified (实名) in person or by the identity service`,
      });
    }
    const birthDate = user?.birthDate ?? undefined;
    const rawGender = user?.gender ?? p.gender;
    const gender = rawGender ? GENDER[rawGender] : undefined;
    const ethnicity = user?.ethnicity ?? p.ethnicity ?? undefined;
    const occupation = user?.occupation ?? p.occupation ?? undefined;
    // PML 29: gender, ethnicity and occupation of a natural person are printed on the agreement.
    const how = user ? 'to their profile (updateProfile)' : '(given at filing for a party without an account)';
    if (!gender) missing.push({ field: `parties.${n}.gender`, message: `${who} must add their gender (性别) ${how}` });
    if (!ethnicity) missing.push({ field: `parties.${n}.ethnicity`, message: `${who} must add their ethnicity (民族) ${how}` });
    if (!occupation) missing.push({ field: `parties.${n}.occupation`, message: `${who} must add their occupation (职业) ${how}` });
    return {
      ...base,
      ...(gender ? { gender } : {}),
      ...(ethnicity ? { ethnicity } : {}),
      ...(birthDate ? { birthDate, age: ageOn(birthDate, date) } : {}),
      ...(occupation ? { occupation } : {}),
      ...(idNumberEnc ? { idNumberEnc } : {}),
    };
  });
  return { parties: out, missing };
}

/** The document the renderer takes: the stored content plus signatures, seal and draft marking. */
export function toDocument(
  row: Pick<AgreementRow, 'number' | 'version' | 'templateId' | 'templateVersion' | 'verificationCode'>,
  content: AgreementContent,
  opts: { dataKey: Buffer; publicUrl: string; signatures: AgreementSignature[]; draft: boolean; createdAt: Date; /** YYYY-MM-DD of the last signature; printed under the seal. */ effectiveDate?: string },
): AgreementDocument {
  return {
    templateId: row.templateId as AgreementTemplateId,
    templateVersion: row.templateVersion,
    number: row.number,
    caseNumber: content.caseNumber,
    version: row.version,
    organization: { name: content.organizationName },
    mediators: content.mediators,
    recorder: content.recorder,
    parties: content.parties.map(({ partyId: _id, idNumberEnc, ...p }) => ({
      ...p,
      ...(idNumberEnc ? { idNumber: decrypt(opts.dataKey, idNumberEnc) } : {}),
    })),
    categoryLabel: content.categoryLabel,
    facts: content.facts,
    issues: content.issues,
    ...(content.responsibilities ? { responsibilities: content.responsibilities } : {}),
    terms: content.terms.map((t) => ({
      text: t.text,
      ...(t.obligorName ? { obligor: t.obligorName } : {}),
      ...(t.amount ? { amount: formatYuan(t.amount) } : {}),
      ...(t.dueDate ? { dueDate: `${chineseDate(t.dueDate)}前` } : {}),
    })),
    performance: {
      method: content.performance.method,
      ...(content.performance.place ? { place: content.performance.place } : {}),
      deadline: `${chineseDate(content.performance.deadline)}前履行完毕`,
    },
    breach: content.breach,
    originals: content.originals,
    // The date under the seal is the day it took effect (the last signature); a draft shows none.
    ...(!opts.draft && opts.effectiveDate ? { date: opts.effectiveDate } : {}),
    ...(content.replacesNumber ? { replacesNumber: content.replacesNumber } : {}),
    createdAt: opts.createdAt,
    signatures: opts.signatures,
    // The seal goes on with the mediator's signature, which is what makes the final version.
    sealApplied: !opts.draft,
    verification: { code: row.verificationCode, url: verificationUrl(opts.publicUrl, row.verificationCode) },
    draft: opts.draft,
  };
}

/** Default breach clause when the mediator does not write one (PML 31–32, CPL 206). */
export const DEFAULT_BREACH_CLAUSE =
  '任何一方不履行或者不完全履行本协议的，对方可以请求调解组织督促履行，也可以就履行或者协议内容依法向人民法院提起诉讼；本协议经人民法院确认有效后，一方拒绝履行或者未全部履行的，对方可以向作出确认裁定的人民法院申请强制执行。';
