import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Storage } from '../../server/storage/s3';
import { parseStorageUrl } from '../../server/storage/storage-url';
import type { FileStorage } from '../../server/storage/storage';
import { startS3 } from '../support/s3';

let s3: Awaited<ReturnType<typeof startS3>>;
let storage: FileStorage;

beforeAll(async () => {
  s3 = await startS3();
  storage = createS3Storage(parseStorageUrl(s3.url));
});
afterAll(async () => s3?.close());

const bytes = (text: string) => new TextEncoder().encode(text);

describe('S3-compatible storage (STORAGE_URL)', () => {
  it('parses the storage address and refuses a bad one', () => {
    expect(parseStorageUrl('s3://AK%2B1:se%2Fcret@oss-cn-hangzhou.aliyuncs.com/jiefen-files/prod?region=cn-hangzhou')).toEqual({
      endpoint: 'https://oss-cn-hangzhou.aliyuncs.com',
      region: 'cn-hangzhou',
      bucket: 'jiefen-files',
      prefix: 'prod/',
      accessKeyId: 'AK+1',
      secretAccessKey: 'se/cret',
      forcePathStyle: false,
    });
    expect(parseStorageUrl('s3+http://k:s@127.0.0.1:9000/b?pathStyle=true')).toMatchObject({ endpoint: 'http://127.0.0.1:9000', bucket: 'b', prefix: '', forcePathStyle: true });
    expect(() => parseStorageUrl('https://k:s@host/b')).toThrow(/s3:\/\//);
    expect(() => parseStorageUrl('s3://host/b')).toThrow(/access key/);
    expect(() => parseStorageUrl('s3://k:s@host/')).toThrow(/bucket/);
  });

  it('stores bytes under their SHA-256 once, and reads back the same bytes', async () => {
    const pdf = bytes(`%PDF-1.7 agreement ${Date.now()}`);
    const put = await storage.put(pdf);
    expect(put.key).toMatch(/^[0-9a-f]{64}$/);
    expect(put.size).toBe(pdf.byteLength);
    expect(Buffer.from(await storage.get(put.key)).equals(Buffer.from(pdf))).toBe(true);
    // The same bytes again: the same key, still one object.
    expect((await storage.put(pdf)).key).toBe(put.key);
    const keys: string[] = [];
    for await (const o of storage.list()) keys.push(o.key);
    expect(keys.filter((k) => k === put.key)).toHaveLength(1);
  });

  it('refuses bytes altered in the bucket, and says when an object is missing', async () => {
    const original = bytes(`evidence ${Date.now()}`);
    const { key } = await storage.put(original);
    // Someone with bucket access replaces the object's bytes.
    const loc = parseStorageUrl(s3.url);
    const raw = new S3Client({ endpoint: loc.endpoint, region: loc.region, forcePathStyle: true, credentials: { accessKeyId: loc.accessKeyId, secretAccessKey: loc.secretAccessKey } });
    await raw.send(new PutObjectCommand({ Bucket: loc.bucket, Key: `${key.slice(0, 2)}/${key}`, Body: bytes('tampered') }));
    await expect(storage.get(key)).rejects.toThrow(/does not match its hash/);
    await expect(storage.get('0'.repeat(64))).rejects.toThrow(/no stored file/);
    await expect(storage.get('../../etc/passwd')).rejects.toThrow(/invalid storage key/);
  });

  it('lists objects with their age and removes only those older than the cut-off', async () => {
    const { key } = await storage.put(bytes(`orphan ${Date.now()}`));
    const listed: { key: string; storedAt: Date }[] = [];
    for await (const o of storage.list()) listed.push(o);
    const mine = listed.find((o) => o.key === key)!;
    expect(mine.storedAt.getTime()).toBeGreaterThan(Date.now() - 60_000);
    // Stored after the cut-off: kept.
    expect(await storage.remove({ key, partial: false }, new Date(Date.now() - 3_600_000))).toBe(false);
    expect(await storage.get(key)).toBeDefined();
    expect(await storage.remove({ key, partial: false }, new Date(Date.now() + 60_000))).toBe(true);
    await expect(storage.get(key)).rejects.toThrow(/no stored file/);
    expect(await storage.remove({ key, partial: false }, new Date(Date.now() + 60_000))).toBe(false);
  });
});
