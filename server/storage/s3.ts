import { CopyObjectCommand, DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { sha256Hex, type FileStorage, type StoredObject } from './storage';
import type { S3Location } from './storage-url';

const KEY_RE = /^[0-9a-f]{64}$/;

function isMissing(err: unknown): boolean {
  return err instanceof S3ServiceException && (err.name === 'NoSuchKey' || err.name === 'NotFound' || err.$metadata.httpStatusCode === 404);
}

/**
 * Content-addressed files in an S3-compatible bucket (AWS S3, Alibaba Cloud OSS, Tencent COS,
 * MinIO), the same contract as the local folder: stored under their SHA-256, never overwritten,
 * checked against their address on every read. Several instances share one bucket.
 */
export function createS3Storage(location: S3Location, client?: S3Client): FileStorage {
  const s3 =
    client ??
    new S3Client({
      endpoint: location.endpoint,
      region: location.region,
      forcePathStyle: location.forcePathStyle,
      credentials: { accessKeyId: location.accessKeyId, secretAccessKey: location.secretAccessKey },
      // Checksums only where the API requires them: OSS, COS and older stores refuse the newer
      // default trailers. Integrity is checked on read against the content address anyway.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  const Bucket = location.bucket;
  const objectKey = (key: string) => {
    if (!KEY_RE.test(key)) throw new Error('invalid storage key');
    return `${location.prefix}${key.slice(0, 2)}/${key}`;
  };
  const lastModified = async (key: string): Promise<Date | null> => {
    try {
      const head = await s3.send(new HeadObjectCommand({ Bucket, Key: objectKey(key) }));
      return head.LastModified ?? new Date(0);
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
  };
  return {
    async put(bytes) {
      const sha256 = sha256Hex(bytes);
      const Key = objectKey(sha256);
      if ((await lastModified(sha256)) === null) {
        await s3.send(new PutObjectCommand({ Bucket, Key, Body: bytes, ContentLength: bytes.byteLength, ContentType: 'application/octet-stream', Metadata: { sha256 } }));
      } else {
        // Put again by a new request: renew its age (a copy onto itself), so the orphan sweep does
        // not take bytes that a row is about to reference.
        await s3.send(new CopyObjectCommand({ Bucket, Key, CopySource: `${Bucket}/${Key}`, MetadataDirective: 'REPLACE', ContentType: 'application/octet-stream', Metadata: { sha256 } }));
      }
      return { key: sha256, sha256, size: bytes.byteLength };
    },
    async get(key) {
      let body: Uint8Array;
      try {
        const res = await s3.send(new GetObjectCommand({ Bucket, Key: objectKey(key) }));
        body = await res.Body!.transformToByteArray();
      } catch (err) {
        if (isMissing(err)) throw new Error(`no stored file ${key}`);
        throw err;
      }
      if (sha256Hex(body) !== key) throw new Error(`stored file ${key} does not match its hash`);
      return body;
    },
    async *list(): AsyncIterable<StoredObject> {
      let ContinuationToken: string | undefined;
      do {
        const page = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: location.prefix, ContinuationToken }));
        for (const o of page.Contents ?? []) {
          const name = o.Key?.slice(location.prefix.length).split('/').pop() ?? '';
          if (KEY_RE.test(name)) yield { key: name, storedAt: o.LastModified ?? new Date(0), partial: false };
        }
        ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (ContinuationToken);
    },
    async remove(object, storedBefore) {
      // An S3 put is atomic: there are no partial objects to remove.
      if (object.partial) return false;
      const at = await lastModified(object.key);
      if (!at || at >= storedBefore) return false;
      await s3.send(new DeleteObjectCommand({ Bucket, Key: objectKey(object.key) }));
      return true;
    },
  };
}
