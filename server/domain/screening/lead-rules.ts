import { and, eq, sql } from 'drizzle-orm';
import { disputeLeads, regions } from '../../../schema';
import type { Tx } from '../../db';
import { recordEvent } from '../audit/record-event';
import { requireRole } from '../auth/policy';
import type { Actor, Clock, UserViewer } from '../context';
import { ConflictError, InvalidTransitionError, ValidationError } from '../errors';
import type { Executor } from '../../db';
import type { LeadRow } from '../access/lead';
import type { LeadStatus } from './types';

/** Who keeps the ledger: grid workers, mediators and organisation admins (and platform admins). */
export function requireLedgerKeeper(actor: Actor): UserViewer {
  return requireRole(actor, 'GRID_WORKER', 'MEDIATOR', 'ORG_ADMIN', 'PLATFORM_ADMIN');
}

/** The township and county of a known division code; ValidationError naming `field` otherwise. */
export async function placeOf(db: Executor, regionCode: string, field = 'regionCode') {
  if (!/^\d{6}(\d{3}(\d{3})?)?$/.test(regionCode)) throw ValidationError.field(field, 'must be a 6, 9 or 12 digit division code');
  const [known] = await db.select({ code: regions.code, level: regions.level }).from(regions).where(eq(regions.code, regionCode));
  if (!known) throw ValidationError.field(field, `${regionCode} is not a known division code`);
  if (!['COUNTY', 'TOWNSHIP', 'VILLAGE'].includes(known.level)) throw ValidationError.field(field, 'must be a county, township or village');
  return { regionCode, level: known.level, townshipCode: regionCode.length >= 9 ? regionCode.slice(0, 9) : null, countyCode: regionCode.slice(0, 6) };
}

/**
 * A lead's outcome is recorded once, from OPEN; a lead under watch (包保) may still be resolved,
 * converted or referred when its review comes.
 */
export const LEAD_OUTCOME_FROM: Record<Exclude<LeadStatus, 'OPEN'>, LeadStatus[]> = {
  RESOLVED_ON_SPOT: ['OPEN', 'UNDER_WATCH'],
  CONVERTED: ['OPEN', 'UNDER_WATCH'],
  REFERRED: ['OPEN', 'UNDER_WATCH'],
  UNDER_WATCH: ['OPEN'],
};

/** Conditional update of a lead (id, version) plus its audit event, in one transaction. */
export async function updateLead(
  tx: Tx,
  clock: Clock,
  actor: Actor,
  lead: LeadRow,
  next: LeadStatus,
  patch: Partial<typeof disputeLeads.$inferInsert>,
  event: { type: string; data: Record<string, unknown> },
): Promise<LeadRow> {
  if (next !== lead.status && !(LEAD_OUTCOME_FROM[next as Exclude<LeadStatus, 'OPEN'>] ?? []).includes(lead.status)) {
    throw new InvalidTransitionError(lead.status, next, `A lead that is ${lead.status} cannot become ${next}.`);
  }
  // Conditional update: two outcomes recorded at once cannot both win.
  const [updated] = await tx
    .update(disputeLeads)
    .set({ ...patch, status: next, version: lead.version + 1, updatedAt: clock.now() })
    .where(and(eq(disputeLeads.id, lead.id), eq(disputeLeads.version, lead.version), sql`${disputeLeads.status} = ${lead.status}`))
    .returning();
  if (!updated) throw new ConflictError();
  await recordEvent(tx, clock, actor, { subjectType: 'lead', subjectId: lead.id, type: event.type, beforeStatus: lead.status, afterStatus: next, data: event.data });
  return updated;
}
