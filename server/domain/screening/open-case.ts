import { eq } from 'drizzle-orm';
import { regions } from '../../../schema';
import type { Tx } from '../../db';
import type { CaseRow } from '../cases/case-access';
import { insertNewCase, type NewPartyColumns } from '../cases/insert-new-case';
import { assessRisk } from '../cases/risk';
import type { Actor, Deps, UserViewer } from '../context';
import type { DisputeCategory } from '../enums';
import { ValidationError } from '../errors';

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
 * the applicant is taken as consenting, each respondent is invited and must consent (PML 3, 17);
 * a party is linked to an account only when its owner proved the phone, as in a filing.
 */
export async function openCase(tx: Tx, deps: Deps, actor: Actor, viewer: UserViewer, spec: OpenCaseSpec): Promise<CaseRow> {
  const all = [spec.applicant, ...spec.respondents];
  const phones = all.map((p) => p.phone);
  if (new Set(phones).size !== phones.length) throw ValidationError.field('people', 'each party needs their own phone number');
  const countyCode = spec.regionCode.slice(0, 6);
  const [county] = await tx.select().from(regions).where(eq(regions.code, countyCode));
  if (!county) throw ValidationError.field('regionCode', 'lies in no known county');
  const risk = assessRisk({ category: spec.category, title: spec.title, description: spec.description, priorCasesBetweenSamePartiesWithinYear: spec.filedVia === 'RELAPSE' ? 1 : 0 });
  const party = (p: OpenPartySpec): NewPartyColumns => ({
    kind: p.kind ?? 'PERSON',
    name: p.name,
    phone: p.phone,
    idNumberEnc: p.idNumberEnc ?? null,
    idNumberMasked: p.idNumberMasked ?? null,
    creditCode: p.creditCode ?? null,
    address: p.address ?? null,
  });
  return insertNewCase(tx, deps, actor, {
    row: {
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
    },
    countyName: county.name,
    applicant: party(spec.applicant),
    respondents: spec.respondents.map(party),
    filed: {
      category: spec.category,
      regionCode: spec.regionCode,
      filedVia: spec.filedVia,
      parties: all.map((p, i) => ({ role: i === 0 ? 'APPLICANT' : 'RESPONDENT', name: p.name })),
      riskLevel: risk.level,
      riskSignals: risk.signals.map((s) => s.code),
      ...spec.origin,
    },
    intake: { data: { checks: ['mediable category', 'parties identified', 'region known'] } },
    notices: (number, caseId) => [
      ...spec.respondents.map((r) => ({
        kind: 'NOTIFICATION' as const,
        topic: 'case.respondent_invited',
        recipient: r.phone,
        caseId,
        payload: { caseNumber: number, applicant: spec.applicant.name, title: spec.title },
      })),
      ...(risk.level === 'HIGH'
        ? [{ kind: 'ALERT' as const, topic: 'risk.high', recipient: `police-liaison:${countyCode}`, caseId, payload: { caseNumber: number, regionCode: spec.regionCode, signals: risk.signals.map((s) => s.label).join('、') } }]
        : []),
    ],
  });
}
