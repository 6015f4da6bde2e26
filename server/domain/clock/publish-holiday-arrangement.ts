import { z } from 'zod';
import { holidayArrangements } from '../../../schema';
import { requireRole } from '../auth/policy';
import type { Actor, Deps } from '../context';
import { ValidationError } from '../errors';
import { parseInput } from '../validate';
import { checkArrangement, type YearArrangement } from './calendar';
import { readArrangements } from './calendar-store';
import { isValidDate } from './dates';
import { recomputeProvisionalDeadlines, type MovedDeadline } from './recompute-deadlines';

const date = z.string().refine(isValidDate, 'is not a real calendar day (YYYY-MM-DD)');
const schema = z.object({
  year: z.number().int().min(2000).max(2200),
  holidays: z.array(date).min(1).max(80),
  workdays: z.array(date).max(30),
  source: z.string().trim().min(2).max(500),
});

/**
 * A platform admin publishes a year's State Council notice. It takes effect at once, without a deploy:
 * every open deadline that rested on provisional days is recomputed in the same transaction, and the
 * calendars of this and (on their next tick) every other instance reload.
 */
export async function publishHolidayArrangement(
  deps: Deps,
  actor: Actor,
  input: z.input<typeof schema>,
): Promise<{ arrangement: YearArrangement; moved: MovedDeadline[] }> {
  const viewer = requireRole(actor, 'PLATFORM_ADMIN');
  const data = parseInput(schema, input);
  const holidays = [...new Set(data.holidays)].sort();
  const workdays = [...new Set(data.workdays)].sort();
  const problem = checkArrangement({ year: data.year, holidays, workdays });
  if (problem) throw ValidationError.field(problem.includes('weekday') || problem.includes('both') ? 'workdays' : 'holidays', problem);
  const now = deps.clock.now();
  const arrangement = { year: data.year, holidays, workdays, source: data.source, publishedAt: now };
  const next = deps.calendar.with(arrangement);
  const result = await deps.db.transaction(async (tx) => {
    const row = { ...arrangement, origin: 'API', publishedBy: viewer.userId };
    await tx
      .insert(holidayArrangements)
      .values(row)
      .onConflictDoUpdate({ target: holidayArrangements.year, set: { holidays, workdays, source: data.source, origin: 'API', publishedAt: now, publishedBy: viewer.userId } });
    return recomputeProvisionalDeadlines(tx, deps.clock, actor, next);
  });
  deps.calendar.setOfficial(await readArrangements(deps.db));
  deps.log.info({ year: data.year, moved: result.moved.length, confirmed: result.confirmed, by: viewer.userId }, 'holiday arrangement published');
  return { arrangement: deps.calendar.arrangement(data.year), moved: result.moved };
}
