import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** A stored object as the orphan sweep sees it. */
export interface StoredObject {
  /** The storage key; for a write that never completed, the name of its leftover temporary file. */
  key: string;
  /** When the bytes were last put (a repeated put of the same bytes renews it). */
  storedAt: Date;
  /** A temporary file of an interrupted write, never a complete object. */
  partial: boolean;
}

/** Where file bytes live; local disk by default, an S3-compatible store can implement the same. */
export interface FileStorage {
  /** Stores bytes under their SHA-256 and returns it; the same bytes are stored once, never overwritten. */
  put(bytes: Uint8Array): Promise<{ key: string; sha256: string; size: number }>;
  get(key: string): Promise<Uint8Array>;
  /** Every stored object, for the orphan sweep. */
  list(): AsyncIterable<StoredObject>;
  /**
   * Removes an object, only if it was last put before `storedBefore` (checked again right before
   * removing, so bytes put again meanwhile stay). Only the orphan sweep removes anything.
   */
  remove(object: Pick<StoredObject, 'key' | 'partial'>, storedBefore: Date): Promise<boolean>;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

const KEY_RE = /^[0-9a-f]{64}$/;
const TEMP_RE = /^([0-9a-f]{64})\.\d+\.\d+\.tmp$/;

/** Content-addressed files in a folder (two-level fan-out), written atomically. */
export function createLocalStorage(root: string): FileStorage {
  const pathOf = (key: string) => {
    if (!KEY_RE.test(key)) throw new Error('invalid storage key');
    return join(root, key.slice(0, 2), key);
  };
  const pathOfObject = (o: Pick<StoredObject, 'key' | 'partial'>) => {
    if (!o.partial) return pathOf(o.key);
    const m = TEMP_RE.exec(o.key);
    if (!m) throw new Error('invalid temporary file name');
    return join(root, m[1]!.slice(0, 2), o.key);
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
      } else {
        // Put again by a new request: renew its age, so the orphan sweep does not take bytes that
        // a row is about to reference.
        const now = new Date();
        await utimes(path, now, now).catch(() => undefined);
      }
      return { key: sha256, sha256, size: bytes.byteLength };
    },
    async get(key) {
      const bytes = new Uint8Array(await readFile(pathOf(key)));
      // Detects a file altered on disk: stored bytes must still match their address.
      if (sha256Hex(bytes) !== key) throw new Error(`stored file ${key} does not match its hash`);
      return bytes;
    },
    async *list() {
      const fans = await readdir(root).catch(() => [] as string[]);
      for (const fan of fans) {
        if (!/^[0-9a-f]{2}$/.test(fan)) continue;
        for (const name of await readdir(join(root, fan)).catch(() => [] as string[])) {
          const partial = TEMP_RE.test(name);
          if (!partial && !KEY_RE.test(name)) continue;
          const s = await stat(join(root, fan, name)).catch(() => null);
          if (s?.isFile()) yield { key: name, storedAt: s.mtime, partial };
        }
      }
    },
    async remove(object, storedBefore) {
      const path = pathOfObject(object);
      const s = await stat(path).catch(() => null);
      if (!s || s.mtime >= storedBefore) return false;
      await unlink(path).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'ENOENT') throw err;
      });
      return true;
    },
  };
}

/** In-memory storage for tests; the time of each put comes from `clock` when given. */
export function createMemoryStorage(clock: { now(): Date } = { now: () => new Date() }): FileStorage {
  const files = new Map<string, { bytes: Uint8Array; storedAt: Date }>();
  return {
    async put(bytes) {
      const sha256 = sha256Hex(bytes);
      const existing = files.get(sha256);
      if (existing) existing.storedAt = clock.now();
      else files.set(sha256, { bytes: new Uint8Array(bytes), storedAt: clock.now() });
      return { key: sha256, sha256, size: bytes.byteLength };
    },
    async get(key) {
      const f = files.get(key);
      if (!f) throw new Error(`no stored file ${key}`);
      return f.bytes;
    },
    async *list() {
      for (const [key, f] of [...files]) yield { key, storedAt: f.storedAt, partial: false };
    },
    async remove(object, storedBefore) {
      const f = files.get(object.key);
      if (!f || f.storedAt >= storedBefore) return false;
      files.delete(object.key);
      return true;
    },
  };
}
