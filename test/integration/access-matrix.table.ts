/**
 * The expected outcome of every operation that takes an id, for every kind of viewer, on one world:
 * a neighbour dispute settled by its village committee, both parties having applied to the county
 * court for judicial confirmation (CONFIRMATION_PENDING), plus a second case of the same parties
 * that failed and went to the same court for litigation, a screening lead of the village and a
 * supervision order on it. access-matrix.test.ts runs every pair; an operation of the schema with an
 * id argument and no row here fails that test.
 *
 * Outcomes:
 * - ALLOWED: the viewer passes the access check. For a query: the object is returned and personal
 *   fields of others read in full. For a mutation: Success, or a typed domain error that comes after
 *   the access check (InvalidTransition, Conflict, Deadline, Validation): the world's case is past
 *   most steps, so e.g. `acceptAssignment` by its mediator answers INVALID_TRANSITION.
 * - MASKED: a query returns the object, but another person's phone / ID number read masked (or not at all).
 * - NOT_FOUND: the same answer as for an id that does not exist (api-contract: "never a different answer").
 * - FORBIDDEN: the viewer may see the object (or the refusal does not depend on the object, a role
 *   gate) but may not do this.
 * - UNAUTHENTICATED: anonymous where a login is required (a ForbiddenError with that code).
 */
export type Outcome = 'ALLOWED' | 'MASKED' | 'NOT_FOUND' | 'FORBIDDEN' | 'UNAUTHENTICATED';

export const VIEWERS = [
  'anonymous',
  'stranger',
  'party',
  'otherParty',
  'mediator',
  'otherMediator',
  'orgAdmin',
  'otherOrgAdmin',
  'gridWorker',
  'court',
  'otherCourt',
  'platformAdmin',
] as const;
export type ViewerKey = (typeof VIEWERS)[number];

type Row = Record<ViewerKey, Outcome>;

/** Everyone gets `base` except the viewers named. */
function row(base: Outcome, except: Partial<Row> = {}): Row {
  return Object.fromEntries(VIEWERS.map((v) => [v, except[v] ?? base])) as Row;
}

/** Who sees the world's case: its parties, its mediator, its organisation's admin, platform admins (and the court it was sent to). */
const SEES_CASE: ViewerKey[] = ['party', 'otherParty', 'mediator', 'orgAdmin', 'platformAdmin'];

/**
 * A person's action on a case: anonymous must log in, court clients are refused (people only),
 * who sees the case but may not act is FORBIDDEN, everyone else NOT_FOUND; `allowed` pass.
 */
function onCase(allowed: ViewerKey[], except: Partial<Row> = {}): Row {
  const r = row('NOT_FOUND', { anonymous: 'UNAUTHENTICATED', court: 'FORBIDDEN', otherCourt: 'FORBIDDEN' });
  for (const v of SEES_CASE) r[v] = 'FORBIDDEN';
  for (const v of allowed) r[v] = 'ALLOWED';
  return { ...r, ...except };
}

/** A court client's action on its application or transfer: only that court; people are refused whatever the id. */
function courtAction(): Row {
  return row('FORBIDDEN', { anonymous: 'UNAUTHENTICATED', court: 'ALLOWED', otherCourt: 'NOT_FOUND' });
}

/** A role-gated action (the refusal does not depend on the object). */
function roleGated(allowed: ViewerKey[], except: Partial<Row> = {}): Row {
  const r = row('FORBIDDEN', { anonymous: 'UNAUTHENTICATED' });
  for (const v of allowed) r[v] = 'ALLOWED';
  return { ...r, ...except };
}

/** Commands only mediators may call: other roles are refused whatever the id. */
const MEDIATORS_ONLY: Partial<Row> = { stranger: 'FORBIDDEN', otherOrgAdmin: 'FORBIDDEN', gridWorker: 'FORBIDDEN' };
/**
 * The live room and the minutes belong to a session's participants: anyone else, even who sees the
 * case (the organisation's admin, a platform admin), is told the session does not exist for them.
 */
const PARTICIPANTS_ONLY: Partial<Row> = { orgAdmin: 'NOT_FOUND', platformAdmin: 'NOT_FOUND' };
/** Staff of an organisation that does not oversee the village do not see its ledger. */
const OUTSIDE_THE_AREA: Partial<Row> = { otherMediator: 'NOT_FOUND', otherOrgAdmin: 'NOT_FOUND' };

