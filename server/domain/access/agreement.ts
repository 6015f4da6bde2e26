import { and, isNotNull, sql, type SQL } from 'drizzle-orm';
import { agreements } from '../../../schema';
import type { Viewer } from '../context';
import { withinCourtWindow } from './case';

/**
 * The versions of a case's agreement a viewer may read. Whoever else sees the case reads every
 * version, drafts and superseded ones included. A court client reads only what the parties agreed:
 * a version that became effective, every party, the mediator and the seal on it (PML 29), and did
 * so within the court's window. A draft in signing, or one a party refused to sign, is an offer
 * made in mediation (OMR 18), and drafts replaced along the way show how the offers moved.
 */
export function visibleAgreementVersions(viewer: Viewer | null): SQL {
  if (viewer?.kind !== 'apiClient') return sql`true`;
  return and(isNotNull(agreements.effectiveAt), withinCourtWindow(viewer, agreements.caseId, agreements.effectiveAt))!;
}
