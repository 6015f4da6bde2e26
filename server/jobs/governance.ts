import type { Deps } from '../domain/context';
import { remindFollowUps } from '../domain/follow-up/remind-follow-ups';
import { markOverdueScreeningReports } from '../domain/screening/mark-overdue-reports';
import { escalateSupervisionOrders } from '../domain/supervision/escalate-supervision-orders';
import { proposeSupervision } from '../domain/supervision/propose-supervision';

/**
 * The governance loop's periodic work: overdue weekly screening reports, follow-up reminders,
 * escalation of unanswered supervision orders and the supervision proposal queue. Each step runs
 * even if another fails, and each step handles its rows one by one.
 */
export async function runGovernance(deps: Deps) {
  const steps = {
    screeningReports: markOverdueScreeningReports,
    followUpReminders: remindFollowUps,
    supervisionEscalation: escalateSupervisionOrders,
    supervisionProposals: proposeSupervision,
  } as const;
  const result: Record<string, unknown> = {};
  for (const [name, step] of Object.entries(steps)) {
    try {
      result[name] = await step(deps);
    } catch (err) {
      deps.log.error({ err, step: name }, 'governance step failed');
      result[name] = { error: true };
    }
  }
  return result;
}
