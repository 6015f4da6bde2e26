import { z } from 'zod';
import { parseStorageUrl } from './storage/storage-url';
import { parseCidr } from './domain/outbox/webhook-url-policy';

/** Raised at start when the environment is wrong; lists every bad variable at once. */
export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().min(1).default('0.0.0.0'),
  /** PostgreSQL connection URL; without it the embedded database (PGlite) is used. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  /**
   * PostgreSQL connections per instance. The server's one JavaScript thread is the limit long before
   * the database is: a few connections carry its statements several to a write (postgres.js
   * pipelines them), where many connections each take a write and a wake-up of their own. Two
   * carry more on a 2-core machine, but two long transactions then stop the instance (README,
   * `DATABASE_POOL_SIZE`).
   */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(2).max(100).default(4),
  /**
   * Statistics reports (the statistics query and the monthly report) computed at once per instance;
   * more wait in line. Default: half the pool, so reports never hold every connection.
   */
  STATISTICS_CONCURRENCY: z.coerce.number().int().min(1).max(99).optional(),
  /** How long one report may run (PostgreSQL's statement_timeout), and wait in line, in milliseconds. */
  STATISTICS_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  /** Folder of the embedded database; "memory://" keeps it in memory. */
  DATA_DIR: z.string().min(1).default('.data/pglite'),
  ADMIN_PHONE: z.string().regex(/^1[3-9]\d{9}$/, 'must be a mainland mobile number').optional(),
  ADMIN_PASSWORD: z.string().min(10, 'must be at least 10 characters').optional(),
  ADMIN_NAME: z.string().min(1).default('平台管理员'),
  BCRYPT_COST: z.coerce.number().int().min(4).max(15).default(12),
  SESSION_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 90).default(24 * 7),
  /** 32-byte key (base64) encrypting identity numbers at rest. Required in production. */
  DATA_KEY: z
    .string()
    .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes, base64-encoded')
    .optional(),
  PUBLIC_URL: z.string().url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: bool.default(false),
  SEED_DEMO: bool.optional(),
  GRAPHQL_COMPILED_QUERIES: bool.default(true),
  JOBS: bool.default(true),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must start with redis://').optional(),
  STORAGE_DIR: z.string().min(1).default('.data/files'),
  /** S3-compatible object storage for files, shared by every instance; STORAGE_DIR is used without it. */
  STORAGE_URL: z
    .string()
    .refine((v) => {
      try {
        parseStorageUrl(v);
        return true;
      } catch {
        return false;
      }
    }, 'must be s3://KEY_ID:SECRET@host/bucket[/prefix]?region=… (or s3+http:// on a private network)')
    .optional(),
  /** Largest evidence upload in bytes (default 20 MiB). */
  EVIDENCE_MAX_BYTES: z.coerce.number().int().min(1024).max(1024 * 1024 * 1024).default(20 * 1024 * 1024),
  /** Comma-separated CIDRs where webhook receivers may sit although private (court networks). */
  WEBHOOK_ALLOWED_NETWORKS: z
    .string()
    .refine((v) => v.split(',').every((c) => parseCidr(c) !== null), 'must be comma-separated CIDRs, e.g. 10.0.0.0/8,fd00::/8')
    .optional(),
  /** How long a claimed outbox row stays with the worker that claimed it before another may retry it. */
  OUTBOX_CLAIM_SECONDS: z.coerce.number().int().min(5).max(3600).default(30),
  /** Stored bytes no file row references (interrupted or raced requests) are removed after this long. */
  ORPHAN_FILE_RETENTION_HOURS: z.coerce.number().min(1).max(24 * 365).default(24),
  LIVEKIT_URL: z.string().optional(),
  LIVEKIT_API_KEY: z.string().optional(),
  LIVEKIT_API_SECRET: z.string().optional(),
  SIGNING_P12_BASE64: z.string().optional(),
  /** Sign PDFs with a self-signed key generated once and kept (encrypted) in the database. */
  SIGNING_SELF_SIGNED: bool.optional(),
  /** Origins allowed to call the API from a browser, comma-separated (e.g. https://jiefen.example.cn). */
  CORS_ORIGINS: z.string().optional(),
  /** The web client at /: vite (development, compiled on request), dist (the `npm run build` bundle) or off. */
  WEB: z.enum(['vite', 'dist', 'off']).optional(),
  /** 实名: the service that checks a name against an ID number: none (nothing is checked) or http. */
  IDENTITY_SERVICE: z.enum(['none', 'http']).optional(),
  IDENTITY_HTTP_URL: z.string().url().optional(),
  IDENTITY_HTTP_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Where one-time codes and notifications go: log (not in production), http, aliyun, tencent. */
  SMS_PROVIDER: z.enum(['log', 'http', 'aliyun', 'tencent']).optional(),
  SMS_HTTP_URL: z.string().url().optional(),
  SMS_HTTP_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Codes one client address may request per hour. */
  SMS_CODES_PER_ADDRESS_PER_HOUR: z.coerce.number().int().min(1).default(20),
  ALIYUN_SMS_ACCESS_KEY_ID: z.string().optional(),
  ALIYUN_SMS_ACCESS_KEY_SECRET: z.string().optional(),
  ALIYUN_SMS_SIGN_NAME: z.string().optional(),
  ALIYUN_SMS_TEMPLATE_CODE: z.string().optional(),
  /** Endpoint host, default dysmsapi.aliyuncs.com. */
  ALIYUN_SMS_ENDPOINT: z.string().optional(),
  TENCENT_SMS_SECRET_ID: z.string().optional(),
  TENCENT_SMS_SECRET_KEY: z.string().optional(),
  TENCENT_SMS_SDK_APP_ID: z.string().optional(),
  TENCENT_SMS_SIGN_NAME: z.string().optional(),
  TENCENT_SMS_TEMPLATE_ID: z.string().optional(),
  TENCENT_SMS_REGION: z.string().default('ap-guangzhou'),
  /** Endpoint host, default sms.tencentcloudapi.com. */
  TENCENT_SMS_ENDPOINT: z.string().optional(),
  SIGNING_P12_PASSPHRASE: z.string().optional(),
  /** Dispatch time limit per level in calendar days, e.g. "VILLAGE=10,TOWNSHIP=15,COUNTY=30,PREFECTURE=30". */
  LEVEL_LIMIT_DAYS: z
    .string()
    .regex(/^(\s*(VILLAGE|TOWNSHIP|COUNTY|PREFECTURE)=\d{1,3}\s*)(,\s*(VILLAGE|TOWNSHIP|COUNTY|PREFECTURE)=\d{1,3}\s*)*$/, 'must look like VILLAGE=10,TOWNSHIP=15,COUNTY=30')
    .optional(),
});

