import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { caseParties } from '../../../schema';
import type { PartyAgent } from '../../../schema/cases';
import { nameSchema, phoneSchema } from '../auth/fields';
import { requireUser } from '../auth/policy';
import type { Actor, Deps } from '../context';
import { ConflictError, ForbiddenError, InvalidTransitionError, ValidationError } from '../errors';
import { parseInput } from '../validate';
import { printable } from '../validation/printable';
import { touchCase } from './apply-transition';
import { loadParties, loadVisibleCase, partiesOfViewer, type CaseRow, type PartyRow } from './case-access';
import type { CaseStatus } from './state-machine';

const schema = z.object({
  caseId: z.string().uuid(),
  /** Needed only when the viewer is more than one party of the case. */
  partyId: z.string().uuid().nullish(),
  name: nameSchema,
  phone: phoneSchema,
  authority: printable(z.string().trim().min(2, 'describe the scope of authority (一般授权 / 特别授权: …)').max(500)),
  /** 特别授权 (INT 351): the agent may sign the agreement and apply for judicial confirmation for the party. */
  specialAuthority: z.boolean(),
});

export type AppointAgentInput = z.input<typeof schema>;

/**
 * While the text of an agreement is open or settled: not while it is being signed (the printed
 * agreement names the agents), nor once the matter is before a court or over.
 */
const OPEN_FOR_AGENTS: CaseStatus[] = ['SUBMITTED', 'AWAITING_RESPONDENT', 'ASSIGNING', 'MEDIATING', 'SETTLED', 'FAILED', 'REFUSED', 'CONFIRMATION_REJECTED'];

/** CPL 61: at most two agents per party. */
export const MAX_AGENTS = 2;

/**
 * A party, applicant or respondent, appoints an agent (委托代理人) with general or special authority
 * (CPL 61-62). An agent with special authority may sign the agreement and apply for judicial
 * confirmation on the party's behalf (INT 351); the agent acts through an account holding the phone
 * named here. The party row and the case's version change in one transaction: two concurrent
 * appointments cannot both take the last place.
 */
export async function appointAgent(deps: Deps, actor: Actor, input: AppointAgentInput): Promise<{ case: CaseRow; party: PartyRow }> {
  const viewer = requireUser(actor);
  const data = parseInput(schema, input);
  const current = await loadVisibleCase(deps.db, viewer, data.caseId);
  const parties = await loadParties(deps.db, current.id);
  const mine = partiesOfViewer(parties, viewer);
  if (mine.length === 0) throw new ForbiddenError('Only a party appoints its own agent.');
  const party = data.partyId ? mine.find((p) => p.id === data.partyId) : mine.length === 1 ? mine[0] : undefined;
  if (!party) throw ValidationError.field('partyId', data.partyId ? 'is not a party you are' : 'name the party you appoint the agent for');
  if (!OPEN_FOR_AGENTS.includes(current.status as CaseStatus)) {
    throw new InvalidTransitionError(current.status, 'APPOINT_AGENT', 'Agents are appointed before the agreement is signed, or once it is effective; not while it is signed or before a court.');
  }
  if (parties.some((p) => p.phone === data.phone)) throw ValidationError.field('phone', 'belongs to a party of this case; an agent is someone else');
  if (party.agents.some((a) => a.phone === data.phone)) throw ValidationError.field('phone', 'is already this party’s agent');
  if (party.agents.length >= MAX_AGENTS) throw ValidationError.field('caseId', `a party has at most ${MAX_AGENTS} agents (民诉法第六十一条)`);
  const agent: PartyAgent = { name: data.name, phone: data.phone, authority: data.authority, special: data.specialAuthority };
  const agents = [...party.agents, agent];
  return deps.db.transaction(async (tx) => {
    // Conditional on the agents read above: a concurrent appointment makes this one a conflict.
    const [updated] = await tx
      .update(caseParties)
      .set({ agents })
      .where(and(eq(caseParties.id, party.id), sql`${caseParties.agents} = ${JSON.stringify(party.agents)}::jsonb`))
      .returning();
    if (!updated) throw new ConflictError('The party’s agents changed meanwhile; try again.');
    const c = await touchCase(tx, deps.clock, actor, current, {}, {
      type: 'case.agent_appointed',
      data: { partyId: party.id, role: party.role, agentName: agent.name, specialAuthority: agent.special === true },
    });
    return { case: c, party: updated };
  });
}
