import request from 'supertest';
import type { TestContext } from './harness';
import { PASSWORD } from './factories';

export const DRAFT = /* GraphQL */ `
  mutation ($input: DraftAgreementInput!) {
    draftAgreement(input: $input) {
      __typename
      ... on DraftAgreementSuccess {
        agreement { id number version status pdfUrl sha256 draftSha256 verificationCode verificationUrl templateId templateVersion recorder originals case { id status } }
      }
      ... on ValidationError { fields { field message } }
      ... on Error { code message }
    }
  }
`;

export const SIGN = /* GraphQL */ `
  mutation ($input: SignAgreementInput!) {
    signAgreement(input: $input) {
      __typename
      ... on SignAgreementSuccess {
        agreement { id status sha256 effectiveAt confirmationDeadline signatures { role name signedAt shownSha256 } case { id status } }
      }
      ... on Error { code message }
    }
  }
`;

export const PARTIES = /* GraphQL */ `query ($id: ID!) { case(id: $id) { number parties { id role name } } }`;

export const VERIFY = /* GraphQL */ `
  query ($code: String!) { verifyAgreement(code: $code) { status sha256 effectiveAt confirmationDeadline organizationName number version } }
`;

/** A realistic neighbour-dispute agreement for a case, with the respondent paying by a date. */
export function draftInput(caseId: string, respondentPartyId: string, extra: Record<string, unknown> = {}) {
  return {
    caseId,
    facts: '双方系同村相邻住户。被申请人新建房屋屋檐滴水落入申请人院内，致院墙受潮开裂，双方多次协商未果。',
    issues: '屋檐排水是否改建；院墙修复费用的承担。',
    responsibilities: '被申请人未按规定设置排水设施，对院墙受损负主要责任。',
    terms: [
      { text: '被申请人于2026年12月10日前自费加装檐沟，将雨水引至村内公共排水沟。', obligorPartyId: respondentPartyId, dueDate: '2026-12-10' },
      { text: '被申请人一次性补偿申请人院墙修复费用人民币3000元。', obligorPartyId: respondentPartyId, amount: '3000.00', dueDate: '2026-11-30' },
      { text: '双方就本纠纷再无其他争议。' },
    ],
    performanceMethod: '银行转账支付；檐沟改建由村委会现场确认。',
    performanceDeadline: '2026-12-15',
    performancePlace: '村民委员会',
    ...extra,
  };
}

/** Signs through HTTP with a given user agent, as a browser would send it. */
export async function signAs(ctx: TestContext, token: string, agreementId: string, userAgent: string, password = PASSWORD) {
  const res = await request(ctx.app)
    .post('/graphql')
    .set('content-type', 'application/json')
    .set('authorization', `Bearer ${token}`)
    .set('user-agent', userAgent)
    .send({ query: SIGN, variables: { input: { agreementId, password } } });
  return res.body.data.signAgreement;
}
