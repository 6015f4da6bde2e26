import { eq, inArray } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { caseParties, cases, regions, users } from '../../../schema';
import type { Tx } from '../../db';
import { recordEvent } from '../audit/record-event';
import { applyTransition } from '../cases/apply-transition';
import type { CaseRow } from '../cases/case-access';
import { nextCaseNumber } from '../cases/numbering';
import { assessRisk } from '../cases/risk';
import { localDate } from '../clock/calendar';
import type { Actor, Deps, UserViewer } from '../context';
import type { DisputeCategory } from '../enums';
import { ValidationError } from '../errors';
import { enqueue } from '../outbox/enqueue';

const RISK_RANK = { LOW: 0, MEDIUM: 1, HIGH: 2 } as const;

export interface OpenPartySpec {
  name: string;
  phone: string;
  kind?: 'PERSON' | 'ORGANIZATION';
  idNumberEnc?: string | null;
  idNumberMasked?: string | null;
  creditCode?: string | null;
  address?: string | null;
}

export interface OpenCaseSpec {
  category: DisputeCategory;
  title: string;
  description: string;
  regionCode: string;
  /** SCREENING (from the ledger) or RELAPSE (a settled dispute flared up again). */
  filedVia: 'SCREENING' | 'RELAPSE';
  applicant: OpenPartySpec;
  respondents: OpenPartySpec[];
  /** Written on the case.filed event: where the case came from. */
  origin: Record<string, unknown>;
}

/**
 * Opens a case inside the caller's transaction from a lead or a relapse, exactly as a filing does:
 * the applicant is taken as consenting, each respondent is invited and must consent (PML 3, 17).
 */
export async function openCase(tx: Tx, deps: Deps, actor: Actor, viewer: UserViewer, spec: OpenCaseSpec): Promise<CaseRow> {
  const all = [spec.applicant, ...spec.respondents];
  const phones = all.map((p) => p.phone);
  if (new Set(phones).size !== phones.length) throw ValidationError.field('people', 'each party needs their own phone number');
  const countyCode = spec.regionCode.slice(0, 6);
  const [county] = await tx.select().from(regions).where(eq(regions.code, countyCode));
  if (!county) throw ValidationError.field('regionCode', 'lies in no known county');
  const risk = assessRisk({ category: spec.category, title: spec.title, description: spec.description, priorCasesBetweenSamePartiesWithinYear: spec.filedVia === 'RELAPSE' ? 1 : 0 });
  const now = deps.clock.now();
  const [created] = await tx
    .insert(cases)
    .values({
      number: `pending:${randomUUID()}`,
      status: 'SUBMITTED',
      category: spec.category,
      title: spec.title,
      description: spec.description,
      regionCode: spec.regionCode,
      countyCode,
      filedByUserId: viewer.userId,
      filedVia: spec.filedVia,
      riskLevel: risk.level,
      riskRank: RISK_RANK[risk.level],
      riskSignals: risk.signals,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  const linked = await tx.select({ id: users.id, phone: users.phone }).from(users).where(inArray(users.phone, phones));
  await tx.insert(caseParties).values(
    all.map((p, i) => ({
      caseId: created!.id,
      role: i === 0 ? 'APPLICANT' : 'RESPONDENT',
      kind: p.kind ?? 'PERSON',
      name: p.name,
      phone: p.phone,
      userId: linked.find((u) => u.phone === p.phone)?.id ?? null,
      idNumberEnc: p.idNumberEnc ?? null,
      idNumberMasked: p.idNumberMasked ?? null,
      creditCode: p.creditCode ?? null,
      address: p.address ?? null,
      consent: i === 0 ? 'ACCEPTED' : 'PENDING',
      consentAt: i === 0 ? now : null,
      position: i,
    })),
  );
  await recordEvent(tx, deps.clock, actor, {
    subjectType: 'case',
    subjectId: created!.id,
    type: 'case.filed',
    afterStatus: 'SUBMITTED',
    data: {
      category: spec.category,
      regionCode: spec.regionCode,
      filedVia: spec.filedVia,
      parties: all.map((p, i) => ({ role: i === 0 ? 'APPLICANT' : 'RESPONDENT', name: p.name })),
      riskLevel: risk.level,
      riskSignals: risk.signals.map((s) => s.code),
      ...spec.origin,
    },
  });
  const awaiting = await applyTransition(tx, deps.clock, actor, created!, 'INTAKE_APPROVE', {}, {
    type: 'case.intake_passed',
    data: { checks: ['mediable category', 'parties identified', 'region known'] },
  });
  const number = await nextCaseNumber(tx, countyCode, county.name, Number(localDate(now).slice(0, 4)));
  const [numbered] = await tx.update(cases).set({ number }).where(eq(cases.id, created!.id)).returning();
  await enqueue(tx, deps.clock, [
    ...spec.respondents.map((r) => ({
      kind: 'NOTIFICATION' as const,
      topic: 'case.respondent_invited',
      recipient: r.phone,
      caseId: created!.id,
      payload: { caseNumber: number, applicant: spec.applicant.name, title: spec.title },
    })),
    ...(risk.level === 'HIGH'
      ? [{ kind: 'ALERT' as const, topic: 'risk.high', recipient: `police-liaison:${countyCode}`, caseId: created!.id, payload: { caseNumber: number, regionCode: spec.regionCode, signals: risk.signals.map((s) => s.label).join('、') } }]
      : []),
  ]);
  return { ...awaiting, number: numbered!.number };
}
