import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** Where file bytes live; local disk by default, an S3-compatible store can implement the same. */
export interface FileStorage {
  /** Stores bytes under their SHA-256 and returns it; the same bytes are stored once, never overwritten. */
  put(bytes: Uint8Array): Promise<{ key: string; sha256: string; size: number }>;
  get(key: string): Promise<Uint8Array>;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Content-addressed files in a folder (two-level fan-out), written atomically. */
export function createLocalStorage(root: string): FileStorage {
  const pathOf = (key: string) => {
    if (!/^[0-9a-f]{64}$/.test(key)) throw new Error('invalid storage key');
    return join(root, key.slice(0, 2), key);
  };
  return {
    async put(bytes) {
      const sha256 = sha256Hex(bytes);
      const path = pathOf(sha256);
      const exists = await stat(path).then(() => true, () => false);
      if (!exists) {
        await mkdir(dirname(path), { recursive: true });
        const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
        await writeFile(tmp, bytes, { flag: 'wx' });
        await rename(tmp, path);
      }
      return { key: sha256, sha256, size: bytes.byteLength };
    },
    async get(key) {
      const bytes = new Uint8Array(await readFile(pathOf(key)));
      // Detects a file altered on disk: stored bytes must still match their address.
      if (sha256Hex(bytes) !== key) throw new Error(`stored file ${key} does not match its hash`);
      return bytes;
    },
  };
}

/** In-memory storage for tests. */
export function createMemoryStorage(): FileStorage {
  const files = new Map<string, Uint8Array>();
  return {
    async put(bytes) {
      const sha256 = sha256Hex(bytes);
      if (!files.has(sha256)) files.set(sha256, new Uint8Array(bytes));
      return { key: sha256, sha256, size: bytes.byteLength };
    },
    async get(key) {
      const f = files.get(key);
      if (!f) throw new Error(`no stored file ${key}`);
      return f;
    },
  };
}
