import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { diversionRules, regions } from '../../../schema';
import { recordEvent } from '../audit/record-event';
import { requireRole } from '../auth/policy';
import type { Actor, Deps } from '../context';
import { DISPUTE_CATEGORIES, MEDIATION_CHANNELS, ORGANIZATION_KINDS } from '../enums';
import { ValidationError } from '../errors';
import { parseInput } from '../validate';

export type DiversionRuleRow = typeof diversionRules.$inferSelect;

/** Replaces the diversion rules of a category in a region (or province-wide) with an ordered list. */
export async function setDiversionRules(
  deps: Deps,
  actor: Actor,
  input: { regionCode?: string | null; category: string; steps: { channel: string; organizationKinds: string[] }[] },
): Promise<DiversionRuleRow[]> {
  const viewer = requireRole(actor, 'PLATFORM_ADMIN');
  const data = parseInput(
    z.object({
      regionCode: z.string().regex(/^\d{6}(\d{3}(\d{3})?)?$/).nullish(),
      category: z.enum(DISPUTE_CATEGORIES),
      steps: z
        .array(z.object({ channel: z.enum(MEDIATION_CHANNELS), organizationKinds: z.array(z.enum(ORGANIZATION_KINDS)).min(1) }))
        .max(6),
    }),
    input,
  );
  if (data.regionCode) {
    const [r] = await deps.db.select().from(regions).where(eq(regions.code, data.regionCode));
    if (!r) throw ValidationError.field('regionCode', 'is not a known division code');
  }
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    await tx
      .delete(diversionRules)
      .where(and(eq(diversionRules.category, data.category), data.regionCode ? eq(diversionRules.regionCode, data.regionCode) : isNull(diversionRules.regionCode)));
    const rows = data.steps.length
      ? await tx
          .insert(diversionRules)
          .values(data.steps.map((s, i) => ({ regionCode: data.regionCode ?? null, category: data.category, priority: i, channel: s.channel, organizationKinds: s.organizationKinds, updatedAt: now, updatedBy: viewer.userId })))
          .returning()
      : [];
    await recordEvent(tx, deps.clock, actor, {
      subjectType: 'user',
      subjectId: viewer.userId,
      type: 'diversion_rules.set',
      data: { regionCode: data.regionCode ?? null, category: data.category, steps: data.steps },
    });
    return rows;
  });
}
