import { z } from 'zod';
import { requireRole } from '../auth/policy';
import { closeDeadlines } from '../clock/deadline-records';
import type { Actor, Deps } from '../context';
import { InvalidTransitionError } from '../errors';
import { parseInput } from '../validate';
import { touchCase } from './apply-transition';
import { loadVisibleCase, type CaseRow } from './case-access';

export const CONTACT_METHODS = ['PHONE', 'SMS', 'VISIT', 'VIDEO', 'LETTER', 'OTHER'] as const;
export type ContactMethod = (typeof CONTACT_METHODS)[number];

const schema = z.object({ caseId: z.string().uuid(), method: z.enum(CONTACT_METHODS), note: z.string().trim().max(1000).nullish() });

/**
 * OMR 15: staff record the first contact with the other side of a one-sided application (within
 * 3 working days of filing); a late contact stays visible as late.
 */
export async function recordRespondentContact(deps: Deps, actor: Actor, input: z.input<typeof schema>): Promise<CaseRow> {
  const viewer = requireRole(actor, 'GRID_WORKER', 'MEDIATOR', 'ORG_ADMIN', 'PLATFORM_ADMIN');
  const data = parseInput(schema, input);
  const current = await loadVisibleCase(deps.db, viewer, data.caseId);
  if (current.status !== 'AWAITING_RESPONDENT') throw new InvalidTransitionError(current.status, 'RECORD_CONTACT');
  if (current.firstContactAt) throw new InvalidTransitionError(current.status, 'RECORD_CONTACT', 'The first contact is already on record.');
  const now = deps.clock.now();
  const late = current.contactDueAt !== null && now > current.contactDueAt;
  return deps.db.transaction(async (tx) => {
    const updated = await touchCase(tx, deps.clock, actor, current, { firstContactAt: now, firstContactMethod: data.method }, {
      type: 'case.respondent_contacted',
      data: { method: data.method, note: data.note ?? null, dueAt: current.contactDueAt?.toISOString() ?? null, late },
    });
    await closeDeadlines(tx, deps.clock, { caseId: current.id, kinds: ['RESPONDENT_CONTACT'] });
    return updated;
  });
}
