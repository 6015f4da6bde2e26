import type { users } from '../../../schema';
import { addDaysToDate, localDate } from '../clock/calendar';
import type { Deps } from '../context';
import { setSubsidyRules } from '../subsidies/set-subsidy-rules';
import { actorOf } from './seed-governance';

/**
 * 宾川县's 以案定补 rules as its 司法局 publishes them, in force from the first day of the year the
 * oldest demo case settled in. The demo county asks for the agreement and a follow-up (回访): the
 * demo cases were mediated without recorded minutes.
 */
export async function seedSubsidyRules(deps: Deps, countyJusticeAdmin: typeof users.$inferSelect): Promise<void> {
  // The oldest demo case settles forty days back: the rules start on 1 January of that year.
  const year = addDaysToDate(localDate(deps.clock.now()), -60).slice(0, 4);
  await setSubsidyRules(deps, actorOf(countyJusticeAdmin), {
    regionCode: '532924',
    effectiveFrom: `${year}-01-01`,
    grades: [
      { grade: 'SIMPLE', amountFen: 10_000 },
      { grade: 'ORDINARY', amountFen: 20_000 },
      { grade: 'COMPLEX', amountFen: 50_000 },
      { grade: 'MAJOR', amountFen: 100_000 },
    ],
    fileRequirements: ['AGREEMENT', 'FOLLOW_UP'],
    source: '宾川县以案定补实施办法（演示）',
  });
}
