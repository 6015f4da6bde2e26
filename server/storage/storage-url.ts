/** Where the objects live: the endpoint, the bucket, a key prefix and the credentials. */
export interface S3Location {
  endpoint: string;
  region: string;
  bucket: string;
  prefix: string;
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle: boolean;
}

/**
 * Parses `STORAGE_URL`: `s3://KEY_ID:SECRET@host[:port]/bucket[/prefix]?region=cn-hangzhou`, over
 * https; `s3+http://…` for a store on a private network or a local test server. Path-style
 * addressing (`?pathStyle=true`) suits MinIO and most self-hosted stores; Alibaba Cloud OSS and
 * Tencent COS take the default virtual-hosted style.
 */
export function parseStorageUrl(raw: string): S3Location {
  const url = new URL(raw);
  const scheme = url.protocol.replace(/:$/, '');
  if (scheme !== 's3' && scheme !== 's3+https' && scheme !== 's3+http') throw new Error('must start with s3://, s3+https:// or s3+http://');
  const [bucket, ...rest] = url.pathname.replace(/^\/+/, '').split('/');
  if (!bucket) throw new Error('must name the bucket as the first path segment');
  if (!url.username || !url.password) throw new Error('must carry the access key id and secret as user and password');
  return {
    endpoint: `${scheme === 's3+http' ? 'http' : 'https'}://${url.host}`,
    region: url.searchParams.get('region') ?? 'us-east-1',
    bucket,
    prefix: rest.filter(Boolean).map((p) => `${p}/`).join(''),
    accessKeyId: decodeURIComponent(url.username),
    secretAccessKey: decodeURIComponent(url.password),
    forcePathStyle: url.searchParams.get('pathStyle') === 'true',
  };
}