export type Env = z.infer<typeof envSchema>;

export type SmsConfig = {
  /** Codes one client address may request per hour. */
  codesPerAddressPerHour: number;
} & (
  | { provider: 'log' }
  | { provider: 'http'; url: string; secret: string }
  | { provider: 'aliyun'; accessKeyId: string; accessKeySecret: string; signName: string; templateCode: string; endpoint: string }
  | { provider: 'tencent'; secretId: string; secretKey: string; sdkAppId: string; signName: string; templateId: string; region: string; endpoint: string }
);

/** The names of the variables a provider needs, all present or the configuration is refused. */
const SMS_REQUIRED: Record<string, (keyof Env)[]> = {
  log: [],
  http: ['SMS_HTTP_URL', 'SMS_HTTP_SECRET'],
  aliyun: ['ALIYUN_SMS_ACCESS_KEY_ID', 'ALIYUN_SMS_ACCESS_KEY_SECRET', 'ALIYUN_SMS_SIGN_NAME', 'ALIYUN_SMS_TEMPLATE_CODE'],
  tencent: ['TENCENT_SMS_SECRET_ID', 'TENCENT_SMS_SECRET_KEY', 'TENCENT_SMS_SDK_APP_ID', 'TENCENT_SMS_SIGN_NAME', 'TENCENT_SMS_TEMPLATE_ID'],
};

