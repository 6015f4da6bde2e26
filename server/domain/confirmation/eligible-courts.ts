import { and, eq, inArray } from 'drizzle-orm';
import { organizations, regions } from '../../../schema';
import type { Executor } from '../../db';
import type { CaseRow, PartyRow } from '../cases/case-access';

export type CourtRow = typeof organizations.$inferSelect;

export interface EligibleCourt {
  court: CourtRow;
  /** Why this court may confirm the agreement, one line per ground. */
  reasons: string[];
}

/**
 * Amount in dispute (yuan) from which a first-instance civil dispute belongs to an intermediate
 * court (SPC notice of 2021 on the jurisdiction of intermediate courts, parties in the province);
 * CPL 205 then sends the confirmation to that intermediate court.
 */
export const INTERMEDIATE_COURT_THRESHOLD = 500_000_000;

/** The 6-digit county (or prefecture) code a region code lies in. */
const countyOf = (regionCode: string) => regionCode.slice(0, 6);
const prefectureOf = (regionCode: string) => `${regionCode.slice(0, 4)}00`;

/**
 * The courts to which the parties may apply for confirmation, with the reason for each (CPL 205,
 * INT 352, SIM 19). A court-delegated mediation goes only to the delegating court. Otherwise: the
 * basic court of the county where the dispute arose (the subject matter), of the mediation
 * organisation's county, and of each county a party's domicile names (domicile is free text, so a
 * county counts when its name appears and no other prefecture is named); plus the intermediate
 * court of the dispute's prefecture when the amount reaches INTERMEDIATE_COURT_THRESHOLD.
 */
export async function eligibleCourts(db: Executor, c: CaseRow, parties: PartyRow[]): Promise<EligibleCourt[]> {
  if (c.delegatingCourtId) {
    const [court] = await db.select().from(organizations).where(eq(organizations.id, c.delegatingCourtId));
    return court ? [{ court, reasons: ['委派调解：向委派（邀请）调解的人民法院申请（CPL 205，特邀调解规定 19）'] }] : [];
  }
  const courts = await db.select().from(organizations).where(and(eq(organizations.kind, 'COURT'), eq(organizations.active, true)));
  if (courts.length === 0) return [];
  const regionCodes = [...new Set(courts.flatMap((k) => [k.regionCode, prefectureOf(k.regionCode)]))];
  const regionRows = await db.select().from(regions).where(inArray(regions.code, regionCodes));
  const nameOf = new Map(regionRows.map((r) => [r.code, r.name]));
  const prefectureNames = new Map(regionRows.filter((r) => r.level === 'PREFECTURE').map((r) => [r.code, r.name]));

  const [org] = c.organizationId ? await db.select().from(organizations).where(eq(organizations.id, c.organizationId)) : [];
  const result = new Map<string, EligibleCourt>();
  const add = (court: CourtRow, reason: string) => {
    const entry = result.get(court.id) ?? { court, reasons: [] };
    if (!entry.reasons.includes(reason)) entry.reasons.push(reason);
    result.set(court.id, entry);
  };

  for (const court of courts) {
    if (court.level === 'COUNTY') {
      if (court.regionCode === countyOf(c.countyCode)) add(court, '纠纷发生地、标的物所在地的基层人民法院（CPL 205）');
      if (org && org.regionCode.length >= 6 && countyOf(org.regionCode) === court.regionCode && !org.regionCode.endsWith('00')) {
        add(court, `调解组织（${org.name}）所在地的基层人民法院（CPL 205）`);
      }
      const countyName = nameOf.get(court.regionCode);
      if (countyName) {
        const ownPrefecture = prefectureNames.get(prefectureOf(court.regionCode));
        for (const p of parties) {
          const domicile = p.address ?? '';
          if (!domicile.includes(countyName)) continue;
          const namesOther = [...prefectureNames].some(([code, name]) => code !== prefectureOf(court.regionCode) && name !== ownPrefecture && domicile.includes(name));
          if (!namesOther) add(court, `当事人${p.name}住所地的基层人民法院（CPL 205）`);
        }
      }
    } else if (court.level === 'PREFECTURE' && court.regionCode === prefectureOf(c.countyCode) && Number(c.amount ?? 0) >= INTERMEDIATE_COURT_THRESHOLD) {
      add(court, `争议标的额达到中级人民法院管辖标准（${INTERMEDIATE_COURT_THRESHOLD / 100_000_000}亿元），向中级人民法院申请（CPL 205）`);
    }
  }
  return [...result.values()].sort((a, b) => (a.court.courtCode ?? '').localeCompare(b.court.courtCode ?? ''));
}
