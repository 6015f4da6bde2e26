import { z } from 'zod';
import { disputeLeads } from '../../../schema';
import { recordEvent } from '../audit/record-event';
import { idNumberSchema, nameSchema, phoneSchema } from '../auth/fields';
import { idNumberColumns } from '../auth/users';
import { assessRisk } from '../cases/risk';
import { localDate } from '../clock/calendar';
import type { Actor, Deps } from '../context';
import { DISPUTE_CATEGORIES } from '../enums';
import { NotFoundError, ValidationError } from '../errors';
import { enqueue } from '../outbox/enqueue';
import { parseInput } from '../validate';
import { loadRegionScope, inScope } from '../access/region-scope';
import type { LeadRow } from '../access/lead';
import { placeOf, requireLedgerKeeper } from './lead-rules';
import { LEAD_SOURCES } from './types';

const RISK_RANK = { LOW: 0, MEDIUM: 1, HIGH: 2 } as const;

export interface RecordDisputeLeadInput {
  regionCode: string;
  address?: string | null;
  category: (typeof DISPUTE_CATEGORIES)[number];
  people: { name: string; phone?: string | null; idNumber?: string | null }[];
  description: string;
  source: (typeof LEAD_SOURCES)[number];
  /** The day it was found (default today). */
  foundOn?: string | null;
}

const schemaFor = (today: Date) =>
  z.object({
    regionCode: z.string(),
    address: z.string().trim().max(300).nullish(),
    category: z.enum(DISPUTE_CATEGORIES),
    people: z
      .array(z.object({ name: nameSchema, phone: phoneSchema.nullish(), idNumber: idNumberSchema(today).nullish() }))
      .min(1, 'name at least one person involved')
      .max(30),
    description: z.string().trim().min(5, 'describe the dispute in at least 5 characters').max(5000),
    source: z.enum(LEAD_SOURCES),
    foundOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD').nullish(),
  });

/** Records a dispute found on the ground in the screening ledger (排查台账), with its risk assessed as for cases. */
export async function recordDisputeLead(deps: Deps, actor: Actor, input: RecordDisputeLeadInput): Promise<LeadRow> {
  const viewer = requireLedgerKeeper(actor);
  const now = deps.clock.now();
  const data = parseInput(schemaFor(now), input);
  const today = localDate(now);
  if (data.foundOn && data.foundOn > today) throw ValidationError.field('foundOn', 'cannot be in the future');
  const place = await placeOf(deps.db, data.regionCode);
  const scope = await loadRegionScope(deps.db, viewer);
  // One records leads of the area one's organisation serves (a village's grid worker: that village).
  if (!inScope(scope, place.regionCode)) throw new NotFoundError('Region');
  const risk = assessRisk({ category: data.category, title: '', description: data.description, priorCasesBetweenSamePartiesWithinYear: 0 });
  return deps.db.transaction(async (tx) => {
    const [lead] = await tx
      .insert(disputeLeads)
      .values({
        regionCode: place.regionCode,
        townshipCode: place.townshipCode,
        countyCode: place.countyCode,
        address: data.address ?? null,
        category: data.category,
        people: data.people.map((p) => ({
          name: p.name,
          phone: p.phone ?? null,
          ...(p.idNumber ? idNumberColumns(deps.config.dataKey, p.idNumber.value) : { idNumberEnc: null, idNumberMasked: null }),
        })).map(({ name, phone, idNumberEnc, idNumberMasked }) => ({ name, phone, idNumberEnc: idNumberEnc ?? null, idNumberMasked: idNumberMasked ?? null })),
        description: data.description,
        source: data.source,
        riskLevel: risk.level,
        riskRank: RISK_RANK[risk.level],
        riskSignals: risk.signals,
        foundOn: data.foundOn ?? today,
        recordedBy: viewer.userId,
        organizationId: viewer.organizationId,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await recordEvent(tx, deps.clock, actor, {
      subjectType: 'lead',
      subjectId: lead!.id,
      type: 'lead.recorded',
      afterStatus: 'OPEN',
      data: { regionCode: place.regionCode, category: data.category, source: data.source, riskLevel: risk.level, riskSignals: risk.signals.map((s) => s.code), people: data.people.length },
    });
    // PML 25: a dispute that may turn violent is reported to the local police liaison.
    if (risk.level === 'HIGH') {
      await enqueue(tx, deps.clock, [
        { kind: 'ALERT', topic: 'risk.high_lead', recipient: `police-liaison:${place.countyCode}`, payload: { leadId: lead!.id, regionCode: place.regionCode, signals: risk.signals.map((s) => s.label).join('、') } },
      ]);
    }
    return lead!;
  });
}
