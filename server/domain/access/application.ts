import { and, eq, isNotNull, sql, type SQL } from 'drizzle-orm';
import { cases, confirmationApplications, litigationTransfers } from '../../../schema';
import type { Viewer } from '../context';
import { visibleCases } from './case';

/**
 * Which confirmation applications a viewer may see: a court client only its own court's, once
 * submitted (every party applied), so not one withdrawn while it waited for a co-applicant; anyone
 * else those of cases they may see.
 */
export function visibleApplications(viewer: Viewer | null): SQL {
  if (viewer?.kind === 'apiClient') {
    return and(eq(confirmationApplications.courtId, viewer.organizationId), isNotNull(confirmationApplications.submittedAt))!;
  }
  return sql`exists (select 1 from ${cases} where ${cases.id} = ${confirmationApplications.caseId} and ${visibleCases(viewer)})`;
}

/** Which litigation transfers a viewer may see: a court client only its own court's. */
export function visibleTransfers(viewer: Viewer | null): SQL {
  if (viewer?.kind === 'apiClient') return eq(litigationTransfers.courtId, viewer.organizationId);
  return sql`exists (select 1 from ${cases} where ${cases.id} = ${litigationTransfers.caseId} and ${visibleCases(viewer)})`;
}

/**
 * The materials (INT 354) of an application: only the court it was made to, and only while the
 * application is with that court; the parties and the mediator side who can see the case read
 * them through the same party field rules as Case.parties.
 */
export function courtReadsMaterials(viewer: Viewer | null, a: { courtId: string; status: string }): boolean {
  if (viewer?.kind !== 'apiClient') return true;
  return viewer.organizationId === a.courtId && a.status !== 'NOT_ACCEPTED' && a.status !== 'WITHDRAWN';
}
