import { randomUUID } from 'node:crypto';
import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import { organizationCaseCounters, organizations, regions } from '../../../schema';
import type { Executor, Tx } from '../../db';
import { ValidationError } from '../errors';
import { ancestorsOf } from '../regions/region-data';

/** Short county name for numbers: 宾川县 -> 宾川, 漾濞彝族自治县 -> 漾濞. */
export function countyShortName(name: string): string {
  if (name.includes('族')) return name.slice(0, 2);
  return name.replace(/(自治县|自治旗|县|市|区|旗)$/, '') || name;
}

/** A region's name as it is shortened inside a number: 大理白族自治州 -> 大理, 金牛镇 -> 金牛, 圭山村 -> 圭山. */
export function regionShortName(name: string): string {
  if (name.includes('族') && /(自治州|自治县|自治旗)$/.test(name)) return name.slice(0, 2);
  return name.replace(/(特别行政区|自治区|街道办事处|街道|社区居民委员会|居民委员会|村民委员会|社区|省|市|州|盟|县|区|旗|镇|乡|村)$/, '') || name;
}

// Longest first: the kind of body, which a number's 调字 already says.
const BODY_SUFFIXES = ['人民调解委员会', '调解委员会', '调委会', '调解工作室', '调解中心', '调解室', '中级人民法院', '人民法院', '委员会', '纠纷'];

/**
 * 简称 of an organisation for its case numbers (宾川县金牛镇人民调解委员会 -> 金牛): the names of the
 * regions it sits in are dropped from the front, the kind of body from the end, and a trailing
 * 镇/乡/村/社区; a committee named after its region alone takes that region's short name
 * (宾川县人民调解委员会 -> 宾川, 大理白族自治州中级人民法院 -> 大理).
 */
export function deriveShortName(name: string, regionNames: string[]): string {
  let rest = name.trim();
  let lastRegion: string | null = null;
  // regionNames from the province down; a name may start at any level of them.
  for (const r of regionNames) {
    if (rest.startsWith(r)) {
      rest = rest.slice(r.length);
      lastRegion = r;
    }
  }
  for (let changed = true; changed; ) {
    changed = false;
    for (const s of BODY_SUFFIXES) {
      if (rest.endsWith(s) && rest.length > s.length) {
        rest = rest.slice(0, -s.length);
        changed = true;
      } else if (rest === s) {
        rest = '';
        changed = true;
      }
    }
  }
  if (rest) {
    const short = regionShortName(rest);
    return short.length >= 2 ? short : rest;
  }
  return lastRegion ? regionShortName(lastRegion) : name;
}

/**
 * The text of a county's registration number before its serial (（2026）宾川调登字第); `号` follows
 * the serial. A new case takes the county's next serial for the year in the statement that writes
 * it (`insertNewCase`; 调登 keeps these apart from the committees' own 调字 numbers): the counter
 * row's lock queues concurrent filings, and a filing that fails gives its increment back, so the
 * numbers are unique and gap-free.
 */
export function registrationNumberPrefix(year: number, countyName: string): string {
  return `（${year}）${countyShortName(countyName)}调登字第`;
}

/**
 * What stands for a new case's number in the messages written with it (`insertNewCase`): random
 * for each process, so no text a filer writes into a title or a name can be taken for it.
 */
export const numberToken = `case-number:${randomUUID()}`;

/** Whether `number` is a case number of the organisation with this short name. */
export function isNumberOf(number: string, shortName: string): boolean {
  return new RegExp(`^（\\d{4}）${shortName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}调字第\\d+号$`).test(number);
}

/**
 * The organisation's next case number for `year` (（2026）金牛调字第N号), taken when it accepts the
 * case. The upsert holds the counter row's lock until the accepting transaction ends: concurrent
 * acceptances queue, and a rolled-back acceptance gives its number back, so each organisation's
 * numbers run 1, 2, 3 … per year without gaps or repeats.
 */
export async function nextOrganizationCaseNumber(tx: Tx, organizationId: string, year: number): Promise<string> {
  const [org] = await tx.select().from(organizations).where(eq(organizations.id, organizationId));
  if (!org) throw new Error(`organisation ${organizationId} not found`);
  let shortName = org.shortName;
  if (!shortName) {
    // An organisation created before short names existed gets its derived one now, kept from then on.
    shortName = await freeShortName(tx, org.name, org.regionCode, org.id);
    await tx.update(organizations).set({ shortName }).where(eq(organizations.id, org.id));
  }
  const [row] = await tx
    .insert(organizationCaseCounters)
    .values({ organizationId, year, last: 1 })
    .onConflictDoUpdate({
      target: [organizationCaseCounters.organizationId, organizationCaseCounters.year],
      set: { last: sql`${organizationCaseCounters.last} + 1` },
    })
    .returning();
  return `（${year}）${shortName}调字第${row!.last}号`;
}

/** The names of a region and its ancestors, from the province down. */
async function regionChainNames(db: Executor, regionCode: string): Promise<string[]> {
  const codes = [regionCode, ...ancestorsOf(regionCode)];
  const rows = await db.select({ code: regions.code, name: regions.name }).from(regions).where(inArray(regions.code, codes));
  return codes
    .reverse()
    .map((c) => rows.find((r) => r.code === c)?.name)
    .filter((n): n is string => !!n);
}

/**
 * A short name for a new organisation that no other organisation uses (numbers must identify one
 * committee): the derived one, else prefixed with its county's short name (宾川医疗), else numbered.
 * The unique index on short_name settles a race between two creations.
 */
export async function freeShortName(db: Executor, name: string, regionCode: string, exceptId?: string): Promise<string> {
  const chain = await regionChainNames(db, regionCode);
  const base = deriveShortName(name, chain);
  const county = chain[2] ? regionShortName(chain[2]) : null;
  const candidates = [base, ...(county && !base.startsWith(county) ? [`${county}${base}`] : [])];
  const stem = candidates[candidates.length - 1]!;
  for (let i = 2; i <= 20; i++) candidates.push(`${stem}${i}`);
  const taken = await db
    .select({ shortName: organizations.shortName })
    .from(organizations)
    .where(and(inArray(organizations.shortName, candidates), exceptId ? ne(organizations.id, exceptId) : undefined));
  const free = candidates.find((c) => !taken.some((t) => t.shortName === c));
  if (!free) throw ValidationError.field('shortName', `${base} and its variants are taken; give the organisation a short name`);
  return free;
}
