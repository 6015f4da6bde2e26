import { storedFiles } from '../../../schema';
import type { Executor } from '../../db';

export type StoredFileRow = typeof storedFiles.$inferSelect;

/** Records bytes already put in storage as a file of a case, inside the caller's transaction. */
export async function recordStoredFile(
  tx: Executor,
  stored: { key: string; sha256: string; size: number },
  meta: { contentType: string; fileName: string; caseId: string | null; createdAt: Date; createdBy: string | null },
): Promise<StoredFileRow> {
  const [file] = await tx
    .insert(storedFiles)
    .values({ storageKey: stored.key, sha256: stored.sha256, size: stored.size, ...meta })
    .returning();
  return file!;
}
