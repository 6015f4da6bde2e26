import { eq } from 'drizzle-orm';
import { mediators, organizations } from '../../../schema';
import type { Executor } from '../../db';
import type { Actor } from '../context';
import { statisticsScope, type StatisticsScope } from './scope';

/** Loads what the scope rule needs about the acting viewer and applies it. */
export async function viewerScope(db: Executor, actor: Actor): Promise<StatisticsScope> {
  const viewer = actor.viewer;
  let organization: { id: string; kind: string; regionCode: string } | null = null;
  let mediatorId: string | null = null;
  if (viewer?.kind === 'user' && viewer.role === 'ORG_ADMIN' && viewer.organizationId) {
    const [org] = await db
      .select({ id: organizations.id, kind: organizations.kind, regionCode: organizations.regionCode })
      .from(organizations)
      .where(eq(organizations.id, viewer.organizationId));
    organization = org ?? null;
  }
  if (viewer?.kind === 'user' && viewer.role === 'MEDIATOR') {
    const [m] = await db.select({ id: mediators.id }).from(mediators).where(eq(mediators.userId, viewer.userId));
    mediatorId = m?.id ?? null;
  }
  return statisticsScope(viewer, organization, mediatorId);
}
