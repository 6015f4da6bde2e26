import { and, eq } from 'drizzle-orm';
import { organizations } from '../../../schema';
import type { Executor } from '../../db';
import type { CaseRow, PartyRow } from '../cases/case-access';
import { regionNames, resolveDomiciles } from '../courts/domicile';
import { thresholdOn, yiYuan, type IntermediateThreshold } from '../courts/jurisdiction-thresholds';

export type CourtRow = typeof organizations.$inferSelect;

export interface EligibleCourt {
  court: CourtRow;
  /** Why this court may confirm the agreement, one line per ground. */
  reasons: string[];
}

/** A court the parties may not apply to, and why (one line per reason). */
export interface IneligibleCourt {
  court: CourtRow;
  reasons: string[];
}

export interface Jurisdiction {
  eligible: EligibleCourt[];
  notEligible: IneligibleCourt[];
  /** The intermediate-court rule applied, with its source (empty for a delegated case). */
  threshold: IntermediateThreshold | null;
}

const prefectureOf = (regionCode: string) => `${regionCode.slice(0, 4)}00`;
/** The county a division code lies in, or null for a prefecture- or province-level code. */
const countyOf = (regionCode: string | null | undefined) => (regionCode && regionCode.length >= 6 && !regionCode.slice(0, 6).endsWith('00') ? regionCode.slice(0, 6) : null);
const byCode = (a: { court: CourtRow }, b: { court: CourtRow }) => (a.court.courtCode ?? '').localeCompare(b.court.courtCode ?? '');

/**
 * Which courts may confirm the agreement of a case, and which may not and why (CPL 205, INT 352,
 * SIM 19). A court-delegated (委派) mediation goes to the delegating court only. Otherwise the
 * grounds are the domicile of either party, the place of the subject matter and the place of the
 * mediation organisation (the place where the dispute arose is not a ground of its own); each ground
 * names a basic court. Where the amount reaches the intermediate-court threshold in force (data with
 * its source), that basic court is never eligible and the intermediate court supervising it is.
 */
export async function assessJurisdiction(db: Executor, c: CaseRow, parties: PartyRow[], today: string): Promise<Jurisdiction> {
  const courts = await db.select().from(organizations).where(and(eq(organizations.kind, 'COURT'), eq(organizations.active, true)));
  if (c.delegatingCourtId) {
    const delegating = courts.find((k) => k.id === c.delegatingCourtId) ?? (await db.select().from(organizations).where(eq(organizations.id, c.delegatingCourtId)))[0];
    const eligible = delegating ? [{ court: delegating, reasons: [`委派调解：由委派调解的${delegating.name}确认（民事诉讼法第二百零五条，特邀调解规定第十九条）`] }] : [];
    const notEligible = courts
      .filter((k) => k.id !== c.delegatingCourtId)
      .map((court) => ({ court, reasons: ['本案系人民法院委派调解，只能向委派调解的人民法院申请司法确认（民事诉讼法第二百零五条）'] }));
    return { eligible, notEligible: notEligible.sort(byCode), threshold: null };
  }

  const threshold = thresholdOn(today);
  const amount = Number(c.amount ?? 0);
  const domiciles = await resolveDomiciles(db, parties.map((p) => ({ regionCode: p.domicileRegionCode, address: p.address })));
  const [org] = c.organizationId ? await db.select().from(organizations).where(eq(organizations.id, c.organizationId)) : [];

  // Ground -> the basic court's county and why.
  const grounds = new Map<string, string[]>();
  const addGround = (county: string | null, reason: string) => {
    if (!county) return;
    const list = grounds.get(county) ?? [];
    if (!list.includes(reason)) list.push(reason);
    grounds.set(county, list);
  };
  parties.forEach((p, i) => addGround(domiciles[i]!.county, `当事人${p.name}住所地`));
  addGround(countyOf(c.subjectMatterRegionCode), '标的物所在地');
  if (org) addGround(countyOf(org.regionCode), `调解组织（${org.name}）所在地`);
  const names = await regionNames(db, [...grounds.keys()]);

  const eligible: EligibleCourt[] = [];
  const notEligible: IneligibleCourt[] = [];
  /** Intermediate court region -> why, from each basic court it supervises that is above the threshold. */
  const supervising = new Map<string, string[]>();
  const law = '（民事诉讼法第二百零五条、民诉法解释第三百五十二条）';

  const limitFor = (province: string) => {
    const known = domiciles.filter((d) => d.province);
    const outside = known.filter((d) => d.province !== province).length;
    const onePartyOutside = outside > 0 && outside < parties.length;
    return onePartyOutside
      ? { limit: threshold.onePartyOutside, rule: `一方当事人住所地不在本省，标的额${yiYuan(threshold.onePartyOutside)}以上` }
      : { limit: threshold.allSameSide, rule: `当事人住所地均在${outside === 0 ? '' : '或者均不在'}本省，标的额${yiYuan(threshold.allSameSide)}以上` };
  };

  for (const court of courts) {
    if (court.level !== 'COUNTY') continue;
    const reasons = grounds.get(court.regionCode);
    if (!reasons) {
      notEligible.push({ court, reasons: ['不是当事人住所地、标的物所在地或调解组织所在地的基层人民法院（纠纷发生地不是独立的管辖依据）'] });
      continue;
    }
    const { limit, rule } = limitFor(court.regionCode.slice(0, 2));
    if (amount >= limit) {
      const why = `争议标的额${yiYuan(amount)}达到中级人民法院管辖标准（${rule}，${threshold.source}）`;
      notEligible.push({ court, reasons: [`${reasons.join('、')}的基层人民法院，但${why}，基层人民法院不得受理`] });
      const up = prefectureOf(court.regionCode);
      supervising.set(up, [...(supervising.get(up) ?? []), `${court.name}（${reasons.join('、')}）的上级中级人民法院；${why}${law}`]);
    } else {
      eligible.push({ court, reasons: reasons.map((r) => `${r}的基层人民法院${law}`) });
    }
  }
  // A ground whose county has no court on the platform still makes its intermediate court competent above the threshold.
  for (const [county, reasons] of grounds) {
    if (courts.some((k) => k.level === 'COUNTY' && k.regionCode === county)) continue;
    const { limit, rule } = limitFor(county.slice(0, 2));
    if (amount >= limit) {
      const up = prefectureOf(county);
      const why = `争议标的额${yiYuan(amount)}达到中级人民法院管辖标准（${rule}，${threshold.source}）`;
      supervising.set(up, [...(supervising.get(up) ?? []), `${names.get(county) ?? county}（${reasons.join('、')}）基层人民法院的上级中级人民法院；${why}${law}`]);
    }
  }
  for (const court of courts) {
    if (court.level !== 'PREFECTURE') continue;
    const why = supervising.get(court.regionCode);
    if (why) eligible.push({ court, reasons: why });
    else if ([...grounds.keys()].some((county) => prefectureOf(county) === court.regionCode)) {
      notEligible.push({ court, reasons: [`争议标的额${yiYuan(amount)}未达到中级人民法院管辖标准（${threshold.source}），应向基层人民法院申请`] });
    } else {
      notEligible.push({ court, reasons: ['不是有管辖权的基层人民法院的上级中级人民法院'] });
    }
  }
  return { eligible: eligible.sort(byCode), notEligible: notEligible.sort(byCode), threshold };
}

/** The courts the parties may apply to, with the reasons for each (see assessJurisdiction). */
export async function eligibleCourts(db: Executor, c: CaseRow, parties: PartyRow[], today: string): Promise<EligibleCourt[]> {
  return (await assessJurisdiction(db, c, parties, today)).eligible;
}
