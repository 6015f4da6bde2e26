import { and, eq, isNotNull } from 'drizzle-orm';
import { z } from 'zod';
import { caseParties, identityVerifications, users } from '../../../schema';
import { requireUser } from '../auth/policy';
import type { Executor } from '../../db';
import { touchCase } from '../cases/apply-transition';
import type { PartyRow } from '../cases/case-access';
import type { Actor, Deps } from '../context';
import { InvalidTransitionError, NotFoundError, ValidationError } from '../errors';
import { parseInput } from '../validate';
import { caseStanding, requireMediator } from '../sessions/session-access';
import { identityServiceFrom, strongerMethod, type IdentityMethod, type IdentityService } from './identity-service';

/** Documents a mediator may check a person against (有效身份证件). */
export const IDENTITY_DOCUMENT_TYPES = [
  'RESIDENT_ID_CARD',
  'TEMPORARY_RESIDENT_ID_CARD',
  'HOUSEHOLD_REGISTER',
  'PASSPORT',
  'HK_MACAO_RESIDENT_PERMIT',
  'TAIWAN_RESIDENT_PERMIT',
  'FOREIGN_PERMANENT_RESIDENT_ID',
] as const;
export type IdentityDocumentType = (typeof IDENTITY_DOCUMENT_TYPES)[number];

const schema = z.object({ partyId: z.string().uuid(), documentType: z.enum(IDENTITY_DOCUMENT_TYPES) });

/** The identity service of the deployment (injected in tests, else from the configuration). */
export function identityServiceOf(deps: Deps): IdentityService {
  return deps.identityService ?? identityServiceFrom(deps.config, deps.clock);
}

/** The account behind a party: bound by id, or holding the party's phone and having proved it. */
export async function accountOfParty(db: Executor, party: Pick<PartyRow, 'userId' | 'phone'>) {
  const [u] = party.userId
    ? await db.select().from(users).where(eq(users.id, party.userId)).limit(1)
    : await db.select().from(users).where(and(eq(users.phone, party.phone), isNotNull(users.phoneVerifiedAt))).limit(1);
  return u ?? null;
}

/**
 * 实名 in person: the case's mediator has seen a party's identity document and records which one.
 * The party's account becomes IN_PERSON-verified; the check is logged and is an event on the case.
 */
export async function verifyIdentityInPerson(
  deps: Deps,
  actor: Actor,
  input: z.input<typeof schema>,
): Promise<{ party: PartyRow; method: IdentityMethod; verifiedAt: Date; documentType: IdentityDocumentType }> {
  const data = parseInput(schema, input);
  requireUser(actor);
  const [head] = await deps.db.select({ caseId: caseParties.caseId }).from(caseParties).where(eq(caseParties.id, data.partyId)).limit(1);
  if (!head) throw new NotFoundError('CaseParty');
  // Not visible is the same answer as not there.
  const s = await caseStanding(deps, actor, head.caseId).catch((e: unknown) => {
    throw e instanceof NotFoundError ? new NotFoundError('CaseParty') : e;
  });
  const party = s.parties.find((p) => p.id === data.partyId)!;
  requireMediator(s);
  if (!['MEDIATING', 'AGREEMENT_SIGNING'].includes(s.current.status)) throw new InvalidTransitionError(s.current.status, 'VERIFY_IDENTITY');
  if (party.kind !== 'PERSON') throw ValidationError.field('partyId', 'is an organisation: its credit code identifies it, not a person’s document');
  const account = await accountOfParty(deps.db, party);
  if (!account) throw ValidationError.field('partyId', `${party.name} has no account yet: they register with the phone on the case first`);
  const now = deps.clock.now();
  const method = strongerMethod(account.identityMethod, 'IN_PERSON');
  await deps.db.transaction(async (tx) => {
    // The case row's conditional update orders this against every other change of the case.
    await touchCase(tx, deps.clock, actor, s.current, {}, {
      type: 'party.identity_verified',
      data: { partyId: party.id, method: 'IN_PERSON', documentType: data.documentType },
    });
    await tx.update(users).set({ identityMethod: method, identityVerifiedAt: now, updatedAt: now }).where(eq(users.id, account.id));
    await tx.insert(identityVerifications).values({
      userId: account.id,
      method: 'IN_PERSON',
      passed: true,
      verifiedBy: s.viewer.userId,
      documentType: data.documentType,
      detail: `case ${s.current.number}`,
      createdAt: now,
    });
  });
  return { party, method, verifiedAt: now, documentType: data.documentType };
}
