import { renderAgreementPdfOffThread } from '../../pdf/pool';
import type { Actor, Deps } from '../context';
import { toDocument } from './agreement-content';
import { composeDraft, type DraftAgreementInput } from './draft-agreement';

/**
 * The PDF the draft would produce, marked 草稿 like every unsigned draft, for the mediator to read
 * while writing it: the same checks as drafting (the case's mediator, a case that may be drafted,
 * complete parties, printable text), and nothing is stored, numbered or recorded.
 */
export async function previewAgreement(deps: Deps, actor: Actor, input: DraftAgreementInput): Promise<Uint8Array> {
  const draft = await composeDraft(deps, actor, input);
  return renderAgreementPdfOffThread(
    toDocument(draft.head, draft.content, { dataKey: deps.config.dataKey, publicUrl: deps.config.publicUrl, signatures: [], draft: true, createdAt: draft.now }),
    draft.template,
  );
}
