import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a TypeScript entry point under tsx as a separate process and waits for it to end. */
function runChild(args: string[], env: Record<string, string>, timeoutMs = 90_000): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`child did not exit within ${timeoutMs} ms:\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('process-level guard', () => {
  it('logs an unhandled emitter error and an unawaited rejection, and keeps running', async () => {
    const r = await runChild(['test/support/guard-child.ts'], {});
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('STILL-SERVING');
    const lines = r.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
    const exception = lines.find((l) => l.origin === 'uncaughtException');
    const rejection = lines.find((l) => l.origin === 'unhandledRejection');
    expect(exception).toMatchObject({ err: { message: 'Unexpected end of form' } });
    expect(rejection).toMatchObject({ err: { message: 'nobody awaited this' } });
  });

  it('without the guard the same child dies (the test above can fail)', async () => {
    const r = await runChild(['test/support/guard-child.ts', 'unguarded'], {});
    expect(r.code).not.toBe(0);
    expect(r.stdout).not.toContain('STILL-SERVING');
  });
});

describe('a second instance on a busy port', () => {
  let busy: Server;
  let port: number;
  beforeAll(async () => {
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', () => resolve()));
    port = (busy.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => busy.close(() => resolve())));

  it('exits non-zero with a clear message and never claims to be listening', async () => {
    const databaseUrl = inject('databaseUrl');
    const env: Record<string, string> = {
      NODE_ENV: 'test',
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      SEED_DEMO: 'false',
      JOBS: 'true',
      BCRYPT_COST: '4',
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : { DATA_DIR: 'memory://' }),
    };
    const r = await runChild(['server/main.ts'], env, 110_000);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`port ${port} is already in use`);
    expect(r.stdout).not.toContain('jiefen listening');
    expect(r.stdout).not.toContain('GraphiQL:');
  }, 120_000);
});
