import { z } from 'zod';
import { loadVisibleLead } from '../access/lead';
import type { CaseRow } from '../cases/case-access';
import type { Actor, Deps } from '../context';
import { ValidationError } from '../errors';
import { parseInput } from '../validate';
import { requireLedgerKeeper, updateLead } from './lead-rules';
import { openCase } from './open-case';
import { CATEGORY_LABELS } from '../enums';

export interface ConvertLeadToCaseInput {
  leadId: string;
  /** Which person of the lead applies (default the first); the others are respondents. */
  applicantIndex?: number | null;
  title?: string | null;
}

/**
 * Converts a lead into a case (转立案调解): the case keeps the link to the lead, and the respondents
 * are invited and must consent as for any filing (PML 3, 17).
 */
export async function convertLeadToCase(deps: Deps, actor: Actor, input: ConvertLeadToCaseInput): Promise<CaseRow> {
  const viewer = requireLedgerKeeper(actor);
  const data = parseInput(
    z.object({ leadId: z.string().uuid(), applicantIndex: z.number().int().min(0).nullish(), title: z.string().trim().min(2).max(100).nullish() }),
    input,
  );
  const { lead } = await loadVisibleLead(deps.db, viewer, data.leadId);
  const i = data.applicantIndex ?? 0;
  if (i >= lead.people.length) throw ValidationError.field('applicantIndex', `the lead names ${lead.people.length} people`);
  if (lead.people.length < 2) throw ValidationError.field('leadId', 'a case needs an applicant and at least one respondent: the lead names one person');
  const missing = lead.people.findIndex((p) => !p.phone);
  if (missing >= 0) throw ValidationError.field(`people.${missing}.phone`, 'every party of a case needs a phone number to be invited');
  const party = (p: (typeof lead.people)[number]) => ({ name: p.name, phone: p.phone!, idNumberEnc: p.idNumberEnc, idNumberMasked: p.idNumberMasked });
  return deps.db.transaction(async (tx) => {
    const created = await openCase(tx, deps, actor, viewer, {
      category: lead.category,
      title: data.title ?? `${CATEGORY_LABELS[lead.category]}（排查发现）`,
      description: lead.description.length >= 10 ? lead.description : `${lead.description}（排查台账转入）`,
      regionCode: lead.regionCode,
      filedVia: 'SCREENING',
      applicant: party(lead.people[i]!),
      respondents: lead.people.filter((_, k) => k !== i).map(party),
      origin: { leadId: lead.id, leadSource: lead.source },
    });
    await updateLead(tx, deps.clock, actor, lead, 'CONVERTED', { caseId: created.id, outcomeAt: deps.clock.now(), outcomeBy: viewer.userId }, {
      type: 'lead.converted',
      data: { caseId: created.id, caseNumber: created.number },
    });
    return created;
  });
}
