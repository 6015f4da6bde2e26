import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** The real server (npm start's entry) on a fresh embedded database, serving the built client. */
export interface RunningServer {
  base: string;
  lines: string[];
  demo: { phone: string; role: string; name: string }[];
  stop(): Promise<void>;
}

/**
 * The identity gateway (实名) stands in for the outside world as the log SMS provider does: it
 * confirms every name and ID number, so parties registered in the browser may sign agreements.
 */
async function startIdentityGateway(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ match: true }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/verify`, close: () => new Promise((r) => server.close(() => r())) };
}

/** `env` adds settings (e.g. LIVEKIT_* pointing at a stand-in the test serves). */
export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const dir = mkdtempSync(join(tmpdir(), 'jiefen-browser-'));
  const gateway = await startIdentityGateway();
  const childEnv: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'development',
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: join(dir, 'pglite'),
      STORAGE_DIR: join(dir, 'files'),
      WEB: process.env.BROWSER_WEB ?? 'dist',
      SMS_PROVIDER: 'log',
      LOG_LEVEL: 'info',
      BCRYPT_COST: '4',
      JOBS: 'false',
      IDENTITY_SERVICE: 'http',
      IDENTITY_HTTP_URL: gateway.url,
      IDENTITY_HTTP_SECRET: 'browser-identity-gateway',
      ...env,
  };
  // Always the embedded database, whatever the caller's environment says.
  delete childEnv.DATABASE_URL;
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let rest = '';
  const onData = (chunk: Buffer) => {
    rest += chunk.toString('utf8');
    const parts = rest.split('\n');
    rest = parts.pop()!;
    lines.push(...parts);
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const line = lines.find((l) => l.includes('Web client: http://localhost:'));
      if (line) {
        clearInterval(timer);
        resolve(/http:\/\/localhost:(\d+)\//.exec(line)![0].replace('localhost', '127.0.0.1').replace(/\/$/, ''));
      }
    }, 200);
    child.once('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`server exited with ${code}:\n${lines.join('\n')}`));
    });
  });
  const demo = lines
    .map((l) => /^\s+(1\d{10})\s+(\S+)\s+(\S+)/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ phone: m[1]!, role: m[2]!, name: m[3]! }));
  return {
    base,
    lines,
    demo,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      await gateway.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The one-time code the `log` SMS provider wrote for this phone (masked in the log as 139****1234). */
export async function smsCode(server: RunningServer, phone: string, since: number): Promise<string> {
  const masked = `${phone.slice(0, 3)}****${phone.slice(-4)}`;
  for (let i = 0; i < 100; i++) {
    for (const l of server.lines.slice(since)) {
      if (!l.startsWith('{')) continue;
      const o = JSON.parse(l) as { msg?: string; to?: string; code?: string };
      if (o.msg === 'notification sent' && o.to === masked && o.code) return o.code;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no code logged for ${masked}`);
}

export const SHOTS = process.env.SCREENSHOT_DIR ?? join(tmpdir(), 'jiefen-screenshots');

/** A browser context whose every page is watched: console errors and requests to other origins. */
export class Watched {
  readonly problems: string[] = [];
  constructor(readonly context: BrowserContext, readonly base: string) {}

  static async open(browser: Browser, base: string, phone: boolean): Promise<Watched> {
    const context = await browser.newContext({
      viewport: phone ? { width: 390, height: 844 } : { width: 1366, height: 900 },
      deviceScaleFactor: 1,
      isMobile: phone,
      hasTouch: phone,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      acceptDownloads: true,
    });
    context.setDefaultTimeout(15_000);
    const w = new Watched(context, base);
    context.on('page', (p) => w.watch(p));
    return w;
  }

  private watch(page: Page) {
    page.on('console', (m) => {
      if (m.type() === 'error') this.problems.push(`console error on ${page.url()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => this.problems.push(`page error on ${page.url()}: ${e.message}`));
    page.on('request', (r) => {
      const url = r.url();
      if (url.startsWith('data:') || url.startsWith('blob:')) return;
      // Chromium's own PDF viewer (an agreement shown in the page) loads from inside the browser:
      // no network request leaves the machine.
      if (url.startsWith(`chrome-extension://${PDF_VIEWER}/`) || url.startsWith('chrome://resources/')) return;
      if (new URL(url).origin !== this.base) this.problems.push(`request to another origin: ${url}`);
    });
  }

  async page(): Promise<Page> {
    return this.context.newPage();
  }
}

/**
 * Checks the page as it stands: every control has an accessible name (axe-core's naming rules),
 * no console error or foreign request so far; then writes a screenshot.
 */
export async function checkPage(page: Page, w: Watched, name: string): Promise<void> {
  // Not 'networkidle': a page with a live room keeps its event stream open.
  await page.waitForLoadState('load');
  await page.locator('.ant-spin-spinning').first().waitFor({ state: 'detached' }).catch(() => undefined);
  await page.waitForTimeout(300);
  await page.addScriptTag({ content: AXE });
  const violations = (await page.evaluate(`axe.run(document, { runOnly: { type: 'rule', values: [
    'button-name', 'label', 'link-name', 'select-name', 'input-button-name', 'aria-input-field-name',
    'aria-toggle-field-name', 'aria-command-name', 'image-alt', 'frame-title', 'html-has-lang', 'document-title'
  ] } }).then(r => r.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', ')))`)) as string[];
  expect(violations, `accessibility on ${name}`).toEqual([]);
  expect(w.problems, `console and origin on ${name}`).toEqual([]);
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/**
 * A fontconfig file adding the project's Chinese font (templates/fonts) to the system's: a machine
 * without a CJK font would otherwise render every Chinese character of a screenshot as a box.
 */
function fontConfig(): string {
  const dir = mkdtempSync(join(tmpdir(), 'jiefen-fonts-'));
  const fonts = fileURLToPath(new URL('../../templates/fonts', import.meta.url));
  const file = join(dir, 'fonts.conf');
  writeFileSync(
    file,
    `<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig><include ignore_missing="yes">/etc/fonts/fonts.conf</include><dir>${fonts}</dir><cachedir>${join(dir, 'cache')}</cachedir></fontconfig>`,
  );
  return file;
}

/** The id of the PDF viewer built into Chromium. */
const PDF_VIEWER = 'mhjfbmdgcfjbbpaeojofohoefgiehjai';

/** `args` adds Chromium switches (e.g. a fake camera and microphone). */
export async function launch(args: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', ...args],
    env: { ...process.env, FONTCONFIG_FILE: fontConfig() } as Record<string, string>,
  });
}

/** A small real PNG (a photo stand-in): w x h pixels, a vertical gradient from one colour to another. */
export function pngPhoto(w: number, h: number, from: [number, number, number], to: [number, number, number]): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const x of b) c = crcTable[(c ^ x) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) {
    const t = y / Math.max(1, h - 1);
    for (let x = 0; x < w; x++) {
      for (let ch = 0; ch < 3; ch++) raw[y * (w * 3 + 1) + 1 + x * 3 + ch] = Math.round(from[ch]! + (to[ch]! - from[ch]!) * t);
    }
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}
