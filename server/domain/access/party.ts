import type { PartyRow } from './case';
import type { FieldAccess } from './fields';
import { isPartySelf, type CaseStanding } from './standing';

export interface PartyFieldAccess {
  phone: FieldAccess;
  idNumber: FieldAccess;
  /** Domicile. */
  address: FieldAccess;
}

const FULL: PartyFieldAccess = { phone: 'FULL', idNumber: 'FULL', address: 'FULL' };
const MASKED: PartyFieldAccess = { phone: 'MASKED', idNumber: 'MASKED', address: 'HIDDEN' };
const NOTHING: PartyFieldAccess = { phone: 'HIDDEN', idNumber: 'HIDDEN', address: 'HIDDEN' };

/**
 * How a viewer reads a party's personal data, wherever it is reached (Case.parties, the
 * confirmation materials, ...). In full: the party themself; the mediator the case is with now;
 * the court it was sent to (a court client reaches a case only through its application or
 * transfer); a platform admin only through a reasoned, audited content grant. Everyone else who
 * can see the case (the other party, organisation admins, other mediators) reads masked phone and
 * ID number and no domicile.
 */
export function partyFieldAccess(s: CaseStanding, party: Pick<PartyRow, 'userId' | 'phone'>): PartyFieldAccess {
  const v = s.viewer;
  if (!v) return NOTHING;
  if (v.kind === 'apiClient') return FULL;
  if (isPartySelf(v, party)) return FULL;
  if (s.isCaseMediator) return FULL;
  if (v.role === 'PLATFORM_ADMIN' && s.hasContentGrant) return FULL;
  return MASKED;
}

/**
 * The network fingerprint (IP address, user agent) of an audit event: to the actor themself, the
 * case's mediator, the court and a platform admin with a content grant; hidden from other parties.
 */
export function eventOriginAccess(s: CaseStanding, actorId: string | null): FieldAccess {
  const v = s.viewer;
  if (!v) return 'HIDDEN';
  if (v.kind === 'apiClient') return 'FULL';
  if (actorId !== null && actorId === v.userId) return 'FULL';
  if (s.isCaseMediator) return 'FULL';
  if (v.role === 'PLATFORM_ADMIN' && s.hasContentGrant) return 'FULL';
  return 'HIDDEN';
}
