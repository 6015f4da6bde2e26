import { renderAgreementPdfOffThread } from '../../pdf/pool';
import { requireUser } from '../auth/policy';
import type { Actor, Deps } from '../context';
import { ConflictError } from '../errors';
import { toDocument } from './agreement-content';
import { composeDraft, type DraftAgreementInput } from './draft-agreement';

/**
 * Users with a preview being rendered on this instance. Rendering takes the PDF workers that
 * signatures also need, and a preview leaves no record, so one at a time per user: a second one
 * (another alias in the same query, or a burst of requests) is refused until the first is shown.
 */
const rendering = new Set<string>();

/**
 * The PDF the draft would produce, marked 草稿 like every unsigned draft, for the mediator to read
 * while writing it: the same checks as drafting (the case's mediator, a case that may be drafted,
 * complete parties, printable text), and nothing is stored, numbered or recorded.
 */
export async function previewAgreement(deps: Deps, actor: Actor, input: DraftAgreementInput): Promise<Uint8Array> {
  const viewer = requireUser(actor);
  if (rendering.has(viewer.userId)) throw new ConflictError('A preview is already being prepared for you; wait until it is shown.');
  rendering.add(viewer.userId);
  try {
    const draft = await composeDraft(deps, actor, input);
    return await renderAgreementPdfOffThread(
      toDocument(draft.head, draft.content, { dataKey: deps.config.dataKey, publicUrl: deps.config.publicUrl, signatures: [], draft: true, createdAt: draft.now }),
      draft.template,
    );
  } finally {
    rendering.delete(viewer.userId);
  }
}
