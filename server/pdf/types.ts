export type AgreementTemplateId = 'peoples' | 'administrative' | 'lawyer' | 'judicial';

export interface AgreementPartyView {
  role: 'APPLICANT' | 'RESPONDENT';
  kind: 'PERSON' | 'ORGANIZATION';
  name: string;
  gender?: string;
  ethnicity?: string;
  birthDate?: string;
  age?: number;
  idNumber?: string;
  creditCode?: string;
  legalRepresentative?: string;
  occupation?: string;
  domicile: string;
  phone: string;
  serviceAddress?: string;
  agents?: { name: string; authority: string }[];
}

export interface AgreementTerm {
  text: string;
  obligor?: string;
  amount?: string;
  dueDate?: string;
}

export interface AgreementSignature {
  role: 'PARTY' | 'MEDIATOR';
  name: string;
  /** Display text, e.g. 2026-11-23 10:12; absent while unsigned. */
  signedAt?: string;
  /** The agent with special authority who signed for the party (INT 351). */
  agent?: string;
}

export interface AgreementDocument {
  templateId: AgreementTemplateId;
  templateVersion?: number;
  /** Agreement number, e.g. 宾川人调字〔2026〕第12号. */
  number: string;
  /** Goes into the metadata keywords. */
  caseNumber: string;
  /** Agreement version: a correction is a new version. */
  version: number;
  organization: { name: string };
  mediators: string[];
  recorder?: string;
  parties: AgreementPartyView[];
  /** e.g. 邻里纠纷 */
  categoryLabel: string;
  facts: string;
  issues: string;
  responsibilities?: string;
  terms: AgreementTerm[];
  performance: { method: string; place?: string; deadline: string };
  breach: string;
  /** One per party plus one for the organisation. */
  originals: number;
  /** YYYY-MM-DD, the effective date (the day of the last signature), printed as 2026年11月23日 under the seal; absent on a draft. */
  date?: string;
  /** The number of the agreement this version corrects and replaces, printed under the number. */
  replacesNumber?: string;
  /** PDF creation/modification date; comes from data, never from the clock. */
  createdAt: Date;
  signatures: AgreementSignature[];
  /** Draw the organisation seal. */
  sealApplied: boolean;
  verification: { code: string; url: string };
  /** Before it becomes effective: a light 草稿 / 待签署 marking. */
  draft: boolean;
}
