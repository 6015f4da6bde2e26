import { desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { regions, subsidyRuleSets } from '../../../schema';
import { loadSubsidyAuthority, maySubsidy } from '../access/subsidy';
import { requireUser } from '../auth/policy';
import type { Actor, Deps } from '../context';
import { uniqueViolation } from '../db-errors';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { parseInput } from '../validate';
import { FILE_REQUIREMENTS, SUBSIDY_GRADES, type SubsidyGrade } from './types';

export type SubsidyRuleSetRow = typeof subsidyRuleSets.$inferSelect;

export interface SetSubsidyRulesInput {
  regionCode: string;
  effectiveFrom: string;
  /** Integer fen per grade; every grade once. */
  grades: { grade: SubsidyGrade; amountFen: number }[];
  fileRequirements: (typeof FILE_REQUIREMENTS)[number][];
  source?: string | null;
}

const schema = z.object({
  regionCode: z.string().regex(/^\d{6}$/, 'must be a county code (6 digits)'),
  effectiveFrom: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD'),
  grades: z
    .array(z.object({ grade: z.enum(SUBSIDY_GRADES), amountFen: z.number().int().min(1, 'must be more than zero').max(10_000_000, 'at most 100000.00 yuan per case') }))
    .min(1),
  fileRequirements: z.array(z.enum(FILE_REQUIREMENTS)),
  source: z.string().trim().max(500).nullish(),
});

/**
 * setSubsidyRules: the county 司法局 publishes a new version of its rules (amount per grade, file
 * requirements) from a day on. Versions only grow; an effective day must come after the latest
 * version's, so the rules a settled case was paid under never change.
 */
export async function setSubsidyRules(deps: Deps, actor: Actor, input: SetSubsidyRulesInput): Promise<SubsidyRuleSetRow> {
  const viewer = requireUser(actor);
  const data = parseInput(schema, input);
  const day = new Date(`${data.effectiveFrom}T00:00:00Z`);
  if (Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== data.effectiveFrom) throw ValidationError.field('effectiveFrom', 'is not a calendar day');
  const amounts = {} as Record<SubsidyGrade, number>;
  for (const [i, g] of data.grades.entries()) {
    if (amounts[g.grade] !== undefined) throw ValidationError.field(`grades.${i}.grade`, 'is listed twice');
    amounts[g.grade] = g.amountFen;
  }
  const absent = SUBSIDY_GRADES.filter((g) => amounts[g] === undefined);
  if (absent.length) throw ValidationError.field('grades', `every grade needs an amount; missing ${absent.join(', ')}`);
  for (let i = 1; i < SUBSIDY_GRADES.length; i++) {
    if (amounts[SUBSIDY_GRADES[i]!] < amounts[SUBSIDY_GRADES[i - 1]!]) throw ValidationError.field('grades', 'a graver grade may not pay less than a simpler one');
  }
  const [region] = await deps.db.select({ level: regions.level }).from(regions).where(eq(regions.code, data.regionCode));
  if (!region) throw new NotFoundError('Region');
  if (region.level !== 'COUNTY') throw ValidationError.field('regionCode', 'must be a county');
  const authority = await loadSubsidyAuthority(deps.db, viewer);
  if (!maySubsidy(authority, 'SET_RULES', data.regionCode)) throw new ForbiddenError('Only the county 司法局 sets its 以案定补 rules.');
  try {
    return await deps.db.transaction(async (tx) => {
      const [latest] = await tx.select().from(subsidyRuleSets).where(eq(subsidyRuleSets.countyCode, data.regionCode)).orderBy(desc(subsidyRuleSets.version)).limit(1);
      if (latest && latest.effectiveFrom >= data.effectiveFrom) {
        throw ValidationError.field('effectiveFrom', `must be after ${latest.effectiveFrom}, the start of version ${latest.version}`);
      }
      // Two concurrent versions both take version latest + 1: the unique index lets one win.
      const [row] = await tx
        .insert(subsidyRuleSets)
        .values({
          countyCode: data.regionCode,
          version: (latest?.version ?? 0) + 1,
          effectiveFrom: data.effectiveFrom,
          amountsFen: amounts,
          fileRequirements: [...new Set(data.fileRequirements)],
          source: data.source ?? null,
          createdAt: deps.clock.now(),
          createdBy: viewer.userId,
        })
        .returning();
      return row!;
    });
  } catch (err) {
    if (uniqueViolation(err)) throw new ConflictError('Another version of these rules was set at the same time; reload and try again.');
    throw err;
  }
}
