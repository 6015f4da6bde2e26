import { IDENTITY_DOCUMENT_TYPES, verifyIdentityInPerson, type IdentityDocumentType } from '../domain/identity/verify-identity-in-person';
import type { PartyRow } from '../domain/cases/case-access';
import type { IdentityMethod } from '../domain/identity/identity-service';
import { builder } from './builder';
import { CasePartyRef } from './case';
import { IdentityMethodEnum } from './user';

const IdentityDocumentTypeEnum = builder.enumType('IdentityDocumentType', { values: IDENTITY_DOCUMENT_TYPES });

const VerifyIdentityInPersonInput = builder.inputType('VerifyIdentityInPersonInput', {
  fields: (t) => ({
    partyId: t.id({ required: true, description: 'A CaseParty of a case the viewer mediates.' }),
    documentType: t.field({ type: IdentityDocumentTypeEnum, required: true, description: 'The document the mediator was shown.' }),
  }),
});

interface Verified {
  party: PartyRow;
  method: IdentityMethod;
  verifiedAt: Date;
  documentType: IdentityDocumentType;
}

const VerifyIdentityInPersonSuccess = builder.objectRef<Verified>('VerifyIdentityInPersonSuccess').implement({
  fields: (t) => ({
    party: t.field({ type: CasePartyRef, resolve: (v) => v.party }),
    identityMethod: t.field({ type: IdentityMethodEnum, description: 'The account’s method now (the strongest it has).', resolve: (v) => v.method }),
    documentType: t.field({ type: IdentityDocumentTypeEnum, resolve: (v) => v.documentType }),
    verifiedAt: t.field({ type: 'DateTime', resolve: (v) => v.verifiedAt }),
  }),
});

builder.mutationFields((t) => ({
  verifyIdentityInPerson: t.field({
    type: VerifyIdentityInPersonSuccess,
    description: '实名 in person: the case’s mediator records that they saw the party’s identity document, and which one.',
    errors: { union: { name: 'VerifyIdentityInPersonResult' } },
    authScopes: { loggedIn: true },
    args: { input: t.arg({ type: VerifyIdentityInPersonInput, required: true }) },
    resolve: (_p, { input }, ctx) => verifyIdentityInPerson(ctx.deps, ctx.actor, { partyId: String(input.partyId), documentType: input.documentType }),
  }),
}));
