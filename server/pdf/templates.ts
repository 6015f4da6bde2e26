import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { z } from 'zod';
import type { AgreementTemplateId } from './types';

const TEMPLATE_IDS = ['peoples', 'administrative', 'lawyer', 'judicial'] as const;

const text = z.string().min(1);

const agreementTemplateSchema = z.object({
  templateId: z.enum(TEMPLATE_IDS),
  version: z.number().int().positive(),
  title: text,
  subtitle: text.optional(),
  termNumbering: z.enum(['article', 'decimal']),
  intro: text,
  headings: z.object({
    parties: text,
    facts: text,
    responsibilities: text,
    terms: text,
    performance: text,
    breach: text,
  }),
  labels: z.object({
    applicant: text,
    respondent: text,
    name: text,
    organizationName: text,
    gender: text,
    ethnicity: text,
    birthDate: text,
    age: text,
    ageUnit: text,
    idNumber: text,
    creditCode: text,
    legalRepresentative: text,
    occupation: text,
    domicile: text,
    phone: text,
    serviceAddress: text,
    agents: text,
    authority: text,
    category: text,
    facts: text,
    issues: text,
    obligor: text,
    amount: text,
    dueDate: text,
    method: text,
    place: text,
    deadline: text,
    partySignature: text,
    mediatorSignature: text,
    mediators: text,
    recorder: text,
    date: text,
    signedAt: text,
    sealCaption: text,
    verification: text,
    verifyUrl: text,
    verifyHint: text,
    page: text.refine((s) => s.includes('{page}') && s.includes('{pages}'), 'needs {page} and {pages}'),
    draft: text,
    numberPrefix: z.string(),
  }),
  closing: z.object({
    originals: text.refine((s) => s.includes('{originals}'), 'needs {originals}'),
    legalEffect: text,
  }),
});

export type AgreementTemplate = z.infer<typeof agreementTemplateSchema>;

// Templates ship with the code, two levels above this module.
const TEMPLATE_ROOT = fileURLToPath(new URL('../../templates/agreement/', import.meta.url));

const cache = new Map<string, AgreementTemplate>();

/** Versions available for a template id, ascending. */
export function templateVersions(id: AgreementTemplateId): number[] {
  if (!TEMPLATE_IDS.includes(id)) throw new Error(`unknown agreement template: ${String(id)}`);
  return readdirSync(join(TEMPLATE_ROOT, id))
    .map((f) => /^v(\d+)\.json$/.exec(f)?.[1])
    .filter((v): v is string => v !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

/** Loads and validates an agreement template; without a version, the latest one. */
export function loadTemplate(id: AgreementTemplateId, version?: number): AgreementTemplate {
  const versions = templateVersions(id);
  const wanted = version ?? versions.at(-1);
  if (wanted === undefined || !versions.includes(wanted)) {
    throw new Error(`agreement template ${id} has no version ${version ?? '(none)'}`);
  }
  const key = `${id}@${wanted}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const raw: unknown = JSON.parse(readFileSync(join(TEMPLATE_ROOT, id, `v${wanted}.json`), 'utf8'));
  const parsed = agreementTemplateSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`agreement template ${id} v${wanted} is invalid: ${parsed.error.message}`);
  }
  if (parsed.data.templateId !== id || parsed.data.version !== wanted) {
    throw new Error(`agreement template file ${id}/v${wanted}.json declares ${parsed.data.templateId} v${parsed.data.version}`);
  }
  cache.set(key, parsed.data);
  return parsed.data;
}

/** Fills {name} placeholders; an unknown placeholder is an error, not silent text. */
export function fillPlaceholders(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for placeholder {${name}}`);
    return String(value);
  });
}
