/**
 * A sample court system: what a court's developers would write from api-contract.md alone. It uses
 * nothing but HTTP (fetch) and the contract's GraphQL operations: it polls for submitted
 * confirmation applications, accepts each one and rules on it.
 */

export interface CourtClientOptions {
  /** Base URL of the platform, e.g. https://jiefen.example.org */
  baseUrl: string;
  /** The API client secret from createApiClient. */
  secret: string;
  /** This court's code (e.g. 云0102): ruling numbers carry it. */
  courtCode: string;
  /** The next serial for 民特 rulings; the court's own docketing system would provide it. */
  nextSerial: () => number;
  /** The ruling year (China time). */
  year: number;
  /** Decide each application; confirms everything by default. */
  decide?: (application: PolledApplication) => { outcome: 'CONFIRMED' } | { outcome: 'REJECTED'; rejectionGround: string };
}

export interface PolledApplication {
  id: string;
  status: string;
  submittedAt: string;
  case: { id: string; number: string };
  materials: { agreement: { sha256: string | null; number: string }; parties: { name: string; role: string }[] };
}

export interface CourtRunResult {
  seen: number;
  ruled: { applicationId: string; outcome: string; rulingNumber: string; status: string }[];
  errors: string[];
}

async function call<T>(opts: CourtClientOptions, query: string, variables: Record<string, unknown>): Promise<T> {
  const res = await fetch(`${opts.baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${opts.secret}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: { message: string }[] };
  if (!res.ok || body.errors?.length || !body.data) throw new Error(`HTTP ${res.status}: ${JSON.stringify(body.errors ?? body)}`);
  return body.data;
}

const POLL = /* GraphQL */ `
  query ($after: String) {
    confirmationApplications(status: [SUBMITTED], first: 20, after: $after) {
      edges { node { id status submittedAt case { id number } materials { agreement { sha256 number } parties { name role } } } }
      pageInfo { hasNextPage endCursor }
    }
  }
`;
const ACCEPT = /* GraphQL */ `
  mutation ($input: AcceptConfirmationApplicationInput!) {
    acceptConfirmationApplication(input: $input) {
      __typename
      ... on AcceptConfirmationApplicationSuccess { application { id status decisionDueAt } }
      ... on Error { code message }
    }
  }
`;
const RULE = /* GraphQL */ `
  mutation ($input: RuleOnConfirmationInput!) {
    ruleOnConfirmation(input: $input) {
      __typename
      ... on RuleOnConfirmationSuccess { application { id status rulingNumber } }
      ... on Error { code message }
    }
  }
`;

/** One polling round: every submitted application of this court is accepted and ruled on. */
export async function runCourtClient(opts: CourtClientOptions): Promise<CourtRunResult> {
  const result: CourtRunResult = { seen: 0, ruled: [], errors: [] };
  const pending: PolledApplication[] = [];
  let after: string | null = null;
  do {
    const page: { confirmationApplications: { edges: { node: PolledApplication }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } =
      await call(opts, POLL, { after });
    pending.push(...page.confirmationApplications.edges.map((e) => e.node));
    after = page.confirmationApplications.pageInfo.hasNextPage ? page.confirmationApplications.pageInfo.endCursor : null;
  } while (after);
  result.seen = pending.length;
  for (const app of pending) {
    const accepted = await call<{ acceptConfirmationApplication: { __typename: string; message?: string } }>(opts, ACCEPT, { input: { applicationId: app.id } });
    if (accepted.acceptConfirmationApplication.__typename !== 'AcceptConfirmationApplicationSuccess') {
      result.errors.push(`${app.id}: accept: ${accepted.acceptConfirmationApplication.message}`);
      continue;
    }
    const decision = opts.decide?.(app) ?? { outcome: 'CONFIRMED' as const };
    const rulingNumber = `（${opts.year}）${opts.courtCode}民特${opts.nextSerial()}号`;
    const ruled = await call<{ ruleOnConfirmation: { __typename: string; message?: string; application?: { status: string } } }>(opts, RULE, {
      input: { applicationId: app.id, rulingNumber, ...decision },
    });
    if (ruled.ruleOnConfirmation.__typename !== 'RuleOnConfirmationSuccess') {
      result.errors.push(`${app.id}: rule: ${ruled.ruleOnConfirmation.message}`);
      continue;
    }
    result.ruled.push({ applicationId: app.id, outcome: decision.outcome, rulingNumber, status: ruled.ruleOnConfirmation.application!.status });
  }
  return result;
}
