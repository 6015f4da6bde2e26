import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { isBuiltin } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort, uniquePhone } from '../support/harness';

// The compiled server (`node dist/server/main.js`), as production runs it, under Node's own ESM
// loader rather than the TypeScript loader the other tests use: CommonJS packages are imported
// differently there (the Alibaba Cloud SDK's client once failed to construct only in the build).
// Each SMS gateway is pointed at a local fake of its API and must receive the code. The servers run
// on their own embedded databases whichever database the suite runs on, so this runs once, in the
// embedded database's run.
const root = fileURLToPath(new URL('../..', import.meta.url));
const outdir = `dist/check-${randomBytes(4).toString('hex')}/server`;

interface Fake {
  url: string;
  bodies: string[];
  server: Server;
}

async function fakeGateway(answer: unknown): Promise<Fake> {
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      bodies.push(`${req.url ?? ''} ${body}`);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, bodies, server };
}

async function startCompiled(env: Record<string, string>) {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'jiefen-prod-'));
  const child: ChildProcess = spawn(process.execPath, [`${outdir}/main.js`], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      STORAGE_DIR: join(dataDir, 'files'),
      DATA_KEY: randomBytes(32).toString('base64'),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      SIGNING_SELF_SIGNED: 'true',
      WEB: 'off',
      JOBS: 'false',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (b) => (output += b));
  child.stderr!.on('data', (b) => (output += b));
  const base = `http://127.0.0.1:${port}`;
  const until = Date.now() + 120_000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`the compiled server exited: ${output}`);
    if (await fetch(`${base}/readyz`).then((r) => r.ok, () => false)) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { base, stop, output: () => output };
}

async function requestCode(base: string, phone: string) {
  const res = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: 'mutation($input: RequestPhoneCodeInput!) { requestPhoneCode(input: $input) { __typename ... on Error { code message } } }',
      variables: { input: { phone, purpose: 'REGISTER' } },
    }),
  });
  return (await res.json()) as { data?: { requestPhoneCode: { __typename: string } }; errors?: unknown };
}

describe.skipIf(Boolean(inject('databaseUrl')))('the compiled server in production mode', () => {
  beforeAll(() => {
    execFileSync(process.execPath, ['server/build.mjs', `--outdir=${outdir}`], { cwd: root, stdio: 'pipe' });
  }, 120_000);
  afterAll(() => rmSync(join(root, outdir, '..'), { recursive: true, force: true }));

  /** Starts the compiled server with `env`, asks for a registration code, returns what the fake gateway received. */
  async function codeSentThrough(answer: unknown, env: (gatewayUrl: string) => Record<string, string>) {
    const fake = await fakeGateway(answer);
    const server = await startCompiled(env(fake.url));
    try {
      const phone = uniquePhone();
      const res = await requestCode(server.base, phone);
      expect(res.errors, server.output()).toBeUndefined();
      expect(res.data?.requestPhoneCode.__typename).toBe('RequestPhoneCodeSuccess');
      await expect.poll(() => fake.bodies.length, { timeout: 15_000 }).toBeGreaterThan(0);
      return { phone, received: fake.bodies.join('\n') };
    } finally {
      await server.stop();
      fake.server.close();
    }
  }

  it('starts and sends a registration code through Alibaba Cloud SMS', async () => {
    const { phone, received } = await codeSentThrough({ Code: 'OK', Message: 'OK', BizId: 'biz-1', RequestId: 'req-1' }, (url) => ({
      SMS_PROVIDER: 'aliyun',
      ALIYUN_SMS_ACCESS_KEY_ID: 'test-id',
      ALIYUN_SMS_ACCESS_KEY_SECRET: 'test-secret',
      ALIYUN_SMS_SIGN_NAME: '解纷',
      ALIYUN_SMS_TEMPLATE_CODE: 'SMS_100000001',
      ALIYUN_SMS_ENDPOINT: url,
    }));
    expect(received).toContain('TemplateCode=SMS_100000001');
    expect(decodeURIComponent(received)).toContain(phone);
  }, 180_000);

  it('starts and sends a registration code through Tencent Cloud SMS', async () => {
    const answer = { Response: { SendStatusSet: [{ Code: 'Ok', SerialNo: 'serial-1', PhoneNumber: '+86' }], RequestId: 'req-1' } };
    const { phone, received } = await codeSentThrough(answer, (url) => ({
      SMS_PROVIDER: 'tencent',
      TENCENT_SMS_SECRET_ID: 'test-id',
      TENCENT_SMS_SECRET_KEY: 'test-key',
      TENCENT_SMS_SDK_APP_ID: '1400000001',
      TENCENT_SMS_SIGN_NAME: '解纷',
      TENCENT_SMS_TEMPLATE_ID: '100001',
      TENCENT_SMS_ENDPOINT: url,
    }));
    expect(received).toContain(phone);
  }, 180_000);

  it('carries the packages the server starts with, so Node does not resolve and link them file by file', () => {
    const packages = new Set<string>();
    for (const file of readdirSync(join(root, outdir), { recursive: true }) as string[]) {
      if (!file.endsWith('.js')) continue;
      const text = readFileSync(join(root, outdir, file), 'utf8');
      // esbuild writes its imports with double quotes (single-quoted ones are text inside packages).
      for (const m of text.matchAll(/^import\s[^'"]*?(?:from\s+)?"([^"./][^"]*)";$/gm)) packages.add(m[1]!);
    }
    const fromNodeModules = [...packages].filter((p) => !isBuiltin(p));
    // What a start needs is inside the bundle, each package once (one `graphql` for the schema and yoga).
    for (const bundled of ['graphql', 'graphql-yoga', 'express', '@pothos/core', 'drizzle-orm', 'postgres', 'zod', 'dataloader']) {
      expect(fromNodeModules.filter((p) => p === bundled || p.startsWith(`${bundled}/`)), bundled).toEqual([]);
    }
    // What stays outside: the embedded database's WebAssembly, the native bcrypt, the log writer.
    expect(fromNodeModules).toEqual(expect.arrayContaining(['@electric-sql/pglite', 'bcrypt', 'pino']));
  });

  it('carries graphql as its ES modules, once: no file of its CommonJS build is in the bundle', () => {
    const graphqlFiles = new Set<string>();
    let searchesForSecondCopy = false;
    for (const file of readdirSync(join(root, outdir), { recursive: true }) as string[]) {
      if (!file.endsWith('.js')) continue;
      const text = readFileSync(join(root, outdir, file), 'utf8');
      // esbuild heads each module it carries with a comment naming its file.
      for (const m of text.matchAll(/^\/\/ node_modules\/graphql\/(\S+)$/gm)) graphqlFiles.add(m[1]!);
      if (text.includes('from another module or realm')) searchesForSecondCopy = true;
    }
    expect(graphqlFiles.size).toBeGreaterThan(50);
    expect([...graphqlFiles].filter((f) => !f.endsWith('.mjs'))).toEqual([]);
    // With one copy, graphql's type tests are plain instanceof, as under NODE_ENV=production.
    expect(graphqlFiles.has('jsutils/instanceOf.mjs')).toBe(true);
    expect(searchesForSecondCopy).toBe(false);
  });
});

