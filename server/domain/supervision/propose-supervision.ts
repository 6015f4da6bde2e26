import { and, eq, inArray, isNotNull, lt, or, sql } from 'drizzle-orm';
import { cases, disputeLeads, organizations, supervisionProposals } from '../../../schema';
import { ACTIVE_STATUSES } from '../cases/state-machine';
import type { Deps } from '../context';
import type { CaseLevel } from '../enums';
import type { SupervisionProposalReason, SupervisionSubject } from './types';
import { supervisingOrganizations, supervisorFor } from './supervision-rules';

const OPEN_CASE_STATUSES = ['SUBMITTED', 'AWAITING_RESPONDENT', ...ACTIVE_STATUSES] as const;

interface Candidate {
  subjectType: SupervisionSubject;
  caseId: string | null;
  leadId: string | null;
  region: string;
  level: CaseLevel;
  reason: SupervisionProposalReason;
  detail: string;
}

/**
 * Fills the supervision queue: cases past their level's dispatch limit or their mediation limit, and
 * open HIGH-risk cases and leads, each proposed once to the organisation one level above the one
 * holding it. Each proposal is written on its own; a failure is logged and the rest go on.
 */
export async function proposeSupervision(deps: Deps): Promise<{ proposed: number; failed: number }> {
  const now = deps.clock.now();
  const nowIso = now.toISOString();
  const overdue = await deps.db
    .select({ id: cases.id, number: cases.number, region: cases.regionCode, level: organizations.level, status: cases.status, riskLevel: cases.riskLevel, levelDueAt: cases.levelDueAt, dueAt: cases.dueAt })
    .from(cases)
    .innerJoin(organizations, eq(organizations.id, cases.organizationId))
    .where(
      and(
        inArray(cases.status, [...OPEN_CASE_STATUSES]),
        or(
          and(isNotNull(cases.levelDueAt), lt(cases.levelDueAt, sql`${nowIso}::timestamptz`)),
          and(eq(cases.status, 'MEDIATING'), isNotNull(cases.dueAt), lt(cases.dueAt, sql`${nowIso}::timestamptz`)),
          eq(cases.riskLevel, 'HIGH'),
        ),
      ),
    )
    .limit(500);
  const leads = await deps.db
    .select({ id: disputeLeads.id, region: disputeLeads.regionCode, level: organizations.level, description: disputeLeads.description })
    .from(disputeLeads)
    .leftJoin(organizations, eq(organizations.id, disputeLeads.organizationId))
    .where(and(eq(disputeLeads.riskLevel, 'HIGH'), inArray(disputeLeads.status, ['OPEN', 'UNDER_WATCH'])))
    .limit(500);
  const candidates: Candidate[] = [];
  for (const c of overdue) {
    const late = (c.levelDueAt && c.levelDueAt < now) || (c.status === 'MEDIATING' && c.dueAt && c.dueAt < now);
    if (late) candidates.push({ subjectType: 'CASE', caseId: c.id, leadId: null, region: c.region, level: c.level, reason: 'CASE_OVERDUE', detail: `${c.number} 已超过${c.levelDueAt && c.levelDueAt < now ? '本级办理' : '调解'}期限` });
    if (c.riskLevel === 'HIGH') candidates.push({ subjectType: 'CASE', caseId: c.id, leadId: null, region: c.region, level: c.level, reason: 'HIGH_RISK_OPEN', detail: `${c.number} 高风险纠纷尚未化解` });
  }
  for (const l of leads) {
    candidates.push({ subjectType: 'LEAD', caseId: null, leadId: l.id, region: l.region, level: l.level ?? (l.region.length === 12 ? 'VILLAGE' : l.region.length === 9 ? 'TOWNSHIP' : 'COUNTY'), reason: 'HIGH_RISK_OPEN', detail: `高风险排查线索尚未化解：${l.description.slice(0, 60)}` });
  }
  if (candidates.length === 0) return { proposed: 0, failed: 0 };
  const orgs = await supervisingOrganizations(deps.db);
  let proposed = 0;
  let failed = 0;
  for (const c of candidates) {
    const supervisor = supervisorFor(orgs, c.region, c.level);
    if (!supervisor) continue;
    try {
      // Proposed once per matter, reason and supervisor, whatever was decided on it since.
      const [exists] = await deps.db
        .select({ id: supervisionProposals.id })
        .from(supervisionProposals)
        .where(
          and(
            eq(supervisionProposals.supervisingOrganizationId, supervisor.id),
            eq(supervisionProposals.reason, c.reason),
            c.caseId ? eq(supervisionProposals.caseId, c.caseId) : eq(supervisionProposals.leadId, c.leadId!),
          ),
        )
        .limit(1);
      if (exists) continue;
      const inserted = await deps.db
        .insert(supervisionProposals)
        .values({ subjectType: c.subjectType, caseId: c.caseId, leadId: c.leadId, supervisingOrganizationId: supervisor.id, reason: c.reason, detail: c.detail, proposedAt: now })
        .onConflictDoNothing()
        .returning({ id: supervisionProposals.id });
      proposed += inserted.length;
    } catch (err) {
      failed++;
      deps.log.error({ err, caseId: c.caseId, leadId: c.leadId }, 'proposing supervision failed');
    }
  }
  return { proposed, failed };
}
