import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

/** A local S3-compatible server (s3rver) on loopback with one bucket; its credentials are S3RVER/S3RVER. */
export async function startS3(bucket = 'jiefen'): Promise<{ url: string; port: number; close(): Promise<void> }> {
  const directory = await mkdtemp(join(tmpdir(), 'jiefen-s3-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] });
  const { port } = await server.run();
  return {
    url: `s3+http://S3RVER:S3RVER@127.0.0.1:${port}/${bucket}?pathStyle=true`,
    port,
    async close() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
