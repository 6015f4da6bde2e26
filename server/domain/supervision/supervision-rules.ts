import { and, eq, inArray } from 'drizzle-orm';
import { organizations, users } from '../../../schema';
import type { Executor, Tx } from '../../db';
import { touchCase } from '../cases/apply-transition';
import type { CaseRow } from '../cases/case-access';
import type { Actor, Clock } from '../context';
import type { CaseLevel } from '../enums';
import { updateLead } from '../screening/lead-rules';
import type { LeadRow } from '../access/lead';
import { levelAbove } from '../access/supervision';

export type OrgRow = typeof organizations.$inferSelect;

/** Organisations that supervise: mediation committees and 综治中心. */
export async function supervisingOrganizations(db: Executor): Promise<OrgRow[]> {
  return db
    .select()
    .from(organizations)
    .where(and(eq(organizations.active, true), inArray(organizations.kind, ['PEOPLES_MEDIATION_COMMITTEE', 'COMPREHENSIVE_CENTER'])));
}

/** Pure: the organisation one level above `level` whose region contains `region`; a 综治中心 first. */
export function supervisorFor(orgs: OrgRow[], region: string, level: CaseLevel): OrgRow | null {
  const above = levelAbove(level);
  if (!above) return null;
  const fit = orgs.filter((o) => o.level === above && region.startsWith(o.regionCode));
  fit.sort((a, b) => Number(b.kind === 'COMPREHENSIVE_CENTER') - Number(a.kind === 'COMPREHENSIVE_CENTER') || a.id.localeCompare(b.id));
  return fit[0] ?? null;
}

/** The phones of an organisation's admins: orders and escalations are sent to them. */
export async function adminPhones(db: Executor, organizationId: string): Promise<string[]> {
  const rows = await db.select({ phone: users.phone }).from(users).where(and(eq(users.organizationId, organizationId), eq(users.role, 'ORG_ADMIN')));
  return rows.map((r) => r.phone);
}

/** Orders and answers are audit events on the case or lead they concern. */
export async function recordOnSubject(
  tx: Tx,
  clock: Clock,
  actor: Actor,
  subject: { caseRow?: CaseRow | null; lead?: LeadRow | null },
  event: { type: string; data: Record<string, unknown> },
): Promise<void> {
  if (subject.caseRow) await touchCase(tx, clock, actor, subject.caseRow, {}, event);
  else if (subject.lead) await updateLead(tx, clock, actor, subject.lead, subject.lead.status, {}, event);
  else throw new Error('a supervision order concerns a case or a lead');
}