export interface Config {
  env: Env['NODE_ENV'];
  production: boolean;
  port: number;
  host: string;
  databaseUrl: string | undefined;
  databasePoolSize: number;
  /** Run repeated queries compiled by graphql-jit (`GRAPHQL_COMPILED_QUERIES`). */
  compiledQueries: boolean;
  /** Reports computed at once per instance, and how long one may wait in line and run (ms). */
  statistics: { concurrency: number; timeoutMs: number };
  dataDir: string;
  admin: { phone: string; password: string; name: string } | undefined;
  bcryptCost: number;
  sessionTtlMs: number;
  dataKey: Buffer;
  publicUrl: string;
  logLevel: Env['LOG_LEVEL'];
  trustProxy: boolean;
  seedDemo: boolean;
  /** How the web client is served at /: through Vite (development), from dist/web, or not at all. */
  web: 'vite' | 'dist' | 'off';
  jobs: boolean;
  redisUrl: string | undefined;
  /** 实名: the identity service registration asks to check a name against an ID number. */
  identity: { provider: 'none' | 'http'; httpUrl?: string; httpSecret?: string };
  storageDir: string;
  /** Object storage (STORAGE_URL), when set; files then go there instead of STORAGE_DIR. */
  storageUrl: string | undefined;
  /** Age after which stored bytes that no file row references are removed. */
  orphanFileRetentionMs: number;
  evidenceMaxBytes: number;
  livekit: { url: string; apiKey: string; apiSecret: string } | undefined;
  /** CIDRs where webhook targets may be although internal; plain http is allowed there in production. */
  webhookAllowedNetworks: string[];
  /** Claim window of an outbox row: a crashed worker's rows come due again after this. */
  outboxClaimMs: number;
  signing: { p12Base64: string; passphrase: string } | undefined;
  /** With no certificate: use one self-signed key kept in the database (never a new one per process). */
  signingSelfSigned: boolean;
  /** Browser origins allowed by CORS; empty = no cross-origin access. */
  corsOrigins: string[];
  sms: SmsConfig;
  /** How long each level has before a case escalates one level up (calendar days). */
  levelLimitDays: Record<'VILLAGE' | 'TOWNSHIP' | 'COUNTY' | 'PREFECTURE', number>;
}

/** Development-only key so a fresh checkout runs without configuration; production must set DATA_KEY. */
const DEV_DATA_KEY = Buffer.from('jiefen-development-key-not-secret!!').subarray(0, 32);