/** 以案定补 offices are organisation admins: the world's committees are not such offices. */
const SUBSIDY_OFFICES: Partial<Row> = { orgAdmin: 'NOT_FOUND', otherOrgAdmin: 'NOT_FOUND' };

export const MATRIX: Record<string, Row> = {
  // ---- queries -------------------------------------------------------------------------------
  // Party data in full: the mediator the case is with and the court it was sent to; the parties
  // (who read the other party masked), the organisation's admin and platform admins (no content grant) read masked.
  'query case': row('NOT_FOUND', { party: 'MASKED', otherParty: 'MASKED', mediator: 'ALLOWED', orgAdmin: 'MASKED', platformAdmin: 'MASKED', court: 'ALLOWED' }),
  'query nodes': row('NOT_FOUND', { party: 'MASKED', otherParty: 'MASKED', mediator: 'ALLOWED', orgAdmin: 'MASKED', platformAdmin: 'MASKED', court: 'ALLOWED' }),
  'query node:Case': row('NOT_FOUND', { party: 'MASKED', otherParty: 'MASKED', mediator: 'ALLOWED', orgAdmin: 'MASKED', platformAdmin: 'MASKED', court: 'ALLOWED' }),
  'query eligibleCourts': row('NOT_FOUND', { anonymous: 'UNAUTHENTICATED', court: 'FORBIDDEN', otherCourt: 'FORBIDDEN', party: 'ALLOWED', otherParty: 'ALLOWED', mediator: 'ALLOWED', orgAdmin: 'ALLOWED', platformAdmin: 'ALLOWED' }),
  'query node:Agreement': row('NOT_FOUND', { party: 'ALLOWED', otherParty: 'ALLOWED', mediator: 'ALLOWED', orgAdmin: 'ALLOWED', platformAdmin: 'ALLOWED', court: 'ALLOWED' }),
  // The materials: the court it was made to in full; parties and the mediator side by the party field rules.
  'query node:ConfirmationApplication': row('NOT_FOUND', { party: 'MASKED', otherParty: 'MASKED', mediator: 'ALLOWED', orgAdmin: 'MASKED', platformAdmin: 'MASKED', court: 'ALLOWED' }),
  'query node:LitigationTransfer': row('NOT_FOUND', { party: 'ALLOWED', otherParty: 'ALLOWED', mediator: 'ALLOWED', orgAdmin: 'ALLOWED', platformAdmin: 'ALLOWED', court: 'ALLOWED' }),
  // Sessions and evidence are the mediation's content: not a court's to read through the node
  // query, and a platform admin only through a content grant.
  'query node:Session': row('NOT_FOUND', { court: 'ALLOWED', party: 'ALLOWED', otherParty: 'ALLOWED', mediator: 'ALLOWED', orgAdmin: 'ALLOWED', platformAdmin: 'ALLOWED' }),
  'query node:Evidence': row('NOT_FOUND', { court: 'ALLOWED', party: 'ALLOWED', otherParty: 'ALLOWED', mediator: 'ALLOWED', orgAdmin: 'ALLOWED' }),
  'query node:FollowUp': row('NOT_FOUND', { party: 'ALLOWED', otherParty: 'ALLOWED', mediator: 'ALLOWED', orgAdmin: 'ALLOWED', gridWorker: 'ALLOWED', platformAdmin: 'ALLOWED' }),
  'query node:EnforcementApplication': row('NOT_FOUND'),
  // 以案定补: the world holds no statement, so every viewer is told it does not exist.
  'query node:SubsidyStatement': row('NOT_FOUND'),
  // Eligibility of a case for 以案定补: its mediator and the offices that review (a platform admin); courts are refused.
  // The PDF of a draft: whoever may draft the case's agreement (its mediator), nothing stored.
  'query agreementPreview': onCase(['mediator']),
  'query subsidyEligibility': row('NOT_FOUND', { anonymous: 'UNAUTHENTICATED', court: 'FORBIDDEN', otherCourt: 'FORBIDDEN', mediator: 'ALLOWED', platformAdmin: 'ALLOWED' }),
  // The screening ledger: staff overseeing the village, and platform admins; never parties or courts.
  'query node:DisputeLead': row('NOT_FOUND', { mediator: 'ALLOWED', orgAdmin: 'ALLOWED', gridWorker: 'ALLOWED', platformAdmin: 'ALLOWED' }),
  'query node:SupervisionOrder': row('NOT_FOUND', { mediator: 'ALLOWED', orgAdmin: 'ALLOWED', gridWorker: 'ALLOWED', platformAdmin: 'ALLOWED' }),
  // An account (the applicant's): its owner in full, a platform admin masked.
  'query node:User': row('NOT_FOUND', { party: 'ALLOWED', platformAdmin: 'MASKED' }),
  // Public directory entries.
  'query node:Organization': row('ALLOWED'),
  'query node:Mediator': row('ALLOWED'),
  // A court's API client: platform admins only.
  'query node:ApiClient': row('NOT_FOUND', { platformAdmin: 'ALLOWED' }),

  // ---- file routes ---------------------------------------------------------------------------
  'GET /files/agreements/:file': row('NOT_FOUND', { anonymous: 'UNAUTHENTICATED', party: 'ALLOWED', otherParty: 'ALLOWED', mediator: 'ALLOWED', orgAdmin: 'ALLOWED', platformAdmin: 'ALLOWED', court: 'ALLOWED' }),
  'GET /files/evidence/:evidenceId': row('NOT_FOUND', { anonymous: 'UNAUTHENTICATED', court: 'ALLOWED', party: 'ALLOWED', otherParty: 'ALLOWED', mediator: 'ALLOWED', orgAdmin: 'ALLOWED' }),
  // Public: anyone holding the code printed on the agreement checks it, without logging in.
  'GET /verify/:code': row('ALLOWED'),
  'POST /cases/:caseId/evidence': onCase(['party', 'otherParty', 'mediator']),
  'GET /reports/subsidy-statements/:file': row('NOT_FOUND', { anonymous: 'UNAUTHENTICATED', court: 'FORBIDDEN', otherCourt: 'FORBIDDEN' }),

  // ---- mutations on the case -----------------------------------------------------------------
  acceptAssignment: onCase(['mediator'], MEDIATORS_ONLY),
  appointAgent: onCase(['party', 'otherParty']),
  proposeSubsidyGrade: onCase(['mediator'], MEDIATORS_ONLY),
  // The 司法所 / 司法局 acts of 以案定补 are organisation admins' (of those offices only): another
  // organisation's admin is told the case or statement does not exist; other roles are refused.
  regradeSubsidyCase: roleGated([], SUBSIDY_OFFICES),
  recordSubsidySpotCheck: roleGated([], SUBSIDY_OFFICES),
  reviewSubsidyStatement: roleGated([], SUBSIDY_OFFICES),
  approveSubsidyStatement: roleGated([], SUBSIDY_OFFICES),
  paySubsidyStatement: roleGated([], SUBSIDY_OFFICES),
  correctSubsidyStatement: roleGated([], SUBSIDY_OFFICES),
  declineAssignment: onCase(['mediator'], MEDIATORS_ONLY),
  adjustRisk: onCase(['mediator', 'orgAdmin', 'platformAdmin'], { stranger: 'FORBIDDEN', gridWorker: 'FORBIDDEN' }),
  addFollowUp: onCase(['mediator', 'orgAdmin', 'platformAdmin'], { stranger: 'FORBIDDEN', gridWorker: 'FORBIDDEN' }),
  // A party answers a follow-up itself: who sees the case but is not a party is refused, others
  // (a grid worker too, who sees the follow-up but not the case) are told it does not exist.
  answerFollowUp: onCase(['party', 'otherParty']),
  addUndisputedFact: onCase(['mediator']),
  applyForEnforcement: onCase(['party', 'otherParty']),
  chooseMediator: onCase(['party', 'otherParty'], { mediator: 'NOT_FOUND', orgAdmin: 'NOT_FOUND', platformAdmin: 'NOT_FOUND' }),
  consentToSeparateSessions: onCase(['party', 'otherParty']),
  discloseConflict: onCase(['mediator']),
  draftAgreement: onCase(['mediator']),
  openCaseContent: roleGated(['platformAdmin']),
  rateMediation: onCase(['party', 'otherParty']),
  recordFollowUp: onCase(['mediator', 'orgAdmin', 'platformAdmin', 'gridWorker'], { stranger: 'FORBIDDEN' }),
  recordRespondentContact: onCase(['mediator', 'orgAdmin', 'platformAdmin'], { stranger: 'FORBIDDEN' }),
  requestAnotherMediator: onCase(['party', 'otherParty']),
  requestExtension: onCase(['mediator']),
  respondToMediation: onCase(['otherParty'], { party: 'NOT_FOUND', mediator: 'NOT_FOUND', orgAdmin: 'NOT_FOUND', platformAdmin: 'NOT_FOUND' }),
  resumeMediation: onCase(['party', 'otherParty', 'mediator'], { orgAdmin: 'NOT_FOUND', platformAdmin: 'NOT_FOUND' }),
  scheduleSession: onCase(['mediator']),
  terminateMediation: onCase(['mediator']),
  transferCase: onCase(['mediator', 'orgAdmin', 'platformAdmin'], { stranger: 'FORBIDDEN', gridWorker: 'FORBIDDEN' }),
  transferToLitigation: onCase(['party', 'otherParty']),
  verifyIdentityInPerson: onCase(['mediator']),
  withdrawCase: onCase(['party'], { otherParty: 'NOT_FOUND', mediator: 'NOT_FOUND', orgAdmin: 'NOT_FOUND', platformAdmin: 'NOT_FOUND' }),
  // ---- sessions ------------------------------------------------------------------------------
  cancelSession: onCase(['mediator']),
  confirmMinutes: onCase(['party', 'otherParty'], PARTICIPANTS_ONLY),
  confirmUndisputedFact: onCase(['party', 'otherParty']),
  joinSession: onCase(['party', 'otherParty', 'mediator'], PARTICIPANTS_ONLY),
  postSessionMessage: onCase(['party', 'otherParty', 'mediator'], PARTICIPANTS_ONLY),
  rescheduleSession: onCase(['mediator']),
  updateMinutes: onCase(['mediator'], PARTICIPANTS_ONLY),
  updatePresence: onCase(['party', 'otherParty', 'mediator'], PARTICIPANTS_ONLY),
  consentToExtension: onCase(['party', 'otherParty']),
  withdrawEvidence: onCase(['party'], { platformAdmin: 'NOT_FOUND' }),
  // ---- agreements and confirmation -----------------------------------------------------------
  signAgreement: onCase(['party', 'otherParty', 'mediator']),
  applyForJudicialConfirmation: onCase(['party', 'otherParty']),
  submitSupplement: onCase(['party', 'otherParty']),
  withdrawConfirmationApplication: onCase(['party', 'otherParty']),
  acceptConfirmationApplication: courtAction(),
  declineConfirmationApplication: courtAction(),
  extendConfirmationReview: courtAction(),
  requestSupplement: courtAction(),
  ruleOnConfirmation: courtAction(),
  treatAsWithdrawn: courtAction(),
  acknowledgeLitigationTransfer: courtAction(),
  // A court delegates only a case sent to it for filing: the world's cases were not.
  delegateMediation: row('FORBIDDEN', { anonymous: 'UNAUTHENTICATED', court: 'ALLOWED', otherCourt: 'NOT_FOUND' }),
  // ---- organisations and accounts ------------------------------------------------------------
  createApiClient: roleGated(['platformAdmin']),
  revokeApiClient: roleGated(['platformAdmin']),
  createOrganization: roleGated(['platformAdmin']),
  createMediator: roleGated(['orgAdmin', 'platformAdmin']),
  createStaffAccount: roleGated(['orgAdmin', 'platformAdmin']),
  redeliverWebhook: roleGated(['court', 'platformAdmin'], { otherCourt: 'NOT_FOUND' }),
  // Filing names a preferred mediator: parties and grid workers file.
  fileDispute: roleGated(['stranger', 'party', 'otherParty', 'gridWorker', 'platformAdmin']),
  // ---- screening ledger and supervision ------------------------------------------------------
  convertLeadToCase: roleGated(['mediator', 'orgAdmin', 'gridWorker', 'platformAdmin'], OUTSIDE_THE_AREA),
  recordLeadOutcome: roleGated(['mediator', 'orgAdmin', 'gridWorker', 'platformAdmin'], OUTSIDE_THE_AREA),
  submitScreeningReport: roleGated(['orgAdmin', 'gridWorker', 'platformAdmin'], { otherOrgAdmin: 'NOT_FOUND' }),
  issueSupervisionOrder: roleGated(['platformAdmin'], { otherOrgAdmin: 'NOT_FOUND' }),
  respondToSupervision: roleGated(['orgAdmin', 'mediator', 'platformAdmin'], OUTSIDE_THE_AREA),
};
