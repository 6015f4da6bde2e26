import type { StoredTerm } from '../agreements/agreement-content';
import type { PartyRow } from '../cases/case-access';
import type { CaseStatus } from '../cases/state-machine';

/** What a party owed performance may do when a term is not performed (PML 32, CPL 205–206). */
export const PERFORMANCE_ROUTES = ['ENFORCEMENT', 'JUDICIAL_CONFIRMATION', 'NEW_MEDIATION', 'LITIGATION'] as const;
export type PerformanceRoute = (typeof PERFORMANCE_ROUTES)[number];

export interface PartyRoute {
  partyId: string;
  name: string;
  phone: string;
  routes: PerformanceRoute[];
}

/**
 * Pure: the routes of the parties entitled to an unperformed term. A confirmed agreement is
 * enforceable (CPL 206); otherwise judicial confirmation while its 30-day window is open (PML 33),
 * a new mediation, or a suit on the agreement (PML 32). The entitled parties are all but the obligor.
 */
export function routesForUnperformedTerm(status: CaseStatus, confirmationDeadline: Date | null, now: Date, term: StoredTerm, parties: PartyRow[]): PartyRoute[] {
  let routes: PerformanceRoute[];
  if (status === 'CONFIRMED') routes = ['ENFORCEMENT'];
  else {
    routes = [];
    if (status === 'SETTLED' && confirmationDeadline && now.getTime() <= confirmationDeadline.getTime()) routes.push('JUDICIAL_CONFIRMATION');
    routes.push('NEW_MEDIATION', 'LITIGATION');
  }
  const entitled = parties.filter((p) => p.id !== term.obligorPartyId);
  return entitled.map((p) => ({ partyId: p.id, name: p.name, phone: p.phone, routes }));
}