/** Parses and validates the environment once; throws ConfigError naming every bad variable. */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  const problems: string[] = [];
  const production = e.NODE_ENV === 'production';
  if (production && !e.DATA_KEY) problems.push('DATA_KEY: required when NODE_ENV=production');
  // PUBLIC_URL is printed into signed, immutable PDFs (verification links): never guess it in production.
  if (production && !e.PUBLIC_URL) problems.push('PUBLIC_URL: required when NODE_ENV=production');
  if (production && !e.SIGNING_P12_BASE64 && !e.SIGNING_SELF_SIGNED) {
    problems.push('SIGNING_P12_BASE64: required when NODE_ENV=production (or set SIGNING_SELF_SIGNED=true)');
  }
  const smsProvider = e.SMS_PROVIDER ?? (production ? undefined : 'log');
  if (!smsProvider) problems.push('SMS_PROVIDER: required when NODE_ENV=production (http, aliyun or tencent)');
  if (e.IDENTITY_SERVICE === 'http') {
    for (const name of ['IDENTITY_HTTP_URL', 'IDENTITY_HTTP_SECRET'] as const) if (!e[name]) problems.push(`${name}: required when IDENTITY_SERVICE=http`);
  }
  if (production && smsProvider === 'log') problems.push('SMS_PROVIDER: log is refused when NODE_ENV=production');
  for (const name of smsProvider ? SMS_REQUIRED[smsProvider]! : []) {
    if (!e[name]) problems.push(`${name}: required when SMS_PROVIDER=${smsProvider}`);
  }
  if ((e.ADMIN_PHONE === undefined) !== (e.ADMIN_PASSWORD === undefined)) {
    problems.push('ADMIN_PHONE and ADMIN_PASSWORD: set both or neither');
  }
  const lk = [e.LIVEKIT_URL, e.LIVEKIT_API_KEY, e.LIVEKIT_API_SECRET];
  if (lk.some(Boolean) && !lk.every(Boolean)) {
    problems.push('LIVEKIT_URL, LIVEKIT_API_KEY, LIVEKIT_API_SECRET: set all three or none');
  }
  if (e.STATISTICS_CONCURRENCY !== undefined && e.STATISTICS_CONCURRENCY >= e.DATABASE_POOL_SIZE) {
    problems.push(`STATISTICS_CONCURRENCY: must be below DATABASE_POOL_SIZE (${e.DATABASE_POOL_SIZE}), so that reports never hold every connection`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const levelLimitDays = { VILLAGE: 10, TOWNSHIP: 15, COUNTY: 30, PREFECTURE: 30 };
  for (const part of e.LEVEL_LIMIT_DAYS?.split(',') ?? []) {
    const [k, v] = part.trim().split('=') as [keyof typeof levelLimitDays, string];
    levelLimitDays[k] = Number(v);
  }
  return {
    levelLimitDays,
    env: e.NODE_ENV,
    production,
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    compiledQueries: e.GRAPHQL_COMPILED_QUERIES,
    statistics: { concurrency: e.STATISTICS_CONCURRENCY ?? Math.max(1, Math.floor(e.DATABASE_POOL_SIZE / 2)), timeoutMs: e.STATISTICS_TIMEOUT_MS },
    dataDir: e.DATA_DIR,
    admin:
      e.ADMIN_PHONE && e.ADMIN_PASSWORD
        ? { phone: e.ADMIN_PHONE, password: e.ADMIN_PASSWORD, name: e.ADMIN_NAME }
        : undefined,
    bcryptCost: e.BCRYPT_COST,
    sessionTtlMs: e.SESSION_TTL_HOURS * 3600_000,
    dataKey: e.DATA_KEY ? Buffer.from(e.DATA_KEY, 'base64') : DEV_DATA_KEY,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    seedDemo: e.SEED_DEMO ?? !production,
    web: e.WEB ?? (production ? 'dist' : 'vite'),
    jobs: e.JOBS,
    redisUrl: e.REDIS_URL,
    identity: { provider: e.IDENTITY_SERVICE ?? 'none', httpUrl: e.IDENTITY_HTTP_URL, httpSecret: e.IDENTITY_HTTP_SECRET },
    storageDir: e.STORAGE_DIR,
    storageUrl: e.STORAGE_URL,
    evidenceMaxBytes: e.EVIDENCE_MAX_BYTES,
    webhookAllowedNetworks: e.WEBHOOK_ALLOWED_NETWORKS?.split(',').map((c) => c.trim()) ?? [],
    outboxClaimMs: e.OUTBOX_CLAIM_SECONDS * 1000,
    orphanFileRetentionMs: e.ORPHAN_FILE_RETENTION_HOURS * 3600_000,
    livekit:
      e.LIVEKIT_URL && e.LIVEKIT_API_KEY && e.LIVEKIT_API_SECRET
        ? { url: e.LIVEKIT_URL, apiKey: e.LIVEKIT_API_KEY, apiSecret: e.LIVEKIT_API_SECRET }
        : undefined,
    signingSelfSigned: e.SIGNING_SELF_SIGNED ?? false,
    corsOrigins: (e.CORS_ORIGINS ?? '').split(',').map((o) => o.trim().replace(/\/$/, '')).filter(Boolean),
    sms: smsConfig(e, smsProvider ?? 'log'),
    signing: e.SIGNING_P12_BASE64
      ? { p12Base64: e.SIGNING_P12_BASE64, passphrase: e.SIGNING_P12_PASSPHRASE ?? '' }
      : undefined,
  };
}

function smsConfig(e: Env, provider: 'log' | 'http' | 'aliyun' | 'tencent'): SmsConfig {
  const codesPerAddressPerHour = e.SMS_CODES_PER_ADDRESS_PER_HOUR;
  switch (provider) {
    case 'http':
      return { codesPerAddressPerHour, provider, url: e.SMS_HTTP_URL!, secret: e.SMS_HTTP_SECRET! };
    case 'aliyun':
      return {
        codesPerAddressPerHour,
        provider,
        accessKeyId: e.ALIYUN_SMS_ACCESS_KEY_ID!,
        accessKeySecret: e.ALIYUN_SMS_ACCESS_KEY_SECRET!,
        signName: e.ALIYUN_SMS_SIGN_NAME!,
        templateCode: e.ALIYUN_SMS_TEMPLATE_CODE!,
        endpoint: e.ALIYUN_SMS_ENDPOINT ?? 'dysmsapi.aliyuncs.com',
      };
    case 'tencent':
      return {
        codesPerAddressPerHour,
        provider,
        secretId: e.TENCENT_SMS_SECRET_ID!,
        secretKey: e.TENCENT_SMS_SECRET_KEY!,
        sdkAppId: e.TENCENT_SMS_SDK_APP_ID!,
        signName: e.TENCENT_SMS_SIGN_NAME!,
        templateId: e.TENCENT_SMS_TEMPLATE_ID!,
        region: e.TENCENT_SMS_REGION,
        endpoint: e.TENCENT_SMS_ENDPOINT ?? 'sms.tencentcloudapi.com',
      };
    default:
      return { codesPerAddressPerHour, provider: 'log' };
  }
}
