import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { cases, litigationTransfers, organizations } from '../../../schema';
import { requireApiClient } from '../auth/policy';
import { touchCase } from '../cases/apply-transition';
import type { Actor, Deps } from '../context';
import { normalizeCaseNumber, validateRulingNumber } from '../courts/court-code';
import { uniqueViolation } from '../db-errors';
import { ConflictError, InvalidTransitionError, NotFoundError, ValidationError } from '../errors';
import { parseInput } from '../validate';
import { closeCourtAccess } from '../confirmation/court-webhooks';
import type { TransferRow } from './transfer-to-litigation';

/** A transfer as its court's API client sees it: only its own court's; anything else is not found. */
export async function loadTransferForCourt(deps: Deps, organizationId: string, transferId: string): Promise<TransferRow> {
  const [row] = await deps.db
    .select()
    .from(litigationTransfers)
    .where(and(eq(litigationTransfers.id, transferId), eq(litigationTransfers.courtId, organizationId)));
  if (!row) throw new NotFoundError('LitigationTransfer');
  return row;
}

/**
 * The court files the transferred case and reports its docket number `(YEAR)<court code>民初<serial>号`;
 * a filing after the 7 days of CPL 126 is recorded as late.
 */
export async function acknowledgeLitigationTransfer(deps: Deps, actor: Actor, input: { transferId: string; docketNumber: string }): Promise<TransferRow> {
  const client = requireApiClient(actor);
  const data = parseInput(z.object({ transferId: z.string().uuid(), docketNumber: z.string().trim().min(1).max(60) }), input);
  const current = await loadTransferForCourt(deps, client.organizationId, data.transferId);
  if (current.status !== 'PENDING') throw new InvalidTransitionError(current.status, 'ACKNOWLEDGE');
  const [court] = await deps.db.select().from(organizations).where(eq(organizations.id, client.organizationId));
  if (!court?.courtCode) throw new NotFoundError('Court');
  const now = deps.clock.now();
  const problem = validateRulingNumber(data.docketNumber, { courtCode: court.courtCode, typeCode: '民初', now });
  if (problem) throw ValidationError.field('docketNumber', problem);
  const docketNumber = normalizeCaseNumber(data.docketNumber)!;
  const [c] = await deps.db.select().from(cases).where(eq(cases.id, current.caseId));
  if (!c) throw new NotFoundError('Case');
  const late = now > current.filingDueAt;
  try {
    return await deps.db.transaction(async (tx) => {
      const [row] = await tx
        .update(litigationTransfers)
        .set({ status: 'ACKNOWLEDGED', docketNumber, acknowledgedAt: now, lockVersion: current.lockVersion + 1 })
        .where(and(eq(litigationTransfers.id, current.id), eq(litigationTransfers.status, 'PENDING'), eq(litigationTransfers.lockVersion, current.lockVersion)))
        .returning();
      if (!row) throw new ConflictError();
      await touchCase(tx, deps.clock, actor, c, { dueAt: null, dueRule: null }, {
        type: 'litigation.acknowledged',
        data: { transferId: current.id, docketNumber, filedLate: late },
      });
      // Docketed: the court has what the transfer carried; what the platform records later stays here.
      await closeCourtAccess(tx, deps.clock, c.id, current.courtId);
      return row;
    });
  } catch (err) {
    if (uniqueViolation(err) === 'litigation_transfers_docket_key') throw ValidationError.field('docketNumber', 'is already used by another case of this court');
    throw err;
  }
}
