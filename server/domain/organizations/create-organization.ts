import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { organizations, regions } from '../../../schema';
import { recordEvent } from '../audit/record-event';
import { mayCreateOrganization } from '../access/organization';
import { requireUser } from '../auth/policy';
import type { Actor, Deps } from '../context';
import { courtCodeForRegion } from '../courts/court-code';
import { uniqueViolation } from '../db-errors';
import { CASE_LEVELS, CHANNEL_OF_KIND, DISPUTE_CATEGORIES, ORGANIZATION_KINDS, type CaseLevel } from '../enums';
import { ForbiddenError, ValidationError } from '../errors';
import { creditCodeError } from '../validation';
import { parseInput } from '../validate';
import { freeShortName } from '../cases/numbering';
import { printable } from '../validation/printable';


export type OrganizationRow = typeof organizations.$inferSelect;

export interface CreateOrganizationInput {
  name: string;
  kind: (typeof ORGANIZATION_KINDS)[number];
  regionCode: string;
  categories?: (typeof DISPUTE_CATEGORIES)[number][] | null;
  courtCode?: string | null;
  creditCode?: string | null;
  invitingCourtId?: string | null;
  chargesFee?: boolean | null;
  profile?: string | null;
  scope?: string | null;
  address?: string | null;
  phone?: string | null;
  /** 简称 used in its case numbers (（2026）金牛调字第N号); derived from the name when absent. */
  shortName?: string | null;
}

const inputSchema = z.object({
  // Printed on its agreements and seal: refused when the fonts cannot draw it.
  name: printable(z.string().trim().min(2, 'is too short').max(100)),
  kind: z.enum(ORGANIZATION_KINDS),
  regionCode: z.string().regex(/^\d{6}(\d{3}(\d{3})?)?$/, 'must be a 6, 9 or 12 digit division code'),
  categories: z.array(z.enum(DISPUTE_CATEGORIES)).max(DISPUTE_CATEGORIES.length).nullish(),
  courtCode: z.string().trim().nullish(),
  creditCode: z.string().trim().toUpperCase().nullish(),
  invitingCourtId: z.string().uuid().nullish(),
  chargesFee: z.boolean().nullish(),
  profile: z.string().max(2000).nullish(),
  scope: z.string().max(1000).nullish(),
  address: z.string().max(300).nullish(),
  phone: z.string().max(30).nullish(),
  shortName: printable(
    z
      .string()
      .trim()
      .min(1, 'is required')
      .max(12, 'is too long for a case number (at most 12 characters)')
      .regex(/^[\p{Script=Han}A-Za-z0-9]+$/u, 'may hold only Chinese characters, letters and digits'),
  ).nullish(),
});

const LEVEL_OF_REGION: Record<string, CaseLevel | undefined> = {
  VILLAGE: 'VILLAGE',
  TOWNSHIP: 'TOWNSHIP',
  COUNTY: 'COUNTY',
  PREFECTURE: 'PREFECTURE',
};

/** Creates a mediation organisation, agency desk, studio or court (platform admins only). */
export async function createOrganization(deps: Deps, actor: Actor, input: CreateOrganizationInput): Promise<OrganizationRow> {
  requireUser(actor);
  if (!mayCreateOrganization(actor.viewer)) throw new ForbiddenError('This needs one of the roles: PLATFORM_ADMIN.');
  const data = parseInput(inputSchema, input);
  const [region] = await deps.db.select().from(regions).where(eq(regions.code, data.regionCode));
  if (!region) throw ValidationError.field('regionCode', 'is not a known division code');
  const level = LEVEL_OF_REGION[region.level];
  if (!level || !CASE_LEVELS.includes(level)) {
    throw ValidationError.field('regionCode', 'must be a prefecture, county, township or village');
  }
  if (data.creditCode) {
    const problem = creditCodeError(data.creditCode);
    if (problem) throw ValidationError.field('creditCode', `is not a valid unified social credit code: ${problem}`);
  }
  let courtCode: string | null = null;
  if (data.kind === 'COURT') {
    if (region.level !== 'COUNTY' && region.level !== 'PREFECTURE') {
      throw ValidationError.field('regionCode', 'a court sits at county (basic court) or prefecture (intermediate court) level');
    }
    const expected = courtCodeForRegion(region.code);
    courtCode = data.courtCode ?? expected;
    if (courtCode !== expected) {
      throw ValidationError.field('courtCode', `does not match the region: a court of ${region.name} has code ${expected}`);
    }
  } else if (data.courtCode) {
    throw ValidationError.field('courtCode', 'only courts have a court code');
  }
  if (data.invitingCourtId) {
    const [court] = await deps.db.select().from(organizations).where(eq(organizations.id, data.invitingCourtId));
    if (!court || court.kind !== 'COURT') throw ValidationError.field('invitingCourtId', 'is not a court');
  }
  if (data.shortName) {
    const [taken] = await deps.db.select({ id: organizations.id }).from(organizations).where(eq(organizations.shortName, data.shortName));
    if (taken) throw ValidationError.field('shortName', 'is used by another organisation; a case number must identify one committee');
  }
  const shortName = data.shortName ?? (await freeShortName(deps.db, data.name, region.code));
  try {
    return await deps.db.transaction(async (tx) => {
      const [org] = await tx
        .insert(organizations)
        .values({
          name: data.name,
          shortName,
          kind: data.kind,
          channel: CHANNEL_OF_KIND[data.kind],
          regionCode: region.code,
          level,
          categories: data.categories ?? [],
          courtCode,
          creditCode: data.creditCode ?? null,
          invitingCourtId: data.invitingCourtId ?? null,
          chargesFee: data.chargesFee ?? data.kind === 'LAWYER_MEDIATION_STUDIO',
          profile: data.profile ?? null,
          scope: data.scope ?? null,
          address: data.address ?? null,
          phone: data.phone ?? null,
          createdAt: deps.clock.now(),
        })
        .returning();
      await recordEvent(tx, deps.clock, actor, {
        subjectType: 'organization',
        subjectId: org!.id,
        type: 'organization.created',
        data: { name: org!.name, shortName: org!.shortName, kind: org!.kind, regionCode: org!.regionCode },
      });
      return org!;
    });
  } catch (err) {
    const constraint = uniqueViolation(err);
    if (constraint === 'organizations_court_code_key') throw ValidationError.field('courtCode', 'is already used by another court');
    if (constraint === 'organizations_short_name_key') throw ValidationError.field('shortName', 'is used by another organisation; a case number must identify one committee');
    if (constraint === 'organizations_name_region_key') throw ValidationError.field('name', 'already exists in this region');
    throw err;
  }
}
