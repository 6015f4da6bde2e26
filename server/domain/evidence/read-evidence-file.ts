import { sha256Hex } from '../../storage/storage';
import type { Actor, Deps } from '../context';
import { NotFoundError } from '../errors';
import { loadVisibleEvidence, type EvidenceWithFile } from './evidence-access';

/** The bytes of an item the viewer may see, checked against the SHA-256 recorded at upload. */
export async function readEvidenceFile(deps: Deps, actor: Actor, evidenceId: string): Promise<EvidenceWithFile & { bytes: Uint8Array }> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(evidenceId)) throw new NotFoundError('Evidence');
  const found = await loadVisibleEvidence(deps.db, actor.viewer, evidenceId, deps.clock.now());
  const bytes = await deps.storage.get(found.file.storageKey);
  // Whatever store is behind the interface, the bytes handed out are the bytes that were recorded.
  if (sha256Hex(bytes) !== found.file.sha256) throw new Error(`stored file ${found.file.id} does not match its recorded SHA-256`);
  return { evidence: found.evidence, file: found.file, uploaderName: found.uploaderName, bytes };
}
