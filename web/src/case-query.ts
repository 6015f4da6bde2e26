import { graphql, type ResultOf } from './graphql';

export const CASE = graphql(`
  query CaseDetail($id: ID!) {
    me { id phone role }
    case(id: $id) {
      id number title description status category level claims amount createdAt dueAt overdue riskLevel regionCode
      organization { id name }
      mediator { id name title organization { name } }
      routing { reasons mediatorReasons }
      parties { id name role phone consent kind }
      deadlines { kind dueAt open overdue basis amount rule source }
      events { seq type at actorName actorRole afterStatus data }
      sessions {
        id startsAt mode status place meetingUrl cancelReason
        minutes { text version lockedAt confirmations { partyId version } }
      }
      undisputedFacts { id text confirmedPartyIds }
      agreement {
        id number version status pdfUrl facts issues performanceMethod performanceDeadline performancePlace responsibilities breachClause
        verificationCode effectiveAt confirmationDeadline sha256
        terms { text amount dueDate }
        signatures { name partyId role signedAt }
        eligibleCourts { court { id name } reasons }
      }
      confirmation { id status court { name } applicants { name partyId } }
      evidence { id title description fileName contentType size uploadedAt uploadedByMe uploaderName uploaderRole visibility downloadUrl withdrawnAt }
      followUps {
        id kind status dueAt dueRule method note recordedAt relapsed terms { termNo performance amountPerformed }
        answers { partyId satisfaction comment answeredAt terms { termNo performance note } }
      }
      ratings { id partyId score comment source createdAt }
      supervisionOrders {
        id status reason requiredAction dueAt createdAt answeredAt measures result subjectType
        issuingOrganization { name } receivingOrganization { id name }
      }
    }
  }
`);
export type CaseData = NonNullable<ResultOf<typeof CASE>['case']>;
